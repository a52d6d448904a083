import { request } from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { httpsAgentFor, secureContextFor } from '../tls/tls-context';
import type { TrustSources } from '../tls/trust-anchors';
import { proxyFor } from './proxy-for';

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

/** A failure of the proxy itself, with the codes the error mapping has always seen for it. */
function proxyError(message: string, code: 'EPROXY' | 'ETIMEDOUT'): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * A one-request agent that tunnels through the proxy with CONNECT. The TLS session to the target still uses our
 * trust (the request's `secureContext`), and the proxy's connection ends with the request.
 */
function tunnelAgent(proxy: string, signal: AbortSignal): HttpsProxyAgent<string> {
  return new HttpsProxyAgent(proxy, { keepAlive: false, signal });
}

/** One HTTPS request with per-connection trust, HTTPS_PROXY and a hard deadline; errors keep Node's code. */
export function httpsRequest(url: string, options: HttpsOptions): Promise<HttpsResponse> {
  const target = new URL(url);
  const trust: TrustSources = {
    ...(options.caPem ? { caPem: options.caPem } : {}),
    ...(options.trustSystemStore === false ? { trustSystemStore: false } : {}),
  };
  const proxy = options.proxy === undefined ? proxyFor(target) : options.proxy;
  // Ends the proxy's connection when it does not answer CONNECT in time (the request's own timeout only starts
  // once the tunnel is up).
  const proxyDeadline = new AbortController();
  const stopTunnel = options.signal
    ? AbortSignal.any([proxyDeadline.signal, options.signal])
    : proxyDeadline.signal;
  // Through the tunnel, the agent opens the TLS session to the target from the request's options.
  const tlsToTarget: Pick<ConnectionOptions, 'secureContext'> = proxy
    ? { secureContext: secureContextFor(trust) }
    : {};
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method,
        headers: {
          ...options.headers,
          ...(options.body ? { 'content-length': Buffer.byteLength(options.body).toString() } : {}),
        },
        // Direct: one agent per set of trust sources, so that a pooled socket is never reused under other trust.
        ...(proxy
          ? { agent: tunnelAgent(proxy, stopTunnel), ...tlsToTarget }
          : { agent: httpsAgentFor(trust) }),
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
    if (proxy) {
      const timer = setTimeout(() => {
        // Rejected first: the aborted connection to the proxy would otherwise be the error the request reports.
        const error = proxyError('the proxy did not answer', 'ETIMEDOUT');
        reject(error);
        req.destroy(error);
        proxyDeadline.abort();
      }, options.timeoutMs);
      req.once('socket', () => clearTimeout(timer));
      req.once('close', () => clearTimeout(timer));
      // The agent would hand a refusal (403, 407…) on as if the target had answered it.
      req.once('proxyConnect', ({ statusCode }: { statusCode: number }) => {
        if (statusCode !== 200)
          req.destroy(proxyError(`the proxy refused the tunnel (HTTP ${statusCode})`, 'EPROXY'));
      });
    }
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}
