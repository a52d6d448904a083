import { isIP } from 'node:net';
import { type ConnectionOptions, connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { CertificateInfo, VouchedBy } from '../../common/directory/directory-test';
import { secureContextFor } from '../tls/tls-context';
import type { TrustSources } from '../tls/trust-anchors';
import { whoVouched } from '../tls/vouched-by';

export interface TrustPolicy extends TrustSources {
  pinnedFingerprints: readonly string[];
  /**
   * Complete the handshake even with an untrusted certificate (and report it as such). Only for anonymous
   * probes that send nothing secret; never for a connection that binds.
   */
  acceptUntrusted?: boolean;
}

/** Thrown (as the socket's error) when the server's certificate is neither trusted nor pinned. */
export class UntrustedCertificateError extends Error {
  override name = 'UntrustedCertificateError';
  constructor(
    readonly certificate: CertificateInfo,
    readonly reason: string,
    /** Whether the operating system's store was consulted: the hint differs when Settings turned it off. */
    readonly systemStoreTrusted = true,
  ) {
    super(`untrusted certificate: ${reason}`);
  }
}

export function describeCertificate(
  certificate: PeerCertificate,
  vouchedBy: VouchedBy | null = null,
): CertificateInfo {
  const name = (entity: PeerCertificate['subject'] | undefined) =>
    entity
      ? Object.entries(entity)
          .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
          .join(', ')
      : '';
  return {
    subject: name(certificate.subject),
    issuer: name(certificate.issuer),
    validFrom: certificate.valid_from,
    validTo: certificate.valid_to,
    fingerprint: certificate.fingerprint256,
    subjectAltNames: certificate.subjectaltname ?? null,
    vouchedBy,
  };
}

/**
 * TLS options for a host: the bundled roots, the system store (unless turned off) and the connection's CA, in a
 * context that also sets TLS 1.2 as the minimum; SNI only for names, never for IPs.
 */
export function tlsOptionsFor(host: string, trust: TrustPolicy, serverName?: string): ConnectionOptions {
  const identity = serverName ?? host;
  return {
    host,
    ...(isIP(identity) ? {} : { servername: identity }),
    secureContext: secureContextFor(trust),
    // Verified below instead, so that a pinned certificate can be accepted and an untrusted one described.
    rejectUnauthorized: false,
  };
}

/**
 * A drop-in for tls.connect (as ldapts calls it for ldaps:// and StartTLS) that verifies the server itself:
 * accepted if the chain and host name check out, or if its SHA-256 fingerprint is pinned. Otherwise the
 * socket fails with UntrustedCertificateError before the LDAP client ever sees it connected.
 * `onCertificate` receives the certificate of every handshake, trusted or not, with what vouched for it.
 */
export function verifyingTlsConnect(
  trust: TrustPolicy,
  onCertificate: (certificate: CertificateInfo, trusted: boolean) => void,
): typeof connect {
  const pins = new Set(trust.pinnedFingerprints.map((pin) => pin.toUpperCase()));
  const factory = (...args: unknown[]): TLSSocket => {
    const socket = (connect as (...a: unknown[]) => TLSSocket)(...args);
    const emit = socket.emit.bind(socket);
    // ldapts waits for 'secureConnect'; holding that event back until the certificate is judged keeps an
    // untrusted server from ever being treated as connected.
    socket.emit = ((event: string | symbol, ...rest: unknown[]) => {
      if (event === 'secureConnect') {
        const peer = socket.getPeerCertificate(true);
        const pinned = pins.has(peer.fingerprint256.toUpperCase());
        const trusted = socket.authorized || pinned;
        const certificate = describeCertificate(
          peer,
          whoVouched(peer, trust, { authorized: socket.authorized, pinned }),
        );
        onCertificate(certificate, trusted);
        if (!trusted && !trust.acceptUntrusted) {
          socket.destroy(
            new UntrustedCertificateError(
              certificate,
              String(socket.authorizationError ?? 'unknown'),
              trust.trustSystemStore !== false,
            ),
          );
          return true;
        }
      }
      return emit(event, ...rest);
    }) as typeof socket.emit;
    return socket;
  };
  return factory as typeof connect;
}
