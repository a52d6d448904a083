import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorSignIn } from '../../e2e/fixtures/entra-emulator/cli-sign-in';
import { AdTestResultSchema } from '../../shared/common/directory/directory-test';
import { SettingsSchema } from '../../shared/common/settings';
import { writeSettings } from '../../shared/node/settings/settings-file';
import { bundleFixture } from '../../shared/node/storage/fixtures/bundle-fixture';

// "Trust what the operating system trusts": the real CLI in a child process whose system certificate store is
// a file made for the test (SSL_CERT_FILE, and an empty SSL_CERT_DIR). Node reads that store once per process,
// so every variant runs in a process of its own. The peers are this run's Samba DC and Entra emulator, each
// with its own CA; no command below names that CA (no --ca), so only the system store can vouch for them.

const dc = inject('samba');
const entra = inject('entra');
const svc = dc.users.find((user) => user.name === 'svc-idm');
// No --ca: the emulator's hosts only, so that the store alone can vouch for its certificate.
const admin = emulatorSignIn(entra, 'globalAdmin', { reach: 'hostsOnly' });
if (!svc) throw new Error('the fixtures lack svc-idm');

let cliBundle: string;
let emptyDir: string;
/** A system store holding both test CAs (as an enterprise's roots would be). */
let withTestCas: string;

beforeAll(async () => {
  cliBundle = await bundleFixture(join(import.meta.dirname, '../main.ts'));
  const dir = mkdtempSync(join(tmpdir(), 'cu-system-store-'));
  emptyDir = mkdtempSync(join(tmpdir(), 'cu-empty-certs-'));
  withTestCas = join(dir, 'ca-certificates.crt');
  writeFileSync(withTestCas, `${dc.tls.caPem}\n${readFileSync(entra.caFile, 'utf8')}`);
}, 120_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI with its own data folder, and `certFile` as the operating system's certificate store. */
function cli(
  options: { certFile: string; dataDir?: string; stdin?: string },
  ...argv: string[]
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBundle, ...argv], {
      env: {
        ...process.env,
        SSL_CERT_FILE: options.certFile,
        SSL_CERT_DIR: emptyDir,
        NODE_EXTRA_CA_CERTS: '',
        CU_USER_DATA: options.dataDir ?? mkdtempSync(join(tmpdir(), 'cu-cli-trust-')),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** A data folder whose Settings turn "Trust the operating system's certificate store" off. */
async function explicitTrustOnly(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cu-cli-trust-off-'));
  await writeSettings(dataDir, SettingsSchema.parse({ trustSystemStore: false }));
  return dataDir;
}

const adTest = ['ad', 'test', '--host', dc.host, '--user', svc.upn, '--password-stdin'];
const entraTest = admin.argv;

describe('ad test trusts the operating system store (Samba over LDAPS, no --ca)', () => {
  it('succeeds when the store holds the DC’s CA, and says the operating system vouched', async () => {
    const run = await cli({ certFile: withTestCas, stdin: svc.password }, ...adTest, '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = AdTestResultSchema.parse(JSON.parse(run.stdout));
    expect(result).toMatchObject({ tls: 'ldaps', port: 636, rootDse: { dnsHostName: dc.hostName } });
    expect(result.certificate).toMatchObject({ fingerprint: dc.tls.fingerprint, vouchedBy: 'system' });

    const human = await cli({ certFile: withTestCas, stdin: svc.password }, ...adTest);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Trust:       Trusted by the operating system’s certificate store');
  });

  it('fails with ad.tlsUntrusted when the store does not hold the CA', async () => {
    const run = await cli({ certFile: '/dev/null', stdin: svc.password }, ...adTest, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'ad.tlsUntrusted',
      detail: { fingerprint: dc.tls.fingerprint, systemStoreTrusted: true },
    });
  });

  it('fails with ad.tlsUntrusted under --no-system-trust, and the hint says the store is not trusted', async () => {
    const run = await cli(
      { certFile: withTestCas, stdin: svc.password },
      ...adTest,
      '--no-system-trust',
      '--json',
    );
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'ad.tlsUntrusted', detail: { systemStoreTrusted: false } });
    expect(error.hint).toMatch(/Trust the operating system’s certificate store/);
  });

  it('fails with ad.tlsUntrusted when Settings turn the store off (the data folder’s settings file)', async () => {
    const run = await cli(
      { certFile: withTestCas, dataDir: await explicitTrustOnly(), stdin: svc.password },
      ...adTest,
      '--json',
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'ad.tlsUntrusted' });
  });

  it('says the connection’s CA or the pin vouched when the command names one, store or not', async () => {
    const withCa = await cli(
      { certFile: withTestCas, stdin: svc.password },
      ...adTest,
      '--ca',
      dc.tls.caPath,
      '--json',
    );
    expect(withCa.code, withCa.stderr).toBe(0);
    expect(JSON.parse(withCa.stdout).certificate.vouchedBy).toBe('connectionCa');
    const pinned = await cli(
      { certFile: '/dev/null', stdin: svc.password },
      ...adTest,
      '--pin',
      dc.tls.fingerprint,
      '--no-system-trust',
      '--json',
    );
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(JSON.parse(pinned.stdout).certificate.vouchedBy).toBe('pinned');
  });
});

describe('entra test trusts the operating system store (the HTTPS Entra emulator, no --ca)', () => {
  it('signs in and reads the tenant when the store holds the emulator’s CA', async () => {
    const run = await cli({ certFile: withTestCas, stdin: admin.user.password }, ...entraTest, '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      tenantId: admin.tenant.tenantId,
      globalAdministrator: true,
    });
  });

  it('fails with entra.tlsUntrusted when the store does not hold it', async () => {
    const run = await cli({ certFile: '/dev/null', stdin: admin.user.password }, ...entraTest, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'entra.tlsUntrusted' });
  });

  it('fails with entra.tlsUntrusted under --no-system-trust, and when Settings turn the store off', async () => {
    const flagged = await cli(
      { certFile: withTestCas, stdin: admin.user.password },
      ...entraTest,
      '--no-system-trust',
      '--json',
    );
    expect(flagged.code).toBe(1);
    expect(JSON.parse(flagged.stdout)).toMatchObject({ code: 'entra.tlsUntrusted' });
    const setting = await cli(
      { certFile: withTestCas, dataDir: await explicitTrustOnly(), stdin: admin.user.password },
      ...entraTest,
      '--json',
    );
    expect(setting.code).toBe(1);
    expect(JSON.parse(setting.stdout)).toMatchObject({ code: 'entra.tlsUntrusted' });
  });
});
