import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect, type TLSSocket } from 'node:tls';
import type { CertificateInfo } from '../../common/directory/directory-test';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { certificateFacts } from '../directory/directory-errors';
import { describeCertificate } from '../directory/verifying-tls';
import { secureContextFor } from '../tls/tls-context';
import type { TrustSources } from '../tls/trust-anchors';

// An HTTPS Remote Agent is trusted in one of two ways: the certificate chains to a CA we trust and names the host
// (an admin's own certificate), or its SHA-256 fingerprint is the one pinned for this agent (its self-made one,
// trusted by the admin on first contact). A pin, once there, is the only certificate accepted: a different
// one is refused as changed, even if a CA vouches for it, as SSH refuses a changed host key.

export interface AgentTrust extends TrustSources {
  /** The fingerprint pinned for this agent's origin, if any. */
  pinnedFingerprint?: string | null;
}

export interface AgentAddress {
  host: string;
  port: number;
}

/** The agent's origin as the admin reads it and as pins are stored: https://host:port. */
export function httpsOrigin({ host, port }: AgentAddress): string {
  const name = host.toLowerCase();
  return `https://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

/** Whether the certificate a handshake showed may carry the API key; a typed AppFailure when it may not. */
export function judgeAgentCertificate(
  address: AgentAddress,
  presented: { certificate: CertificateInfo; authorized: boolean; reason: string | null },
  trust: AgentTrust,
): AppFailure | null {
  const url = httpsOrigin(address);
  const { certificate } = presented;
  const pin = trust.pinnedFingerprint?.toUpperCase();
  if (pin) {
    if (certificate.fingerprint.toUpperCase() === pin) return null;
    return new AppFailure({
      code: AppErrorCode.agentCertificateChanged,
      message: `The Remote Agent at ${url} presents another certificate than the one trusted for it. It may have been renewed or replaced, or someone may be intercepting the connection: nothing was sent.`,
      hint: 'On the agent host run "connection-utility-agent fingerprint --data DIR". Only if it prints the new fingerprint, trust the new certificate.',
      detail: { url, pinnedFingerprint: pin, ...certificateFacts(certificate) },
    });
  }
  if (presented.authorized) return null;
  return new AppFailure({
    code: AppErrorCode.agentCertificateUntrusted,
    message: `The Remote Agent at ${url} presents a certificate this computer does not trust yet (${presented.reason ?? 'unknown'}): nothing was sent.`,
    hint: 'Compare its fingerprint with the one "connection-utility-agent fingerprint --data DIR" prints on the agent host; if they are the same, choose Trust this agent.',
    detail: {
      url,
      reason: presented.reason ?? 'unknown',
      systemStoreTrusted: trust.trustSystemStore !== false,
      ...certificateFacts(certificate),
    },
  });
}

function tlsConnect(address: AgentAddress, trust: TrustSources): TLSSocket {
  return connect({
    host: address.host,
    port: address.port,
    ...(isIP(address.host) ? {} : { servername: address.host }),
    secureContext: secureContextFor(trust),
    // Judged below instead: a pinned self-made certificate must pass, an untrusted one must be described.
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
  });
}

function presentedBy(socket: TLSSocket) {
  return {
    certificate: describeCertificate(socket.getPeerCertificate(true)),
    authorized: socket.authorized,
    reason: socket.authorized ? null : String(socket.authorizationError ?? 'unknown'),
  };
}

type Created = (error: Error | null, socket: Duplex) => void;

/**
 * The `createConnection` of an HTTPS request to an agent: the socket is handed to the request only once its
 * certificate passed, so not one byte of the request (the API key, a secret) reaches an untrusted server.
 * `giveUp` ends the handshake: until the socket is handed over, destroying the request cannot reach it (Node
 * also keeps the request's own signal from createConnection).
 */
export function verifiedAgentConnection(
  address: AgentAddress,
  trust: AgentTrust,
  timeoutMs: number,
  giveUp?: AbortSignal,
): (options: unknown, created: Created) => undefined {
  return (_options, created) => {
    const socket = tlsConnect(address, trust);
    let settled = false;
    // The signal is the request's own and aborts at most once; after the hand-over, destroying a socket the
    // request already destroyed does nothing.
    const onGiveUp = () => socket.destroy(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
    // Node ignores the socket when there is an error; it is destroyed by then.
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      created(error, socket);
    };
    if (giveUp?.aborted) onGiveUp();
    else giveUp?.addEventListener('abort', onGiveUp);
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    socket.once('error', (error) => settle(error));
    socket.once('secureConnect', () => {
      const refused = judgeAgentCertificate(address, presentedBy(socket), trust);
      if (refused) {
        socket.destroy();
        settle(refused);
        return;
      }
      socket.setTimeout(0);
      settle(null);
    });
    return undefined;
  };
}

/**
 * The certificate the agent at host:port presents now (a handshake only, nothing sent), and whether it chains.
 * Aborting `signal` (Cancel) ends the handshake and its socket at once.
 */
export function presentedAgentCertificate(
  address: AgentAddress,
  trust: TrustSources,
  timeoutMs = 15_000,
  signal?: AbortSignal,
): Promise<{ certificate: CertificateInfo; authorized: boolean; reason: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(address, trust);
    const onAbort = () => socket.destroy(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort);
    socket.once('close', () => signal?.removeEventListener('abort', onAbort));
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    // `on`, not `once`: a reset after the handshake must not become an unhandled 'error'.
    socket.on('error', reject);
    socket.once('secureConnect', () => {
      const presented = presentedBy(socket);
      socket.end();
      resolve(presented);
    });
  });
}
