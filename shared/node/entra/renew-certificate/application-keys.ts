import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { graphGet } from '../graph-client';
import { type GraphTarget, graphErrorOf, parseGraphBody, sendToGraph } from '../graph-request';

// The Graph calls of a certificate roll: the app reads its own application object, adds a key and removes one,
// each with its own app-only token.

export type GraphCall = GraphTarget;

export interface ApplicationKey {
  keyId: string;
  /** Base64 of the certificate's SHA-1 thumbprint (Graph's default identifier). */
  customKeyIdentifier?: string | null;
  /** Base64 DER, when Graph returns it. */
  key?: string | null;
  endDateTime?: string | null;
}

export interface OwnApplication {
  objectId: string;
  keyCredentials: ApplicationKey[];
}

/**
 * The application object of `appId`, read with its own token; null when the app may not read it (no
 * Application.Read.All): it may still roll its keys, but must be told its object id.
 */
export async function readOwnApplication(appId: string, call: GraphCall): Promise<OwnApplication | null> {
  try {
    const found = await graphGet<{ id: string; keyCredentials?: ApplicationKey[] }>(
      `/v1.0/applications(appId='${appId}')?$select=id,keyCredentials`,
      'reading the application',
      call,
    );
    return { objectId: found.id, keyCredentials: found.keyCredentials ?? [] };
  } catch (error) {
    if (error instanceof AppFailure && error.appError.code === AppErrorCode.entraInsufficientPrivileges)
      return null;
    throw error;
  }
}

/** The keyId of the registered certificate whose SHA-1 thumbprint (raw bytes) is `sha1`; null when none is. */
export function keyIdOf(keys: readonly ApplicationKey[], sha1: Buffer, der: Buffer): string | null {
  const found = keys.find(
    (key) =>
      (key.customKeyIdentifier && Buffer.from(key.customKeyIdentifier, 'base64').equals(sha1)) ||
      (key.key && Buffer.from(key.key, 'base64').equals(der)),
  );
  return found?.keyId ?? null;
}

/** Registers a certificate (public part only) on the application; returns its keyId. */
export async function addKey(
  objectId: string,
  certificateDer: Buffer,
  displayName: string,
  proof: string,
  call: GraphCall,
): Promise<string> {
  const added = await graphPost(
    `/v1.0/applications/${encodeURIComponent(objectId)}/addKey`,
    'registering the new certificate (addKey)',
    {
      keyCredential: {
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: certificateDer.toString('base64'),
        displayName,
      },
      passwordCredential: null,
      proof,
    },
    call,
  );
  const keyId = (added as { keyId?: unknown } | null)?.keyId;
  if (typeof keyId !== 'string')
    throw new AppFailure({
      code: AppErrorCode.entraGraphError,
      message: 'Microsoft Graph registered the certificate but did not say its key id.',
      hint: 'Check the application’s certificates in the Entra admin center.',
    });
  return keyId;
}

export async function removeKey(
  objectId: string,
  keyId: string,
  proof: string,
  call: GraphCall,
): Promise<void> {
  await graphPost(
    `/v1.0/applications/${encodeURIComponent(objectId)}/removeKey`,
    'removing the old certificate (removeKey)',
    { keyId, proof },
    call,
  );
}

async function graphPost(path: string, step: string, body: unknown, call: GraphCall): Promise<unknown> {
  const response = await sendToGraph(call, { method: 'POST', path, step, body });
  if (response.status >= 200 && response.status < 300)
    return response.text ? JSON.parse(response.text) : null;
  const graph = graphErrorOf(parseGraphBody(response.text));
  const detail = { step, status: response.status, ...(graph.code ? { graphCode: graph.code } : {}) };
  // The token was issued a moment ago for this very app: a 401 here is Graph refusing the proof.
  if (response.status === 401)
    throw new AppFailure({
      code: AppErrorCode.entraKeyProofRefused,
      message: `Microsoft Graph refused the proof of possession while ${step}: it must be signed by a current certificate of the application, for its object id.`,
      hint: 'Check that the connection’s certificate is still registered on the application and not expired, and that the object id is the application’s (not its client id).',
      detail,
    });
  if (response.status === 403)
    throw new AppFailure({
      code: AppErrorCode.entraInsufficientPrivileges,
      message: `Microsoft Graph did not let the app change its own certificates while ${step}.`,
      hint: 'An app may roll its own keys with its own token; check that the object id belongs to this app.',
      detail,
    });
  if (response.status === 404)
    throw new AppFailure({
      code: AppErrorCode.entraGraphNotFound,
      message: `Microsoft Graph found no such application or key while ${step}.`,
      hint: 'Check the application’s object id in the Entra admin center (App registrations → Overview).',
      detail,
    });
  throw new AppFailure({
    code: AppErrorCode.entraGraphError,
    message: `Microsoft Graph answered ${response.status} while ${step}${graph.message ? `: ${graph.message}` : '.'}`,
    hint: 'Try again later.',
    detail,
  });
}
