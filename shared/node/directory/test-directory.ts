import type { AdTestResult } from '../../common/directory/directory-test';
import { AppFailure } from '../../common/errors/app-error';
import { withDeadline } from './deadline';
import { directoryError } from './directory-errors';
import { type DirectorySession, type Endpoint, openSession, readRootDse } from './directory-session';
import { type PasswordExpiry, readPasswordExpiry } from './expiry-password';
import type { TrustPolicy } from './verifying-tls';

export interface DirectoryTestInput {
  endpoint: Endpoint;
  /** The connection's CA and pins, and whether the system store counts (Settings). */
  trust: Omit<TrustPolicy, 'acceptUntrusted'>;
  bindUser: string;
  password: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onStep?: (step: string, done: number, total: number) => void;
  /** Given: after the bind, the account's password expiry is read from its own entry and passed here. */
  onPasswordExpiry?: (expiry: PasswordExpiry) => void;
}

/**
 * The wizard's and the edit window's test: connect with TLS, read the rootDSE, bind as the service account.
 * Every failure becomes an AppError that says which step failed and what to do.
 */
export async function testDirectory(input: DirectoryTestInput): Promise<AdTestResult> {
  const { endpoint } = input;
  const started = performance.now();
  let session: DirectorySession | null = null;
  const step = (name: string, done: number) => input.onStep?.(name, done, 2);
  try {
    return await withDeadline(
      async () => {
        step(`Connecting to ${endpoint.host}:${endpoint.port}`, 0);
        session = await openSession(endpoint, input.trust, input.timeoutMs, (opened) => {
          session = opened;
        });
        // The rootDSE is readable anonymously: reading it first proves the TLS channel and that the server is
        // AD before the service account's password is sent anywhere.
        const rootDse = await readRootDse(session.client, endpoint.host);
        step(`Signing in as ${input.bindUser}`, 1);
        await session.client.bind(input.bindUser, input.password);
        if (input.onPasswordExpiry)
          input.onPasswordExpiry(
            await readPasswordExpiry(session.client, input.bindUser, rootDse.defaultNamingContext),
          );
        step('Done', 2);
        return {
          host: endpoint.host,
          port: endpoint.port,
          tls: endpoint.tls,
          boundAs: input.bindUser,
          elapsedMs: Math.round(performance.now() - started),
          checkedAt: new Date().toISOString(),
          certificate: session.certificate(),
          rootDse,
        };
      },
      input.timeoutMs,
      input.signal,
      () => (session as DirectorySession | null)?.close(),
    );
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    throw new AppFailure(
      directoryError(error, {
        host: endpoint.host,
        port: endpoint.port,
        elapsedMs: performance.now() - started,
      }),
    );
  } finally {
    (session as DirectorySession | null)?.close();
  }
}
