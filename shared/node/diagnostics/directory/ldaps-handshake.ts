import type { CertificateInfo } from '../../../common/directory/directory-test';
import type { Endpoint } from '../../directory/directory-session';
import { type TrustPolicy, tlsOptionsFor, verifyingTlsConnect } from '../../directory/verifying-tls';

/**
 * A TLS handshake with an LDAPS port and nothing sent after it: the certificate, judged as a bind would judge
 * it (an untrusted one fails with UntrustedCertificateError, carrying its facts). The LDAP client only
 * connects on its first request, so the TLS stage shakes hands on its own. The whole handshake has one
 * deadline, not an idle timeout a server could keep resetting by sending a byte at a time, and cancelling
 * destroys the socket: neither leaves it open.
 */
export function ldapsHandshake(
  endpoint: Endpoint,
  trust: Omit<TrustPolicy, 'acceptUntrusted'>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<CertificateInfo> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
      return;
    }
    let seen: CertificateInfo | null = null;
    const socket = verifyingTlsConnect(trust, (certificate) => {
      seen = certificate;
    })({ ...tlsOptionsFor(endpoint.host, trust, endpoint.serverName), port: endpoint.port });
    const deadline = setTimeout(
      () =>
        socket.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    const onAbort = () => socket.destroy(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('close', () => {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
    });
    // `on`: a reset after the handshake must not become an unhandled 'error'.
    socket.on('error', reject);
    socket.once('secureConnect', () => {
      socket.end();
      socket.destroy();
      if (seen) resolve(seen);
      else reject(new Error('the handshake showed no certificate'));
    });
  });
}
