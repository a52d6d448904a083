import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { httpsRequest, proxyFor } from './https-client';

describe('proxyFor', () => {
  const url = new URL('https://login.microsoftonline.com/contoso.com');
  it('uses HTTPS_PROXY unless NO_PROXY matches the host', () => {
    expect(proxyFor(url, {})).toBeNull();
    expect(proxyFor(url, { HTTPS_PROXY: 'http://proxy:3128' })).toBe('http://proxy:3128');
    expect(proxyFor(url, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'microsoftonline.com' })).toBeNull();
    expect(
      proxyFor(url, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.microsoftonline.com,other' }),
    ).toBeNull();
    expect(proxyFor(url, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'example.com' })).toBe(
      'http://proxy:3128',
    );
    expect(proxyFor(url, { https_proxy: 'http://p:1', NO_PROXY: '*' })).toBeNull();
  });
});

describe('httpsRequest through a CONNECT proxy (loopback)', () => {
  const entra = inject('entra');
  const caPem = readFileSync(entra.caFile, 'utf8');
  let proxy: Server;
  const tunnels: string[] = [];
  const sockets: { destroy(): void }[] = [];
  // The request names a port where nothing listens; only the proxy knows to send it to the emulator, so a
  // request that skipped the tunnel could not reach it.
  let closedPort = 0;
  const emulatorPort = Number(new URL(entra.url).port);
  beforeAll(async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client, head) => {
      tunnels.push(String(req.url));
      const [host, port] = String(req.url).split(':');
      sockets.push(client);
      const upstream = connect(Number(port) === closedPort ? emulatorPort : Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.push(upstream);
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => proxy.close(() => resolve()));
  });

  it('tunnels to the target and still verifies its certificate', async () => {
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    const target = new URL(entra.url);
    target.port = String(closedPort);
    const url = `${target.origin}/contoso.test/v2.0/.well-known/openid-configuration`;
    const response = await httpsRequest(url, { method: 'GET', caPem, timeoutMs: 5000, proxy: proxyUrl });
    expect(response.status).toBe(200);
    expect(tunnels).toEqual([target.host]);
    await expect(httpsRequest(url, { method: 'GET', timeoutMs: 5000, proxy: proxyUrl })).rejects.toThrow(
      /certificate/i,
    );
  });
});
