import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { EndpointCheckRequestSchema } from '../../common/entra/endpoint-check';
import { closedPort } from '../fixtures/closed-port';
import { checkEndpoints } from './check-endpoints';

// Welcome's reachability check, against the HTTPS Entra emulator of this run.
const entra = inject('entra');
const caPem = readFileSync(entra.caFile, 'utf8');
const request = (fields: Record<string, unknown>) =>
  EndpointCheckRequestSchema.parse({ timeoutMs: 3000, ...fields });

describe('checkEndpoints', () => {
  it('passes both endpoints over verified TLS with the connection’s CA', async () => {
    const result = await checkEndpoints(request({ authorityHost: entra.url, graphHost: entra.url, caPem }));
    expect(result.endpoints.map(({ name, ok, viaProxy }) => ({ name, ok, viaProxy }))).toEqual([
      { name: 'Entra sign-in', ok: true, viaProxy: false },
      { name: 'Microsoft Graph', ok: true, viaProxy: false },
    ]);
  });

  it('fails the TLS handshake without that CA, naming the host and what to do', async () => {
    const result = await checkEndpoints(request({ authorityHost: entra.url, graphHost: entra.url }));
    for (const endpoint of result.endpoints) {
      expect(endpoint.ok).toBe(false);
      expect(endpoint.error).toMatchObject({
        code: 'entra.tlsUntrusted',
        hint: expect.stringContaining('CA'),
      });
    }
  });

  it('reports each endpoint on its own: a refused Graph host does not fail sign-in', async () => {
    const graphHost = `https://127.0.0.1:${await closedPort()}`;
    const result = await checkEndpoints(request({ authorityHost: entra.url, graphHost, caPem }));
    expect(result.endpoints[0]?.ok).toBe(true);
    expect(result.endpoints[1]).toMatchObject({ ok: false, error: { code: 'entra.unreachable' } });
  });

  it('goes through HTTPS_PROXY when one is set, and says so', async () => {
    const tunnels: string[] = [];
    const sockets: { destroy(): void }[] = [];
    const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client) => {
      tunnels.push(String(req.url));
      const [host, port] = String(req.url).split(':');
      sockets.push(client);
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.push(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    process.env.HTTPS_PROXY = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const result = await checkEndpoints(request({ authorityHost: entra.url, graphHost: entra.url, caPem }));
      expect(result.endpoints.every((endpoint) => endpoint.ok && endpoint.viaProxy)).toBe(true);
      expect(tunnels).toEqual([new URL(entra.url).host, new URL(entra.url).host]);
    } finally {
      delete process.env.HTTPS_PROXY;
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => proxy.close(done));
    }
  });
});
