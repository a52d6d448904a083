import type { CertificateFacts } from '../app-certificate';
import { equalsFilter, type GraphSession, graphFailure, graphJson, graphSend } from './graph-calls';

interface ApplicationView {
  id: string;
  appId: string;
  displayName?: string;
  keyCredentials?: { customKeyIdentifier?: string | null }[];
}

export interface RegisteredApplication {
  objectId: string;
  appId: string;
}

const fields = '$select=id,appId,displayName,keyCredentials';

/** The application an earlier attempt recorded, if Graph still has it under that object id and app id. */
export async function recordedApplication(
  graph: GraphSession,
  recorded: RegisteredApplication,
): Promise<RegisteredApplication | null> {
  const answer = await graphSend(
    graph,
    'GET',
    `/v1.0/applications/${encodeURIComponent(recorded.objectId)}?${fields}`,
    'reading the application registered before',
  );
  if (answer.status === 404) return null;
  if (answer.status < 200 || answer.status >= 300)
    throw graphFailure(answer, 'reading the application registered before');
  const found = answer.body as unknown as ApplicationView;
  return found.appId === recorded.appId ? recorded : null;
}

/**
 * An application of this name that carries this very certificate: one an earlier attempt registered although its
 * answer never arrived (a dropped connection, a crash). The name alone proves nothing (another host, another
 * setup), the certificate does: only this setup holds its key.
 */
export async function applicationWithCertificate(
  graph: GraphSession,
  displayName: string,
  certificate: CertificateFacts,
): Promise<RegisteredApplication | null> {
  const found = await graphJson<{ value: ApplicationView[] }>(
    graph,
    'GET',
    `/v1.0/applications?${equalsFilter('displayName', displayName)}&${fields}`,
    'looking for an application registered before',
  );
  const ours = found.value.find((application) =>
    application.keyCredentials?.some((key) => key.customKeyIdentifier === certificate.keyIdentifier),
  );
  return ours ? { objectId: ours.id, appId: ours.appId } : null;
}

/** Registers a single-tenant application that signs in with the certificate. */
export async function registerApplication(
  graph: GraphSession,
  displayName: string,
  certificate: CertificateFacts,
): Promise<RegisteredApplication> {
  const created = await graphJson<ApplicationView>(
    graph,
    'POST',
    '/v1.0/applications',
    'registering the application',
    {
      displayName,
      signInAudience: 'AzureADMyOrg',
      keyCredentials: [
        {
          type: 'AsymmetricX509Cert',
          usage: 'Verify',
          key: certificate.derBase64,
          displayName: 'Connection Utility certificate',
        },
      ],
    },
  );
  return { objectId: created.id, appId: created.appId };
}
