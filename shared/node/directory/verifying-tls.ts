import { isIP } from 'node:net';
import {
  type ConnectionOptions,
  connect,
  type PeerCertificate,
  rootCertificates,
  type TLSSocket,
} from 'node:tls';
import type { CertificateInfo } from '../../common/directory/directory-test';

export interface TrustPolicy {
  caPem?: string;
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
  ) {
    super(`untrusted certificate: ${reason}`);
  }
}

export function describeCertificate(certificate: PeerCertificate): CertificateInfo {
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
  };
}

/** TLS options for a host: system roots plus the connection's CA; SNI only for names, never for IPs. */
export function tlsOptionsFor(host: string, trust: TrustPolicy, serverName?: string): ConnectionOptions {
  const identity = serverName ?? host;
  return {
    host,
    ...(isIP(identity) ? {} : { servername: identity }),
    ...(trust.caPem ? { ca: [...rootCertificates, trust.caPem] } : {}),
    minVersion: 'TLSv1.2',
    // Verified below instead, so that a pinned certificate can be accepted and an untrusted one described.
    rejectUnauthorized: false,
  };
}

/**
 * A drop-in for tls.connect (as ldapts calls it for ldaps:// and StartTLS) that verifies the server itself:
 * accepted if the chain and host name check out, or if its SHA-256 fingerprint is pinned. Otherwise the
 * socket fails with UntrustedCertificateError before the LDAP client ever sees it connected.
 * `onCertificate` receives the certificate of every handshake, trusted or not.
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
        const certificate = describeCertificate(socket.getPeerCertificate());
        const trusted = socket.authorized || pins.has(certificate.fingerprint.toUpperCase());
        onCertificate(certificate, trusted);
        if (!trusted && !trust.acceptUntrusted) {
          socket.destroy(
            new UntrustedCertificateError(certificate, String(socket.authorizationError ?? 'unknown')),
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
