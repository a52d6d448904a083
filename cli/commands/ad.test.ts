import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTlsMaterial, type TlsMaterial } from '../../e2e/fixtures/tls/tls-material';
import { testHost } from '../../shared/node/ipc/fixtures/test-host';
import { runCliInProcess } from '../run-cli-in-process';

// `ad test` without a domain controller: a TLS server on loopback whose certificate names only a host that no
// public resolver knows, and a DNS server on loopback that does. Neither speaks LDAP, so a test that gets past
// TLS ends when the server hangs up; what matters is how far it got.

const dcName = 'dc1.cu-cli-test.invalid';

let tls: TlsMaterial;
let tlsPort: number;
/** The names clients asked the TLS server for (SNI): what the certificate was checked against. */
const serverNames: string[] = [];
let dnsServer: string;
const dnsQuestions: string[] = [];
const closers: (() => void)[] = [];
const host = testHost({ host: 'cli' });

/** The name asked in a DNS query, and where its question ends. */
function question(query: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let at = 12;
  for (let length = query[at] ?? 0; length > 0; length = query[at] ?? 0) {
    labels.push(query.subarray(at + 1, at + 1 + length).toString('ascii'));
    at += length + 1;
  }
  return { name: labels.join('.'), type: query.readUInt16BE(at + 1), end: at + 5 };
}

/** The answer to `query`: 127.0.0.1 for dcName's A record, nothing else. */
function answer(query: Buffer): Buffer {
  const asked = question(query);
  const found = asked.name.toLowerCase() === dcName && asked.type === 1;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(found ? 0x8180 : 0x8183, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(found ? 1 : 0, 6);
  const record = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]);
  return Buffer.concat([header, query.subarray(12, asked.end), ...(found ? [record] : [])]);
}

beforeAll(async () => {
  tls = makeTlsMaterial(mkdtempSync(join(tmpdir(), 'cu-cli-ad-tls-')), { dns: [dcName], ips: [] });
  const server = createServer(
    { key: readFileSync(tls.keyPath), cert: readFileSync(tls.certPath) },
    (socket: TLSSocket) => {
      serverNames.push(String(socket.servername));
      socket.destroy();
    },
  );
  server.on('tlsClientError', () => {});
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  tlsPort = (server.address() as AddressInfo).port;
  closers.push(() => server.close());

  const dns = createSocket('udp4');
  dns.on('message', (query, from) => {
    dnsQuestions.push(question(query).name);
    dns.send(answer(query), from.port, from.address);
  });
  await new Promise<void>((bound) => dns.bind(0, '127.0.0.1', bound));
  dnsServer = `127.0.0.1:${dns.address().port}`;
  closers.push(() => dns.close());
}, 60_000);

afterAll(async () => {
  for (const close of closers) close();
  await host.close();
});

function adTest(...extra: string[]) {
  return runCliInProcess(
    host.router,
    ['ad', 'test', '--port', String(tlsPort), '--user', 'svc@contoso.test', '--password-stdin', ...extra],
    'Not-Sent-Anywhere-1',
  );
}

describe('ad test --dns-server', () => {
  it('reaches the domain controller through the domain’s DNS server and checks its certificate by name', async () => {
    const run = await adTest('--host', dcName, '--dns-server', dnsServer, '--ca', tls.caPath, '--json');
    expect(run.code).toBe(1);
    // Past the name and the certificate: the stand-in hung up where a DC would have answered LDAP.
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'ad.connectionLost' });
    expect(dnsQuestions).toContain(dcName);
    expect(serverNames).toContain(dcName);
  });

  it('without it the name is not found, and the next step names --dns-server', async () => {
    const json = await adTest('--host', dcName, '--ca', tls.caPath, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ code: 'ad.hostNotFound' });
    const human = await adTest('--host', dcName, '--ca', tls.caPath);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/^Next step: .*--dns-server/m);
  });

  it('takes only an IP address, IP:PORT or [IPv6]:PORT (usage error, exit 2)', async () => {
    const run = await adTest('--host', dcName, '--dns-server', 'dns.contoso.test');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--dns-server takes an IP address');
  });
});

describe('ad test failures give command-line advice', () => {
  it('an untrusted certificate: re-run with --pin <its fingerprint> or --ca, not a button of the window', async () => {
    const run = await adTest('--host', dcName, '--dns-server', dnsServer);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Error (ad.tlsUntrusted)`);
    expect(run.stderr).toContain(`  fingerprint: ${tls.fingerprint}`);
    expect(run.stderr).toContain(
      `Next step: Compare the fingerprint with the one on the domain controller, then re-run with --pin ${tls.fingerprint}, or with --ca FILE`,
    );
    expect(run.stderr).not.toMatch(/Trust this certificate|Settings →/);
  });

  it('with --no-system-trust it says the store was left out', async () => {
    const run = await adTest('--host', dcName, '--dns-server', dnsServer, '--no-system-trust');
    expect(run.stderr).toMatch(
      /Next step: .*--pin .*certificate store was not consulted \(--no-system-trust/s,
    );
  });

  it('--json keeps the AppError as the window gets it', async () => {
    const run = await adTest('--host', dcName, '--dns-server', dnsServer, '--json');
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'ad.tlsUntrusted', detail: { fingerprint: tls.fingerprint } });
    expect(error.hint).toContain('Trust this certificate');
  });
});
