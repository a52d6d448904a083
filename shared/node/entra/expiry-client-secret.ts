import type { CredentialExpiry } from '../../common/connections/expiry';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import type { ConnectionStoreProvider } from '../connections/connection-store-provider';
import { recordExpiries } from '../connections/expiry-recorder';
import { endpointsFor } from './cloud-endpoints';
import { graphGet } from './graph-client';
import { signIn } from './sign-in';
import type { TenantTestInput } from './test-tenant';

interface PasswordCredential {
  endDateTime?: string | null;
  hint?: string | null;
}

/**
 * The secret's own entry among the app's secrets: Graph shows the first three characters of each as its hint.
 * Of those that match and still work (this secret just signed in), the one that ends first: a guess between two
 * alike errs towards warning early.
 */
export function secretEndOf(
  credentials: readonly PasswordCredential[],
  secret: string,
  now: Date,
): string | null {
  const ends = (credential: PasswordCredential) => Date.parse(credential.endDateTime ?? '');
  const current = credentials.filter((credential) => ends(credential) > now.getTime());
  const matching = current.filter((credential) => credential.hint && secret.startsWith(credential.hint));
  const candidates = (matching.length ? matching : current).map(ends).sort((a, b) => a - b);
  return candidates.length ? new Date(candidates[0] as number).toISOString() : null;
}

/**
 * When the client secret of an app-only connection expires, read with the app's own (cached) token from its
 * application object. That read needs Application.Read.All, which many apps lack: then the expiry is unknown,
 * never a failed test. Never throws.
 */
export async function clientSecretExpiry(input: TenantTestInput): Promise<CredentialExpiry | null> {
  const { clientId, secret } = input;
  if (input.mode !== 'clientSecret' || !clientId || !secret) return null;
  const checkedAt = new Date();
  const unknown = (note: string): CredentialExpiry => ({
    what: 'clientSecret',
    notAfter: null,
    source: clientId,
    note,
    checkedAt: checkedAt.toISOString(),
  });
  try {
    const endpoints = endpointsFor(input.cloud, {
      ...(input.authorityHost ? { authorityHost: input.authorityHost } : {}),
      ...(input.graphHost ? { graphHost: input.graphHost } : {}),
    });
    // The test just signed in with these very inputs: MSAL answers from its cache.
    const session = await signIn({ ...input, endpoints });
    const application = await graphGet<{ passwordCredentials?: PasswordCredential[] }>(
      `/v1.0/applications(appId='${clientId}')?$select=id,passwordCredentials`,
      'reading the app’s secrets',
      {
        graphHost: endpoints.graphHost,
        accessToken: session.accessToken,
        timeoutMs: input.timeoutMs,
        maxTries: 1,
        ...(input.caPem ? { caPem: input.caPem } : {}),
        ...(input.trustSystemStore === false ? { trustSystemStore: false } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      },
    );
    const notAfter = secretEndOf(application.passwordCredentials ?? [], secret, checkedAt);
    return notAfter
      ? { what: 'clientSecret', notAfter, source: clientId, checkedAt: checkedAt.toISOString() }
      : unknown('The application object lists no current secret.');
  } catch (error) {
    const code = error instanceof AppFailure ? error.appError.code : null;
    // A refusal is lasting: "unknown" says so. A passing failure (network, throttling) learns nothing, and must not
    // replace an expiry already known with "unknown", which `connections check` would no longer warn about.
    if (code !== AppErrorCode.entraInsufficientPrivileges) return null;
    return unknown(
      'The app may not read its own application object (Application.Read.All), so the secret’s expiry is unknown: see it in the Entra admin center.',
    );
  }
}

/** After a stored connection's test with its stored secret: records the secret's expiry on that connection. */
export async function recordClientSecretExpiry(
  stores: ConnectionStoreProvider,
  connectionId: string,
  input: TenantTestInput,
): Promise<void> {
  const learned = await clientSecretExpiry(input);
  if (!learned) return;
  await recordExpiries(
    stores,
    connectionId,
    [learned],
    (connection) =>
      connection.kind === 'microsoftOnline' &&
      connection.authMode === 'clientSecret' &&
      connection.clientId === input.clientId,
  );
}
