import type { RootDse } from '../../common/directory/directory-test';
import { AppFailure } from '../../common/errors/app-error';
import { withDeadline } from './deadline';
import { directoryError } from './directory-errors';
import { type DirectorySession, type Endpoint, openSession, readRootDse } from './directory-session';
import type { TrustPolicy } from './verifying-tls';

export interface ProbeResult {
  reachable: boolean;
  /** What the DC presented; a probe completes even when it is not trusted, since it sends no secret. */
  certificate: { fingerprint: string; trusted: boolean } | null;
  latencyMs: number | null;
  rootDse: RootDse | null;
  error: { code: string; message: string } | null;
}

/**
 * TCP + TLS + an anonymous rootDSE read, all within one deadline: a server that accepts the connection and
 * then never answers is cut off at the deadline like one that is down.
 */
export async function probeController(
  endpoint: Endpoint,
  trust: Omit<TrustPolicy, 'acceptUntrusted'>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const started = performance.now();
  let session: DirectorySession | null = null;
  try {
    const rootDse = await withDeadline(
      async () => {
        session = await openSession(endpoint, { ...trust, acceptUntrusted: true }, timeoutMs, (opened) => {
          session = opened;
        });
        return readRootDse(session.client, endpoint.serverName ?? endpoint.host);
      },
      timeoutMs,
      signal,
      () => (session as DirectorySession | null)?.close(),
    );
    const presented = (session as DirectorySession | null)?.certificate();
    return {
      reachable: true,
      latencyMs: Math.round(performance.now() - started),
      rootDse,
      certificate: presented
        ? {
            fingerprint: presented.fingerprint,
            trusted: Boolean((session as DirectorySession | null)?.trusted()),
          }
        : null,
      error: null,
    };
  } catch (error) {
    const appError =
      error instanceof AppFailure
        ? error.appError
        : directoryError(error, {
            host: endpoint.serverName ?? endpoint.host,
            port: endpoint.port,
            elapsedMs: performance.now() - started,
          });
    return {
      reachable: false,
      latencyMs: null,
      rootDse: null,
      certificate: null,
      error: { code: appError.code, message: appError.message },
    };
  } finally {
    (session as DirectorySession | null)?.close();
  }
}
