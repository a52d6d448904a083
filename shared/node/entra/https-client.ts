import { request } from 'node:https';
import { rootCertificates } from 'node:tls';

export interface HttpsResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface HttpsOptions {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Extra roots for this connection only (emulator, private proxy): trust never depends on process-wide env. */
  caPem?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** One HTTPS request with per-connection trust and a hard deadline; errors keep Node's code (ECONNREFUSED…). */
export function httpsRequest(url: string, options: HttpsOptions): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method,
        headers: {
          ...options.headers,
          ...(options.body ? { 'content-length': Buffer.byteLength(options.body).toString() } : {}),
        },
        ...(options.caPem ? { ca: [...rootCertificates, options.caPem] } : {}),
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
        Object.assign(new Error(`no answer from ${new URL(url).host} within ${options.timeoutMs} ms`), {
          code: 'ETIMEDOUT',
        }),
      ),
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}
