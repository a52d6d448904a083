import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { secureContextFor } from '../../tls/tls-context';
import type { TrustSources } from '../../tls/trust-anchors';
import { shownProxy } from './proxy-choice';

export interface Endpoint {
  host: string;
  port: number;
}

/** The port a URL's host is reached on (443 unless it names one). */
export function endpointOf(url: URL): Endpoint {
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || 443 };
}

const hostPort = ({ host, port }: Endpoint) => `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;

/** A socket that is given up with `error` when the deadline or the signal comes first. */
function bounded<T>(
  work: (settle: { resolve: (value: T) => void; reject: (error: Error) => void }) => Socket,
  timeoutMs: number,
  onTimeout: () => Error,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let socket: Socket | undefined;
    let settled = false;
    const done = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    };
    // Once settled, the socket is the caller's: a late error or end must not tear it down here.
    const fail = (error: Error) => {
      if (settled) return;
      done();
      socket?.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(onTimeout()), timeoutMs);
    const abort = () =>
      fail(
        new AppFailure({ code: AppErrorCode.operationCancelled, message: 'The diagnosis was cancelled.' }),
      );
    signal?.addEventListener('abort', abort, { once: true });
    socket = work({
      resolve: (value) => {
        if (settled) return;
        done();
        resolve(value);
      },
      reject: fail,
    });
  });
}

function unreachable(target: string, errno: string | undefined, viaProxy: string | null): AppFailure {
  const refused = errno === 'ECONNREFUSED';
  return new AppFailure({
    code: AppErrorCode.entraUnreachable,
    message: refused
      ? `Nothing accepts connections on ${target}${viaProxy ? ' (the proxy)' : ''}: the connection was refused.`
      : `${target}${viaProxy ? ' (the proxy)' : ''} could not be reached (${errno ?? 'no answer'}).`,
    hint: viaProxy
      ? `Check that the proxy ${viaProxy} runs and that this host may reach it, or correct HTTPS_PROXY.`
      : `Check the firewall allows outbound TCP to ${target}, or set HTTPS_PROXY when only a proxy may reach the internet.`,
    detail: { target, ...(errno ? { errno } : {}), ...(viaProxy ? { proxy: viaProxy } : {}) },
  });
}

function timedOut(target: string, timeoutMs: number, viaProxy: string | null): AppFailure {
  return new AppFailure({
    code: AppErrorCode.entraTimeout,
    message: `${target}${viaProxy ? ' (the proxy)' : ''} did not accept a connection within ${timeoutMs} ms.`,
    hint: viaProxy
      ? `Check that the proxy ${viaProxy} runs and that a firewall lets this host reach it.`
      : `Check the firewall allows outbound TCP to ${target}; a silently dropped port looks like this.`,
    detail: { target, timeoutMs, ...(viaProxy ? { proxy: viaProxy } : {}) },
  });
}

/** A TCP connection to `target` (for an https proxy, a verified TLS one). */
export function openConnection(
  target: Endpoint,
  options: { timeoutMs: number; signal?: AbortSignal; proxyTls?: TrustSources; proxy: string | null },
): Promise<Socket> {
  const shown = hostPort(target);
  return bounded<Socket>(
    ({ resolve, reject }) => {
      const socket = options.proxyTls
        ? connectTls({
            host: target.host,
            port: target.port,
            ...(isIP(target.host) ? {} : { servername: target.host }),
            secureContext: secureContextFor(options.proxyTls),
          })
        : connectTcp({ host: target.host, port: target.port });
      socket.once(options.proxyTls ? 'secureConnect' : 'connect', () => resolve(socket));
      socket.once('error', (error: NodeJS.ErrnoException) =>
        reject(unreachable(shown, error.code, options.proxy)),
      );
      return socket;
    },
    options.timeoutMs,
    () => timedOut(shown, options.timeoutMs, options.proxy),
    options.signal,
  );
}

/** Asks the proxy on `socket` for a tunnel to `target` (HTTP CONNECT); resolves once it answered 200. */
export function openTunnel(
  socket: Socket,
  target: Endpoint,
  proxyUrl: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<Socket> {
  const proxy = shownProxy(proxyUrl);
  const parsed = new URL(proxyUrl.includes('://') ? proxyUrl : `http://${proxyUrl}`);
  const credentials = parsed.username
    ? `Proxy-Authorization: Basic ${Buffer.from(
        `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`,
      ).toString('base64')}\r\n`
    : '';
  const shown = hostPort(target);
  return bounded<Socket>(
    ({ resolve, reject }) => {
      let answer = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        answer = Buffer.concat([answer, chunk]);
        const end = answer.indexOf('\r\n\r\n');
        if (end === -1) {
          if (answer.length > 16 * 1024) reject(refusedTunnel(proxy, shown, 'an unreadable answer'));
          return;
        }
        socket.off('data', onData);
        // Held until the TLS session takes the socket over, so no byte of the server's is read past.
        socket.pause();
        const status = Number(
          /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(answer.subarray(0, end).toString('latin1'))?.[1],
        );
        if (status !== 200) return reject(refusedTunnel(proxy, shown, `HTTP ${status || '?'}`));
        // Anything after the header already belongs to the tunnel.
        const rest = answer.subarray(end + 4);
        if (rest.length) socket.unshift(rest);
        resolve(socket);
      };
      socket.on('data', onData);
      socket.once('error', (error: NodeJS.ErrnoException) => reject(unreachable(proxy, error.code, proxy)));
      socket.once('end', () => reject(refusedTunnel(proxy, shown, 'a closed connection')));
      socket.write(`CONNECT ${shown} HTTP/1.1\r\nHost: ${shown}\r\n${credentials}\r\n`);
      return socket;
    },
    options.timeoutMs,
    () => timedOut(proxy, options.timeoutMs, proxy),
    options.signal,
  );
}

function refusedTunnel(proxy: string, target: string, answer: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.entraUnreachable,
    message: `The proxy ${proxy} refused the tunnel to ${target} (${answer}).`,
    hint: `Check that the proxy allows CONNECT to ${target} and, if it asks for credentials (407), that HTTPS_PROXY carries them.`,
    detail: { proxy, target, answer },
  });
}
