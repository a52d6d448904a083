import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { closedPort } from '../fixtures/closed-port';
import { httpsRequest } from './https-client';
import { proxyFor as proxyForEnv } from './proxy-for';

const proxyVariables = ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

/** proxyFor under exactly these variables (the proxy variables of the test run's own environment cleared). */
function proxyFor(url: URL, env: Record<string, string>): string | null {
  for (const name of proxyVariables) vi.stubEnv(name, env[name] ?? '');
  return proxyForEnv(url);
}

describe('proxyFor', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });
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

  it('matches NO_PROXY entries by whole labels and by port when one is given', () => {
    const proxy = { HTTPS_PROXY: 'http://proxy:3128' };
    expect(proxyFor(url, { ...proxy, NO_PROXY: 'softonline.com' })).toBe('http://proxy:3128');
    expect(proxyFor(url, { ...proxy, NO_PROXY: 'microsoftonline.com:8443' })).toBe('http://proxy:3128');
    expect(proxyFor(url, { ...proxy, NO_PROXY: 'microsoftonline.com:443' })).toBeNull();
    expect(proxyFor(url, { ...proxy, no_proxy: 'login.microsoftonline.com' })).toBeNull();
  });

  it('reads a NO_PROXY entry with a leading dot as the domain itself and everything below it, as curl does', () => {
    const proxy = { HTTPS_PROXY: 'http://proxy:3128' };
    const apex = new URL('https://contoso.com/');
    for (const entry of ['.contoso.com', '*.contoso.com', '.contoso.com:443', 'other,.CONTOSO.com']) {
      expect(proxyFor(apex, { ...proxy, NO_PROXY: entry }), entry).toBeNull();
      expect(
        proxyFor(new URL('https://login.contoso.com/'), { ...proxy, NO_PROXY: entry }),
        entry,
      ).toBeNull();
    }
    // Whole labels only, and the port when one is given.
    expect(proxyFor(new URL('https://notcontoso.com/'), { ...proxy, NO_PROXY: '.contoso.com' })).toBe(
      'http://proxy:3128',
    );
    expect(proxyFor(apex, { ...proxy, NO_PROXY: '.contoso.com:8443' })).toBe('http://proxy:3128');
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
  let refusingPort = 0;
  const emulatorPort = Number(new URL(entra.url).port);
  beforeAll(async () => {
    refusingPort = await closedPort();
    proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client, head) => {
      tunnels.push(String(req.url));
      const [host, port] = String(req.url).split(':');
      sockets.push(client);
      const upstream = connect(Number(port) === refusingPort ? emulatorPort : Number(port), host, () => {
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
    target.port = String(refusingPort);
    const url = `${target.origin}/contoso.test/v2.0/.well-known/openid-configuration`;
    const response = await httpsRequest(url, { method: 'GET', caPem, timeoutMs: 5000, proxy: proxyUrl });
    expect(response.status).toBe(200);
    expect(tunnels).toEqual([target.host]);
    await expect(httpsRequest(url, { method: 'GET', timeoutMs: 5000, proxy: proxyUrl })).rejects.toThrow(
      /certificate/i,
    );
  });
});

describe('httpsRequest when the proxy fails', () => {
  const servers: Server[] = [];
  const sockets: { destroy(): void }[] = [];
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  });
  async function proxyThat(onConnect: (client: import('node:stream').Duplex) => void): Promise<string> {
    const server = createServer((_req, res) => res.writeHead(405).end());
    server.on('connect', (_req, client) => {
      sockets.push(client);
      onConnect(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  it('rejects a refused tunnel as the proxy’s error, not as an answer from the target', async () => {
    const proxy = await proxyThat((client) =>
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n'),
    );
    await expect(
      httpsRequest('https://login.example.test/', { method: 'GET', timeoutMs: 5000, proxy }),
    ).rejects.toMatchObject({ code: 'EPROXY', message: expect.stringContaining('HTTP 407') });
  });

  it('times out a proxy that never answers CONNECT, and hangs up on it', async () => {
    let hungUp: Promise<void> = Promise.reject(new Error('the proxy saw no CONNECT'));
    hungUp.catch(() => undefined);
    const proxy = await proxyThat((client) => {
      hungUp = new Promise((done) => client.once('end', () => done()));
      client.resume();
    });
    await expect(
      httpsRequest('https://login.example.test/', { method: 'GET', timeoutMs: 300, proxy }),
    ).rejects.toMatchObject({ code: 'ETIMEDOUT', message: 'the proxy did not answer' });
    await hungUp;
  });
});
