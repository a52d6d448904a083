import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Socket,
  type Server as TcpServer,
} from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateInfo } from '../../common/directory/directory-test';
import { AppFailure } from '../../common/errors/app-error';
import {
  caExtensions,
  issuedCertificate,
  selfSignedCertificate,
  serverExtensions,
} from '../tls/fixtures/openssl-certificates';
import {
  type AgentTrust,
  httpsOrigin,
  judgeAgentCertificate,
  presentedAgentCertificate,
  verifiedAgentConnection,
} from './agent-tls';

// The HTTPS Remote Agent's certificate check, in process against TLS servers on loopback (the end-to-end version
// with real agent processes is agent-pinning.integration.test.ts): a CA-issued certificate counts only under a
// name it carries, a pin is the only certificate accepted once there, and an untrusted server gets no byte.

interface Identity {
  cert: string;
  key: string;
}

let caPem: string;
/** Issued by the CA for localhost and 127.0.0.1. */
let local: Identity;
/** Issued by the same CA for agent.other.test only. */
let other: Identity;
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'cu-agent-tls-'));
  const ca = { certificate: 'ca.pem', key: 'ca.key' };
  selfSignedCertificate(dir, ca, '/CN=Agent TLS Test CA', caExtensions);
  issuedCertificate(
    dir,
    { certificate: 'local.pem', key: 'local.key' },
    ca,
    '/CN=localhost',
    serverExtensions('DNS:localhost,IP:127.0.0.1'),
  );
  issuedCertificate(
    dir,
    { certificate: 'other.pem', key: 'other.key' },
    ca,
    '/CN=agent.other.test',
    serverExtensions('DNS:agent.other.test'),
  );
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  caPem = read('ca.pem');
  local = { cert: read('local.pem'), key: read('local.key') };
  other = { cert: read('other.pem'), key: read('other.key') };
});

afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

/** Closes the server and whatever connections it still has, so no test waits on another's sockets. */
const close = (server: Server | TcpServer) => {
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of open) socket.destroy();
      server.close(() => resolve());
    });
};

/** What a client's hello asked of an agent-like server, and whether its TCP connection has ended since. */
interface Seen {
  servername: string | false | undefined;
  protocols: string[];
  ended: boolean;
}

/**
 * An HTTPS-ish server: completes handshakes (agreeing to http/1.1 only), counts every byte a client sends, answers
 * 200 to a request, and records each hello (SNI and ALPN) and the end of each connection.
 */
async function agentLike(
  identity: Identity,
): Promise<{ port: number; received: () => number; seen: Seen[] }> {
  let received = 0;
  const seen: Seen[] = [];
  const connections: Seen[] = [];
  // Called with each client hello that offers ALPN (a hello without it is never recorded, and fails the tests).
  const hello = ({ servername, protocols }: { servername: string; protocols: string[] }) => {
    const entry = connections[seen.length];
    if (entry) seen.push(Object.assign(entry, { servername, protocols }));
    return protocols.includes('http/1.1') ? 'http/1.1' : undefined;
  };
  const server = createServer({ ...identity, ALPNCallback: hello }, (socket) => {
    socket.on('data', (data: Buffer) => {
      received += data.length;
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
    });
    socket.on('error', () => {});
  });
  server.on('connection', (tcp: Socket) => {
    const entry: Seen = { servername: undefined, protocols: [], ended: false };
    connections.push(entry);
    tcp.on('close', () => {
      entry.ended = true;
    });
  });
  server.on('tlsClientError', () => {});
  closers.push(close(server));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received: () => received, seen };
}

/** What verifiedAgentConnection hands the request: the error, or the socket (then closed). */
function connectVia(port: number, host: string, trust: AgentTrust, timeoutMs = 5000): Promise<Error | null> {
  return new Promise((resolve) => {
    verifiedAgentConnection(
      { host, port },
      trust,
      timeoutMs,
    )(undefined, (error: Error | null, socket: Duplex) => {
      if (!error) socket.destroy();
      resolve(error);
    });
  });
}

const code = (error: Error | null) => (error instanceof AppFailure ? error.appError.code : error?.message);
const fingerprintOf = async (port: number) =>
  (await presentedAgentCertificate({ host: '127.0.0.1', port }, { trustSystemStore: false })).certificate
    .fingerprint;

describe('an HTTPS agent trusted by a CA', () => {
  it('is accepted under a name its certificate carries, by name and by address', async () => {
    const agent = await agentLike(local);
    expect(await connectVia(agent.port, 'localhost', { caPem, trustSystemStore: false })).toBeNull();
    expect(await connectVia(agent.port, '127.0.0.1', { caPem, trustSystemStore: false })).toBeNull();
  });

  it('is refused under a name its certificate does not carry, and receives no byte of the request', async () => {
    const agent = await agentLike(other);
    const refused = await connectVia(agent.port, '127.0.0.1', { caPem, trustSystemStore: false });
    expect(refused).toBeInstanceOf(AppFailure);
    expect((refused as AppFailure).appError).toMatchObject({
      code: 'agent.certificateUntrusted',
      detail: {
        url: `https://127.0.0.1:${agent.port}`,
        reason: 'ERR_TLS_CERT_ALTNAME_INVALID',
        systemStoreTrusted: false,
        subject: 'CN=agent.other.test',
        subjectAltNames: 'DNS:agent.other.test',
      },
    });
    expect(agent.received()).toBe(0);
  });

  it('carries a real request only over a verified socket: a mismatched name fails the request, unsent', async () => {
    const agent = await agentLike(other);
    const send = (host: string, trust: AgentTrust) =>
      new Promise<string>((resolve) => {
        const outgoing = request(
          `https://${host}:${agent.port}/api/connections`,
          {
            headers: { authorization: 'Bearer the-api-key' },
            createConnection: verifiedAgentConnection({ host, port: agent.port }, trust, 5000),
          },
          (response) => resolve(String(response.statusCode)),
        );
        outgoing.on('error', (error) => resolve(code(error) ?? 'error'));
        outgoing.end();
      });
    expect(await send('127.0.0.1', { caPem, trustSystemStore: false })).toBe('agent.certificateUntrusted');
    expect(agent.received()).toBe(0);
    // The same server, pinned: now the request goes through, which shows the refusal above was the check's.
    const pin = await fingerprintOf(agent.port);
    expect(await send('127.0.0.1', { caPem, trustSystemStore: false, pinnedFingerprint: pin })).toBe('200');
    expect(agent.received()).toBeGreaterThan(0);
  });
});

describe('the verified socket', () => {
  it('asks for the agent by name (SNI) and for HTTP/1.1 only; an address sends no name', async () => {
    const agent = await agentLike(local);
    expect(await connectVia(agent.port, 'localhost', { caPem, trustSystemStore: false })).toBeNull();
    expect(await connectVia(agent.port, '127.0.0.1', { caPem, trustSystemStore: false })).toBeNull();
    expect(agent.seen.map(({ servername, protocols }) => ({ servername, protocols }))).toEqual([
      { servername: 'localhost', protocols: ['http/1.1'] },
      { servername: false, protocols: ['http/1.1'] },
    ]);
  });

  it('closes the connection to a refused agent at once', async () => {
    const agent = await agentLike(other);
    expect(await connectVia(agent.port, '127.0.0.1', { caPem, trustSystemStore: false })).toBeInstanceOf(
      AppFailure,
    );
    await expect.poll(() => agent.seen.map((seen) => seen.ended), { timeout: 2000 }).toEqual([true]);
  });

  it('outlives its handshake timeout once trusted: a kept-alive socket is not cut off while idle', async () => {
    const agent = await agentLike(local);
    const socket = await new Promise<Duplex>((resolve, reject) => {
      verifiedAgentConnection(
        { host: 'localhost', port: agent.port },
        { caPem, trustSystemStore: false },
        150,
      )(undefined, (error: Error | null, created: Duplex) => (error ? reject(error) : resolve(created)));
    });
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });

  it('hands the request its socket once: an error after a trusted handshake is the request’s, not a second answer', async () => {
    const resetting = createServer(local, (socket) => socket.on('error', () => {}));
    // Reset at the TCP level once the handshake is done: the client socket then fails with ECONNRESET.
    resetting.on('connection', (tcp: Socket) => {
      tcp.on('error', () => {});
      setTimeout(() => tcp.resetAndDestroy(), 100);
    });
    closers.push(close(resetting));
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const port = (resetting.address() as AddressInfo).port;
    const answers: (Error | null)[] = [];
    await new Promise<void>((resolve) => {
      verifiedAgentConnection(
        { host: 'localhost', port },
        { caPem, trustSystemStore: false },
        5000,
      )(undefined, (error: Error | null, socket: Duplex) => {
        answers.push(error);
        socket.on('error', () => {});
        socket.on('close', () => setTimeout(resolve, 50));
      });
    });
    expect(answers).toEqual([null]);
  });
});

describe('a pinned agent', () => {
  it('is accepted by its pin alone, whatever name or CA, in any letter case', async () => {
    const agent = await agentLike(other);
    const pin = (await fingerprintOf(agent.port)).toLowerCase();
    expect(
      await connectVia(agent.port, '127.0.0.1', { trustSystemStore: false, pinnedFingerprint: pin }),
    ).toBeNull();
  });

  it('showing another certificate is refused as changed, even when a trusted CA vouches for it', async () => {
    const agent = await agentLike(local);
    const pin = `${'AB:'.repeat(31)}AB`;
    const refused = await connectVia(agent.port, 'localhost', {
      caPem,
      trustSystemStore: false,
      pinnedFingerprint: pin,
    });
    expect((refused as AppFailure).appError).toMatchObject({
      code: 'agent.certificateChanged',
      detail: { url: `https://localhost:${agent.port}`, pinnedFingerprint: pin, subject: 'CN=localhost' },
    });
    expect(agent.received()).toBe(0);
  });
});

describe('an agent no one vouches for', () => {
  it('is refused as untrusted, with the reason and whether the system store counted', async () => {
    const agent = await agentLike(local);
    const off = await connectVia(agent.port, 'localhost', { trustSystemStore: false });
    expect((off as AppFailure).appError).toMatchObject({
      code: 'agent.certificateUntrusted',
      detail: { systemStoreTrusted: false, reason: expect.stringMatching(/ISSUER|VERIFY|SELF_SIGNED/) },
    });
    const on = await connectVia(agent.port, 'localhost', {});
    expect((on as AppFailure).appError.detail).toMatchObject({ systemStoreTrusted: true });
  });

  it('that accepts TCP and never finishes the handshake ends at the timeout, with ETIMEDOUT', async () => {
    const mute = createTcpServer((socket) => socket.resume());
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    closers.push(close(mute));
    const port = (mute.address() as AddressInfo).port;
    const error = await connectVia(port, '127.0.0.1', {}, 200);
    expect(error).toMatchObject({ message: 'timeout', code: 'ETIMEDOUT' });
    await expect(presentedAgentCertificate({ host: '127.0.0.1', port }, {}, 200)).rejects.toMatchObject({
      message: 'timeout',
      code: 'ETIMEDOUT',
    });
  });

  it('that refuses the connection fails it with the socket’s own error', async () => {
    const agent = await agentLike(local);
    const port = agent.port;
    await closers.pop()?.();
    expect(await connectVia(port, '127.0.0.1', {})).toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('presentedAgentCertificate', () => {
  it('shows the certificate and whether it chains, sending nothing', async () => {
    const agent = await agentLike(other);
    const untrusted = await presentedAgentCertificate(
      { host: '127.0.0.1', port: agent.port },
      { trustSystemStore: false },
    );
    expect(untrusted).toMatchObject({
      certificate: { subject: 'CN=agent.other.test' },
      authorized: false,
      reason: expect.any(String),
    });
    const named = await agentLike(local);
    expect(
      await presentedAgentCertificate(
        { host: 'localhost', port: named.port },
        { caPem, trustSystemStore: false },
      ),
    ).toMatchObject({ authorized: true, reason: null });
    expect(agent.received() + named.received()).toBe(0);
  });
});

describe('judgeAgentCertificate', () => {
  const certificate: CertificateInfo = {
    subject: 'CN=agent',
    issuer: 'CN=agent',
    validFrom: 'a',
    validTo: 'b',
    fingerprint: 'AA:BB',
    subjectAltNames: null,
    vouchedBy: null,
  };
  const address = { host: 'Agent.Example', port: 40443 };

  it('passes an authorized certificate without a pin, and a pinned one whatever authorized says', () => {
    expect(judgeAgentCertificate(address, { certificate, authorized: true, reason: null }, {})).toBeNull();
    expect(
      judgeAgentCertificate(
        address,
        { certificate, authorized: false, reason: 'x' },
        { pinnedFingerprint: 'aa:bb' },
      ),
    ).toBeNull();
  });

  it('says why, with the origin, the reason and the certificate’s facts, when it refuses', () => {
    const refused = judgeAgentCertificate(address, { certificate, authorized: false, reason: null }, {});
    expect(refused?.appError).toMatchObject({
      code: 'agent.certificateUntrusted',
      message: expect.stringContaining(
        'https://agent.example:40443 presents a certificate this computer does not trust yet (unknown)',
      ),
      hint: expect.stringContaining('fingerprint'),
      detail: {
        url: 'https://agent.example:40443',
        reason: 'unknown',
        systemStoreTrusted: true,
        fingerprint: 'AA:BB',
      },
    });
    const changed = judgeAgentCertificate(
      address,
      { certificate, authorized: true, reason: null },
      { pinnedFingerprint: 'cc:dd' },
    );
    expect(changed?.appError).toMatchObject({
      code: 'agent.certificateChanged',
      message: expect.stringContaining('https://agent.example:40443 presents another certificate'),
      hint: expect.stringContaining('connection-utility-agent fingerprint --data DIR'),
      detail: { pinnedFingerprint: 'CC:DD', fingerprint: 'AA:BB' },
    });
  });
});

describe('httpsOrigin', () => {
  it('lower-cases the host and brackets an IPv6 address', () => {
    expect(httpsOrigin({ host: 'Agent.Contoso.TEST', port: 40443 })).toBe('https://agent.contoso.test:40443');
    expect(httpsOrigin({ host: '::1', port: 1 })).toBe('https://[::1]:1');
    expect(httpsOrigin({ host: 'FE80::1', port: 2 })).toBe('https://[fe80::1]:2');
  });
});
