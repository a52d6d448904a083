import type { CertificateInfo } from '../../../common/directory/directory-test';
import type { Endpoint } from '../../directory/directory-session';
import { type TrustPolicy, tlsOptionsFor, verifyingTlsConnect } from '../../directory/verifying-tls';

/**
 * A TLS handshake with an LDAPS port and nothing sent after it: the certificate, judged as a bind would judge
 * it (an untrusted one fails with UntrustedCertificateError, carrying its facts). The LDAP client only
 * connects on its first request, so the TLS stage shakes hands on its own.
 */
export function ldapsHandshake(
  endpoint: Endpoint,
  trust: Omit<TrustPolicy, 'acceptUntrusted'>,
  timeoutMs: number,
): Promise<CertificateInfo> {
  return new Promise((resolve, reject) => {
    let seen: CertificateInfo | null = null;
    const socket = verifyingTlsConnect(trust, (certificate) => {
      seen = certificate;
    })({ ...tlsOptionsFor(endpoint.host, trust, endpoint.serverName), port: endpoint.port });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
    );
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
