import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorSignIn } from '../e2e/fixtures/entra-emulator/cli-sign-in';
import { buildCli } from '../scripts/build-cli';
import { AppInfoSchema } from '../shared/common/app-info';
import { ConnectionsListResponseSchema } from '../shared/common/connections/requests';
import { TenantTestResultSchema } from '../shared/common/entra/tenant-test';
import { closedPort } from '../shared/node/fixtures/closed-port';

// The bundle scripts/build-cli.ts makes, run as users run it: `app info` answers without loading the chunk that
// holds every handler (LDAP, MSAL, the store); a command that needs a handler loads it and works.

let entry: string;
let handlersChunk: string;
/** An ESM hook that reports, on stderr, every file the process loads. */
let loadReporter: string;

beforeAll(async () => {
  entry = await buildCli(join(mkdtempSync(join(tmpdir(), 'cu-cli-bundle-')), 'cli'));
  handlersChunk = readdirSync(dirname(entry)).find((name) => name.startsWith('cli-handlers-')) ?? '';
  loadReporter = join(mkdtempSync(join(tmpdir(), 'cu-cli-hook-')), 'report-loads.mjs');
  writeFileSync(
    loadReporter,
    `import { registerHooks } from 'node:module';
registerHooks({ load(url, context, next) { process.stderr.write('loaded ' + url + '\\n'); return next(url, context); } });`,
  );
}, 60_000);

function runBundle(...argv: string[]) {
  return runBundleWith('Not-A-Real-Password-1', ...argv);
}

function runBundleWith(stdin: string, ...argv: string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cu-cli-bundle-data-'));
  return new Promise<{ code: number; stdout: string; stderr: string; dataDir: string }>((done, fail) => {
    const child = execFile(
      process.execPath,
      ['--import', pathToFileURL(loadReporter).href, entry, ...argv],
      // Far from the checkout: the bundle needs nothing from node_modules.
      { cwd: tmpdir(), env: { ...process.env, CU_USER_DATA: dataDir } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') fail(error);
        else done({ code: error ? Number(error.code) : 0, stdout, stderr, dataDir });
      },
    );
    child.stdin?.end(stdin);
  });
}

describe('the CLI bundle (out/cli)', () => {
  it('has the handlers in a chunk of their own', () => {
    expect(handlersChunk).toMatch(/^cli-handlers-.*\.mjs$/);
  });

  it('answers app info --json without loading the handlers', async () => {
    const run = await runBundle('app', 'info', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(AppInfoSchema.parse(JSON.parse(run.stdout))).toMatchObject({
      host: 'cli',
      userDataDir: run.dataDir,
    });
    expect(run.stderr).toContain(pathToFileURL(entry).href);
    expect(run.stderr).not.toContain(handlersChunk);
  });

  it('loads the handlers for a command that needs them: connections list --json', async () => {
    const run = await runBundle('connections', 'list', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(ConnectionsListResponseSchema.parse(JSON.parse(run.stdout)).connections).toEqual([]);
    expect(run.stderr).toContain(handlersChunk);
  });

  it('runs the LDAP client from the handlers chunk: ad test reports the refused connection', async () => {
    const port = await closedPort();
    const run = await runBundle(
      'ad',
      'test',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--user',
      'svc@contoso.test',
      '--password-stdin',
      '--json',
    );
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'ad.connectionRefused' });
  });

  it('runs MSAL from the handlers chunk: entra test reports the unreachable sign-in host', async () => {
    const url = `https://127.0.0.1:${await closedPort()}`;
    const run = await runBundle(
      'entra',
      'test',
      '--domain',
      'contoso.test',
      '--user',
      'admin@contoso.test',
      '--password-stdin',
      '--authority-host',
      url,
      '--graph-host',
      url,
      '--timeout-ms',
      '5000',
      '--json',
    );
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'entra.unreachable' });
  });

  it('signs in to the Entra emulator: MSAL, Graph and TLS with a CA, all from the bundle', async () => {
    const admin = emulatorSignIn(inject('entra'), 'globalAdmin');
    const run = await runBundleWith(admin.user.password, ...admin.argv, '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(TenantTestResultSchema.parse(JSON.parse(run.stdout))).toMatchObject({
      tenantId: admin.tenant.tenantId,
      globalAdministrator: true,
    });
  });

  it('keeps the usage exit code and the help', async () => {
    const usage = await runBundle('app', 'info', '--bogus');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown option '--bogus'");
    const help = await runBundle('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('entra test [options]');
  });
});
