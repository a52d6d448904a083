import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFixture } from '../storage/fixtures/bundle-fixture';
import { makeTestPki, type TestPki } from './fixtures/test-pki';
import { bundledCertificates, splitPem, trustAnchors, trustKey } from './trust-anchors';

const run = promisify(execFile);

interface ProbeResult {
  systemCount: number;
  inSystem: boolean;
  inAnchorsOn: boolean;
  inAnchorsOff: boolean;
  inAnchorsOffWithCa: boolean;
  handshakeOn?: string;
  handshakeOff?: string;
}

let pki: TestPki;
let probe: string;
let server: Server;
let port: number;
let emptyDir: string;

/** The probe in a process of its own, whose system store is exactly `certFile` (and no folder). */
async function probeWith(certFile: string, input: object): Promise<ProbeResult> {
  const { stdout } = await run(process.execPath, [probe, JSON.stringify(input)], {
    env: { ...process.env, SSL_CERT_FILE: certFile, SSL_CERT_DIR: emptyDir, NODE_EXTRA_CA_CERTS: '' },
    timeout: 20_000,
  });
  return JSON.parse(stdout) as ProbeResult;
}

beforeAll(async () => {
  pki = makeTestPki();
  emptyDir = mkdtempSync(join(tmpdir(), 'cu-empty-certs-'));
  probe = await bundleFixture(join(import.meta.dirname, 'fixtures/trust-probe.ts'));
  server = createServer({ cert: pki.leafPem, key: pki.leafKeyPem }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
}, 60_000);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('trust anchors and the operating system store', () => {
  it('includes a CA that SSL_CERT_FILE lists, and verifies a server with it as "system"', async () => {
    const bundle = join(pki.dir, 'system-bundle.pem');
    writeFileSync(bundle, `${bundledCertificates()[0]}\n${pki.rootPem}`);
    const result = await probeWith(bundle, { look: pki.rootPem, port });
    expect(result).toEqual({
      systemCount: 2,
      inSystem: true,
      inAnchorsOn: true,
      inAnchorsOff: false,
      inAnchorsOffWithCa: true,
      handshakeOn: 'system',
      handshakeOff: 'UntrustedCertificateError',
    });
  });

  it('has nothing from the system when the store is empty (SSL_CERT_FILE=/dev/null)', async () => {
    const result = await probeWith('/dev/null', { look: pki.rootPem, port });
    expect(result).toMatchObject({
      systemCount: 0,
      inSystem: false,
      inAnchorsOn: false,
      handshakeOn: 'UntrustedCertificateError',
      handshakeOff: 'UntrustedCertificateError',
    });
  });

  it('says the connection’s CA vouched when it is both the connection’s CA and in the system store', async () => {
    const bundle = join(pki.dir, 'system-bundle-2.pem');
    writeFileSync(bundle, pki.rootPem);
    const result = await probeWith(bundle, { look: pki.rootPem, port, caPem: pki.rootPem });
    expect(result).toMatchObject({ handshakeOn: 'connectionCa', handshakeOff: 'connectionCa' });
  });
});

describe('trustAnchors (in this process)', () => {
  it('always holds the bundled roots, and the connection’s CA when it has one', () => {
    const anchors = trustAnchors({ trustSystemStore: false, caPem: pki.rootPem });
    expect(anchors).toEqual(expect.arrayContaining([...bundledCertificates(), ...splitPem(pki.rootPem)]));
    expect(trustAnchors({ trustSystemStore: false })).toHaveLength(bundledCertificates().length);
  });

  it('splits a PEM bundle into one certificate each, ignoring text between them', () => {
    const bundle = `# ours\n${pki.rootPem}\nsome text\n${pki.intermediatePem}`;
    expect(splitPem(bundle)).toHaveLength(2);
    expect(splitPem(undefined)).toEqual([]);
  });

  it('names each set of sources apart for the caches', () => {
    const keys = new Set([
      trustKey({}),
      trustKey({ trustSystemStore: false }),
      trustKey({ caPem: pki.rootPem }),
      trustKey({ caPem: pki.rootPem, trustSystemStore: false }),
    ]);
    expect(keys.size).toBe(4);
    expect(trustKey({ trustSystemStore: true })).toBe(trustKey({}));
  });
});
