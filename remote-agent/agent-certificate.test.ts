import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { certificateNames, ensureAgentCertificate } from './agent-certificate';
import { agentCertificateFiles } from './agent-certificate-files';
import { killAgents, runAgentCommand, startAgent, stopAgents } from './fixtures/agent-process';

// The real agent with --tls on loopback: the certificate it makes, presents, keeps and renews.
const scratch = () => mkdtempSync(join(tmpdir(), 'cu-agent-tls-'));
const day = 24 * 60 * 60 * 1000;

afterEach(killAgents);

const start = (dataDir: string, extra: string[] = []) =>
  startAgent(['--host', '127.0.0.1', '--port', '0', '--data', dataDir, ...extra]);

/** What the server actually presents, whatever anyone trusts. */
function presentedFingerprint(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise, reject) => {
    const socket = connect(
      { host: hostname, port: Number(port), servername: 'localhost', rejectUnauthorized: false },
      () => {
        resolvePromise(socket.getPeerCertificate().fingerprint256);
        socket.end();
      },
    );
    socket.once('error', reject);
  });
}

function health(url: string, ca: string): Promise<{ status: number | undefined; body: string }> {
  return new Promise((resolvePromise, reject) => {
    httpsGet(new URL('/api/health', url), { ca }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolvePromise({ status: response.statusCode, body }));
    }).once('error', reject);
  });
}

const fingerprintCommand = (dataDir: string) => runAgentCommand(['fingerprint', '--data', dataDir]);

describe('the agent with --tls', () => {
  it('serves HTTPS with the certificate it announces, keeps its key private and reuses it', async () => {
    const dataDir = scratch();
    const { ready } = await start(dataDir, ['--tls']);
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.certificateFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(await presentedFingerprint(ready.url)).toBe(ready.certificateFingerprint);

    const { certFile, keyFile } = agentCertificateFiles(dataDir);
    const certPem = readFileSync(certFile, 'utf8');
    // Trusting exactly this certificate, the IP in the URL matches its 127.0.0.1 entry.
    const answer = await health(ready.url, certPem);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok' });
    if (process.platform !== 'win32') {
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'tls')).mode & 0o777).toBe(0o700);
    }
    const cert = new X509Certificate(certPem);
    const lifetime = new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime();
    expect(lifetime).toBeGreaterThan(729 * day);
    expect(lifetime).toBeLessThan(732 * day);

    await stopAgents();
    const again = await start(dataDir, ['--tls']);
    expect(again.ready.certificateFingerprint).toBe(ready.certificateFingerprint);
    expect(await presentedFingerprint(again.ready.url)).toBe(ready.certificateFingerprint);

    const printed = fingerprintCommand(dataDir);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toBe(`${ready.certificateFingerprint}\n`);
  }, 60_000);

  it('covers every --tls-san name besides the loopback ones', async () => {
    const dataDir = scratch();
    const { ready } = await start(dataDir, [
      '--tls',
      '--tls-san',
      'agent.corp.example',
      '--tls-san',
      '10.9.8.7',
    ]);
    const cert = new X509Certificate(readFileSync(agentCertificateFiles(dataDir).certFile));
    expect(cert.fingerprint256).toBe(ready.certificateFingerprint);
    for (const name of ['agent.corp.example', 'localhost']) expect(cert.checkHost(name)).toBe(name);
    for (const ip of ['10.9.8.7', '127.0.0.1', '::1']) expect(cert.checkIP(ip)).toBe(ip);
  }, 60_000);

  it('replaces a certificate with fewer than 30 days left, and says so in its log', async () => {
    const dataDir = scratch();
    const names = ['localhost', '127.0.0.1'];
    // Made 2 years minus 10 days ago: it ends in 10 days.
    const old = await ensureAgentCertificate(dataDir, names, new Date(Date.now() - 720 * day));
    expect(new Date(old.validTo).getTime() - Date.now()).toBeLessThan(11 * day);

    const { ready, stderr } = await start(dataDir, ['--tls']);
    expect(ready.certificateFingerprint).not.toBe(old.fingerprint);
    expect(await presentedFingerprint(ready.url)).toBe(ready.certificateFingerprint);
    const cert = new X509Certificate(readFileSync(agentCertificateFiles(dataDir).certFile));
    expect(new Date(cert.validTo).getTime() - Date.now()).toBeGreaterThan(700 * day);
    expect(stderr()).toContain("Renewed the agent's TLS certificate because it expires on");
  }, 60_000);

  it('announces the fingerprint of an admin certificate given with --tls-cert, and makes none', async () => {
    const source = scratch();
    const admin = await ensureAgentCertificate(source, ['localhost', '127.0.0.1']);
    const dataDir = scratch();
    const { ready } = await start(dataDir, ['--tls-cert', admin.certFile, '--tls-key', admin.keyFile]);
    expect(ready.certificateFingerprint).toBe(admin.fingerprint);
    expect(await presentedFingerprint(ready.url)).toBe(admin.fingerprint);
    expect(fingerprintCommand(dataDir).status).toBe(1);
  }, 60_000);

  it('stays on plain HTTP on loopback without --tls, with no fingerprint', async () => {
    const { ready } = await start(scratch());
    expect(ready.url).toMatch(/^http:\/\//);
    expect(ready).not.toHaveProperty('certificateFingerprint');
  }, 60_000);
});

describe('agent fingerprint', () => {
  it('exits 1 with a sentence when the agent has made no certificate yet', () => {
    const { status, stdout, stderr } = fingerprintCommand(scratch());
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^There is no agent certificate in .* yet: start the agent once with --tls/);
  });
});

describe('certificateNames', () => {
  const machine = { hostname: 'Agent-Host', fqdn: 'agent-host.corp.example' };
  it('adds the loopback names when bound to loopback or every interface, and the bound address otherwise', () => {
    expect(certificateNames('0.0.0.0', [], machine)).toEqual([
      'agent-host',
      'agent-host.corp.example',
      'localhost',
      '127.0.0.1',
      '::1',
    ]);
    expect(certificateNames('10.0.0.5', ['Agent.Alias'], { hostname: 'h', fqdn: null })).toEqual([
      'h',
      '10.0.0.5',
      'agent.alias',
    ]);
  });
});
