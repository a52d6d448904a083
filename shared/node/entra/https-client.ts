import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { httpsAgentFor, secureContextFor } from '../tls/tls-context';
import type { TrustSources } from '../tls/trust-anchors';

export interface HttpsResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface HttpsOptions extends TrustSources {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /**
   * Extra roots for this connection only (emulator, TLS-inspecting proxy), beside the bundled roots and, unless
   * `trustSystemStore` is false, the operating system's store.
   */
  caPem?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Defaults to the environment's HTTPS_PROXY / NO_PROXY. */
  proxy?: string | null;
}

/** The proxy for a URL per HTTPS_PROXY and NO_PROXY (comma-separated host suffixes, or *). */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): string | null {
  const proxy = env.HTTPS_PROXY ?? env.https_proxy;
  if (!proxy) return null;
  const exclusions = (env.NO_PROXY ?? env.no_proxy ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  const host = url.hostname.toLowerCase();
  const excluded = exclusions.some(
    (entry) =>
      entry === '*' ||
      host === entry.replace(/^\./, '') ||
      host.endsWith(entry.startsWith('.') ? entry : `.${entry}`),
  );
  return excluded ? null : proxy;
}

/** A TLS connection to the target through an HTTP CONNECT tunnel; the target's certificate is still verified. */
function tunnel(proxy: string, target: URL, trust: TrustSources, timeoutMs: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const proxyUrl = new URL(proxy);
    const port = target.port || '443';
    const authorization = proxyUrl.username
      ? {
          'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}`).toString('base64')}`,
        }
      : {};
    const connect = httpRequest({
      host: proxyUrl.hostname,
      port: proxyUrl.port || 80,
      method: 'CONNECT',
      path: `${target.hostname}:${port}`,
      headers: { host: `${target.hostname}:${port}`, ...authorization },
      timeout: timeoutMs,
    });
    connect.on('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(
          Object.assign(new Error(`the proxy refused the tunnel (HTTP ${response.statusCode})`), {
            code: 'EPROXY',
          }),
        );
        return;
      }
      const secure = tlsConnect({
        socket,
        ...(isIP(target.hostname) ? {} : { servername: target.hostname }),
        secureContext: secureContextFor(trust),
      });
      secure.once('secureConnect', () => resolve(secure));
      secure.once('error', reject);
    });
    connect.on('timeout', () =>
      connect.destroy(Object.assign(new Error('the proxy did not answer'), { code: 'ETIMEDOUT' })),
    );
    connect.on('error', reject);
    connect.end();
  });
}

/** One HTTPS request with per-connection trust, HTTPS_PROXY and a hard deadline; errors keep Node's code. */
export async function httpsRequest(url: string, options: HttpsOptions): Promise<HttpsResponse> {
  const target = new URL(url);
  const trust: TrustSources = {
    ...(options.caPem ? { caPem: options.caPem } : {}),
    ...(options.trustSystemStore === false ? { trustSystemStore: false } : {}),
  };
  const proxy = options.proxy === undefined ? proxyFor(target) : options.proxy;
  const socket = proxy ? await tunnel(proxy, target, trust, options.timeoutMs) : null;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method,
        headers: {
          ...options.headers,
          ...(options.body ? { 'content-length': Buffer.byteLength(options.body).toString() } : {}),
        },
        // Through a proxy: the tunnel's socket, and no agent (`agent: false` would make a fresh agent that
        // ignores createConnection and dials the target directly). Else one agent per set of trust sources, so
        // that a pooled socket is never reused under other trust.
        ...(socket ? { createConnection: () => socket } : { agent: httpsAgentFor(trust) }),
        timeout: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined)
              headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({
            status: response.statusCode ?? 0,
            headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(
        Object.assign(new Error(`no answer from ${target.host} within ${options.timeoutMs} ms`), {
          code: 'ETIMEDOUT',
        }),
      ),
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}
