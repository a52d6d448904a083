import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { CertificateFacts } from '../app-certificate';
import { equalsFilter, type GraphSession, graphFailure, graphJson, graphSend } from './graph-calls';
import { untilReplicated } from './replication-retry';

interface ApplicationView {
  id: string;
  appId: string;
  displayName?: string;
  keyCredentials?: { keyId?: string | null; customKeyIdentifier?: string | null }[];
}

export interface RegisteredApplication {
  objectId: string;
  appId: string;
  /** The keyId under which the setup's certificate is registered, once Graph has said it. */
  keyId?: string;
}

/** The keyId of the key credential that is this certificate (Graph's default identifier: its SHA-1). */
function keyIdOfCertificate(found: ApplicationView, certificate: CertificateFacts): string | undefined {
  const key = found.keyCredentials?.find(
    (credential) => credential.customKeyIdentifier === certificate.keyIdentifier,
  );
  return key?.keyId ?? undefined;
}

const withKeyId = (application: RegisteredApplication, keyId: string | undefined): RegisteredApplication =>
  keyId ? { ...application, keyId } : application;

/** A new application can be missing from the replica that answers the next read: tried this long before giving up. */
const notFoundPausesMs = [1000, 2000, 4000, 8000];

const fields = '$select=id,appId,displayName,keyCredentials';

/**
 * The application an earlier attempt recorded, if Graph still has it under that object id and app id. A 404 is
 * believed only after a few tries: right after its creation the application may not have reached every replica
 * of the directory, and forgetting it would register a second one.
 */
export async function recordedApplication(
  graph: GraphSession,
  recorded: RegisteredApplication,
  certificate: CertificateFacts,
  pauses: readonly number[] = notFoundPausesMs,
): Promise<RegisteredApplication | null> {
  const step = 'reading the application registered before';
  const notFound = new AppFailure({
    code: AppErrorCode.entraGraphNotFound,
    message: `Not found while ${step}.`,
  });
  try {
    return await untilReplicated<RegisteredApplication | null>(
      async () => {
        const answer = await graphSend(
          graph,
          'GET',
          `/v1.0/applications/${encodeURIComponent(recorded.objectId)}?${fields}`,
          step,
        );
        if (answer.status === 404) return { notYet: notFound };
        if (answer.status < 200 || answer.status >= 300) throw graphFailure(answer, step);
        const found = answer.body as unknown as ApplicationView;
        if (found.appId !== recorded.appId) return { value: null };
        return { value: withKeyId(recorded, keyIdOfCertificate(found, certificate) ?? recorded.keyId) };
      },
      graph.signal,
      pauses,
    );
  } catch (error) {
    if (error === notFound) return null;
    throw error;
  }
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
  return ours
    ? withKeyId({ objectId: ours.id, appId: ours.appId }, keyIdOfCertificate(ours, certificate))
    : null;
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
  return withKeyId({ objectId: created.id, appId: created.appId }, keyIdOfCertificate(created, certificate));
}
