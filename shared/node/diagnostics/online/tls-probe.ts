import type { X509Certificate } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import type { VouchedBy } from '../../../common/directory/directory-test';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { secureContextFor } from '../../tls/tls-context';
import { bundledCertificates, type TrustSources } from '../../tls/trust-anchors';
import { type AnchorSet, anchorSet, chainsTo, peerChain, whoVouched } from '../../tls/vouched-by';
import type { Endpoint } from './tcp-probe';

/** What the TLS handshake with the sign-in host showed, whether or not this host trusts it. */
export interface TlsHandshake {
  /** The leaf's issuer by its common name (else its organisation): what an admin recognises. */
  issuer: string;
  /** The last certificate of the chain the server sent (or Node completed), when it is another one. */
  root: string | null;
  /** The names the certificate is for (its subjectAltName). */
  names: string;
  validTo: string;
  protocol: string | null;
  /** Whether Node's bundled public roots alone vouch for the chain: false for an inspecting proxy's own CA. */
  publicCa: boolean;
  vouchedBy: Exclude<VouchedBy, 'pinned'> | null;
  authorized: boolean;
  /** Node's reason when not authorized: ERR_TLS_CERT_ALTNAME_INVALID, SELF_SIGNED_CERT_IN_CHAIN, … */
  authorizationError: string | null;
}

let publicRoots: AnchorSet | undefined;

function nameOf(distinguishedName: string): string {
  const parts = distinguishedName.split('\n');
  const pick = (key: string) => parts.find((part) => part.startsWith(`${key}=`))?.slice(key.length + 1);
  return pick('CN') ?? pick('O') ?? parts.join(', ');
}

function readHandshake(socket: TLSSocket, trust: TrustSources): TlsHandshake {
  const peer = socket.getPeerCertificate(true);
  const chain: X509Certificate[] = peer?.raw ? peerChain(peer) : [];
  const [leaf] = chain;
  const last = chain.at(-1);
  const authorizationError = socket.authorizationError ? String(socket.authorizationError) : null;
  publicRoots ??= anchorSet(bundledCertificates());
  return {
    issuer: leaf ? nameOf(leaf.issuer) : 'nobody',
    root: last && leaf && chain.length > 1 ? nameOf(last.subject) : null,
    names: leaf?.subjectAltName ?? '',
    validTo: leaf ? leaf.validToDate.toISOString().slice(0, 10) : '',
    protocol: socket.getProtocol(),
    publicCa: chainsTo(chain, publicRoots),
    vouchedBy: socket.authorized
      ? (whoVouched(peer, trust, { authorized: true, pinned: false }) as TlsHandshake['vouchedBy'])
      : null,
    authorized: socket.authorized,
    authorizationError,
  };
}

/**
 * A TLS handshake with `target` over `socket` (direct, or a proxy's tunnel), under the connection's trust. It is
 * completed even when the certificate is not trusted, so that the issuer can be named; nothing is sent over it.
 */
export function tlsHandshake(
  socket: Socket,
  target: Endpoint,
  trust: TrustSources,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<TlsHandshake> {
  return new Promise((resolve, reject) => {
    const session = connectTls({
      socket,
      host: target.host,
      ...(isIP(target.host) ? {} : { servername: target.host }),
      secureContext: secureContextFor(trust),
      // Judged below, after the issuer is read: a refused certificate is the finding, not an error.
      rejectUnauthorized: false,
    });
    const end = (error: Error | null, value?: TlsHandshake) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      session.destroy();
      socket.destroy();
      if (error) reject(error);
      else if (value) resolve(value);
    };
    const abort = () =>
      end(new AppFailure({ code: AppErrorCode.operationCancelled, message: 'The diagnosis was cancelled.' }));
    const timer = setTimeout(
      () =>
        end(
          new AppFailure({
            code: AppErrorCode.entraTimeout,
            message: `${target.host} did not complete a TLS handshake within ${options.timeoutMs} ms.`,
            hint: 'A proxy or firewall that holds TLS sessions it does not like looks like this: check HTTPS_PROXY and the firewall.',
            detail: { host: target.host, timeoutMs: options.timeoutMs },
          }),
        ),
      options.timeoutMs,
    );
    options.signal?.addEventListener('abort', abort, { once: true });
    session.once('secureConnect', () => end(null, readHandshake(session, trust)));
    session.once('error', (error: NodeJS.ErrnoException) =>
      end(
        new AppFailure({
          code: AppErrorCode.entraUnreachable,
          message: `The TLS handshake with ${target.host} failed (${error.code ?? 'no code'}).`,
          hint: 'A proxy or firewall that ends TLS sessions to hosts it does not allow looks like this: check HTTPS_PROXY and the firewall rules for the Microsoft 365 endpoints.',
          detail: { host: target.host, ...(error.code ? { errno: error.code } : {}) },
        }),
      ),
    );
  });
}

export interface TlsVerdictContext {
  host: string;
  side: 'local' | 'agentHost';
  /** The proxy the session went through (credentials removed), or null. */
  proxy: string | null;
  trustSystemStore: boolean;
}

const vouchedSentence: Record<NonNullable<TlsHandshake['vouchedBy']>, string> = {
  bundled: 'a public CA',
  connectionCa:
    'not a public CA: trusted through the connection’s CA (a private endpoint, or a TLS-inspecting proxy)',
  system: 'not a public CA: trusted through this host’s certificate store (a TLS-inspecting proxy?)',
};

/** The stage's one line for a trusted certificate; a typed failure naming the issuer for any other. */
export function tlsVerdict(handshake: TlsHandshake, context: TlsVerdictContext): string {
  const issued = `issued by '${handshake.issuer}'${handshake.root && handshake.root !== handshake.issuer ? ` (root '${handshake.root}')` : ''}`;
  if (handshake.authorized && handshake.vouchedBy)
    return `${issued}, ${vouchedSentence[handshake.vouchedBy]}; ${handshake.protocol ?? 'TLS'}, valid until ${handshake.validTo}`;
  throw new AppFailure(untrusted(handshake, context, issued));
}

function untrusted(handshake: TlsHandshake, context: TlsVerdictContext, issued: string) {
  const { host } = context;
  const reason = handshake.authorizationError ?? 'unknown';
  const facts = {
    host,
    issuer: handshake.issuer,
    tlsError: reason,
    ...(context.proxy ? { proxy: context.proxy } : {}),
  };
  if (reason === 'CERT_HAS_EXPIRED' || reason === 'CERT_NOT_YET_VALID') {
    const expired = reason === 'CERT_HAS_EXPIRED';
    return {
      code: AppErrorCode.entraTlsUntrusted,
      message: expired
        ? `The certificate for ${host} (${issued}) has expired.`
        : `The certificate for ${host} (${issued}) is not valid yet.`,
      hint: 'Check this host’s date and time first; if they are right, whoever serves this certificate must renew it.',
      detail: { ...facts, stageDetail: `${issued}: ${expired ? 'expired' : 'not valid yet'}` },
    };
  }
  // The chain is trusted (Node checks the names only then), but not for this host.
  if (reason === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return {
      code: AppErrorCode.entraTlsUntrusted,
      message: `The certificate ${host} presented is not for ${host} (${handshake.names || 'no names'}).`,
      hint: 'Check the sign-in host in Settings or the connection; a proxy answering for another host looks like this too.',
      detail: { ...facts, stageDetail: `${issued}, for ${handshake.names || 'no names'}` },
    };
  // Node's bundled roots do not vouch for it: someone between this host and Microsoft answers in its place.
  if (!handshake.publicCa) {
    const store = context.trustSystemStore
      ? 'this host’s certificate store'
      : 'this host’s certificate store (and turn on trusting it)';
    const update = context.side === 'agentHost' ? ' (then Update Remote Agent)' : '';
    return {
      code: AppErrorCode.entraTlsUntrusted,
      message: `The certificate for ${host} is issued by '${handshake.issuer}', which this host does not trust — a TLS-inspecting proxy?`,
      hint: `Add its CA ('${handshake.issuer}') to the connection’s CA bundle${update} or to ${store}, or bypass the proxy for ${host}${context.proxy ? ' (NO_PROXY)' : ''}.`,
      detail: {
        ...facts,
        inspectingProxy: true,
        stageDetail: `${issued}, not a public CA: a TLS-inspecting proxy?`,
      },
    };
  }
  return {
    code: AppErrorCode.entraTlsUntrusted,
    message: `The certificate for ${host} (${issued}) is not trusted (${reason}).`,
    hint: 'Check this host’s date and time and its certificate store, then run the diagnosis again.',
    detail: { ...facts, stageDetail: `${issued}: ${reason}` },
  };
}
