import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { emulatorHosts, emulatorSignIn } from '../../e2e/fixtures/entra-emulator/cli-sign-in';
import { TenantTestResultSchema } from '../../shared/common/entra/tenant-test';
import { SettingsSchema } from '../../shared/common/settings';
import { testHost } from '../../shared/node/ipc/fixtures/test-host';
import { createHandlers } from '../../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../../shared/node/ipc/node-host-dependencies';
import { createRouter } from '../../shared/node/ipc/router';
import { writeSettings } from '../../shared/node/settings/settings-file';
import { runCliInProcess } from '../run-cli-in-process';

const entra = inject('entra');
const admin = emulatorSignIn(entra, 'globalAdmin');
const nonAdmin = emulatorSignIn(entra, 'nonAdmin');
const { tenant } = admin;
const app = tenant.apps.find((candidate) => !candidate.publicClient);
const deps = nodeHostDependencies({
  host: 'cli',
  userDataDir: mkdtempSync(join(tmpdir(), 'cu-cli-aad-')),
});
const router = createRouter(createHandlers(deps), { operations: deps.operations });
afterAll(() => deps.connectionStores.close());

const hosts = emulatorHosts(entra, 'hostsAndCa');

function cli(stdin: string, ...argv: string[]) {
  return runCliInProcess(router, argv, stdin);
}

describe('connection-utility entra test (against the Entra emulator)', () => {
  it('--user --password-stdin --json prints the tenant test contract', async () => {
    const { code, stdout } = await cli(`${admin.user.password}\n`, ...admin.argv, '--json');
    expect(code).toBe(0);
    expect(TenantTestResultSchema.parse(JSON.parse(stdout))).toMatchObject({
      tenantId: tenant.tenantId,
      globalAdministrator: true,
    });
  });

  it('--client-id --secret-stdin signs in app-only', async () => {
    const { code, stdout } = await cli(
      app?.secret ?? '',
      'entra',
      'test',
      '--domain',
      tenant.domain,
      '--client-id',
      app?.clientId ?? '',
      '--secret-stdin',
      ...hosts,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^OK: .* signed in to Contoso/);
  });

  it('--cert --key signs in with the certificate', async () => {
    const { code } = await cli(
      '',
      'aad',
      'test',
      '--domain',
      tenant.domain,
      '--client-id',
      app?.clientId ?? '',
      '--cert',
      app?.certificateFile ?? '',
      '--key',
      app?.keyFile ?? '',
      ...hosts,
      '--json',
    );
    expect(code).toBe(0);
  });

  it('a wrong password exits 1 with the AppError as JSON, never echoing it', async () => {
    const { code, stdout } = await cli('Wrong-Pa55word!', ...admin.argv, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ code: 'entra.invalidCredentials', detail: { aadsts: 50126 } });
    expect(stdout).not.toContain('Wrong-Pa55word!');
  });

  it('needs exactly one sign-in method (usage error, exit 2)', async () => {
    expect((await cli('', 'entra', 'test', '--domain', 'contoso.test')).code).toBe(2);
    expect(
      (await cli('', 'entra', 'test', '--domain', 'contoso.test', '--password-stdin', '--device-code')).code,
    ).toBe(2);
  });
});

describe('entra test and the Global Administrator role', () => {
  const asUser = (...extra: string[]) => cli(nonAdmin.user.password, ...nonAdmin.argv, ...extra);

  it('exits 1 for an account without the role, still printing the result and the warning', async () => {
    const json = await asUser('--json');
    expect(json.code).toBe(1);
    expect(TenantTestResultSchema.parse(JSON.parse(json.stdout))).toMatchObject({
      user: nonAdmin.user.upn,
      globalAdministrator: false,
      warnings: [expect.stringContaining('does not hold the Global Administrator role')],
    });
    expect(json.stderr).toContain(
      `Check failed: ${nonAdmin.user.upn} does not hold the Global Administrator role`,
    );

    const human = await asUser();
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('Global Administrator: no');
    expect(human.stdout).toMatch(/^Warning: .*does not hold the Global Administrator role/m);
    expect(human.stderr).toContain('--allow-missing-role');
  });

  it('--allow-missing-role exits 0 for a deliberate check of another account', async () => {
    const run = await asUser('--allow-missing-role', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ globalAdministrator: false });
    expect(run.stderr).toBe('');
  });

  it('exits 0 for a Global Administrator (the old name, aad, still works)', async () => {
    const aad = emulatorSignIn(entra, 'globalAdmin', { command: 'aad' });
    const run = await cli(aad.user.password, ...aad.argv);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Global Administrator: yes');
  });
});

describe('entra test and the data folder’s Settings', () => {
  it('signs in through the hosts and CA that Settings name, without options for them', async () => {
    const host = testHost({ host: 'cli' });
    try {
      await writeSettings(
        host.userDataDir,
        SettingsSchema.parse({
          microsoftOnline: {
            authorityHost: entra.url,
            graphHost: entra.url,
            caPem: readFileSync(entra.caFile, 'utf8'),
          },
        }),
      );
      const signIn = emulatorSignIn(entra, 'globalAdmin', { reach: 'settings' });
      const run = await runCliInProcess(host.router, [...signIn.argv, '--json'], signIn.user.password);
      expect(run.code, run.stdout).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ tenantId: tenant.tenantId, globalAdministrator: true });
    } finally {
      await host.close();
    }
  });

  it('an account that must use MFA: the next step is --browser, not the window’s sign-in choice', async () => {
    const mfa = emulatorSignIn(entra, 'mfaRequired');
    const run = await cli(mfa.user.password, ...mfa.argv);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error (entra.mfaRequired)');
    expect(run.stderr).toMatch(/^Next step: Re-run with --browser for this account/m);
  });

  it('an untrusted sign-in host: the next step is --ca FILE, not the window’s CA bundle field', async () => {
    const withoutCa = emulatorSignIn(entra, 'globalAdmin', { reach: 'hostsOnly' });
    const run = await cli(withoutCa.user.password, ...withoutCa.argv, '--no-system-trust');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error (entra.tlsUntrusted)');
    expect(run.stderr).toMatch(/^Next step: If a proxy inspects TLS, re-run with --ca FILE/m);
    expect(run.stderr).not.toMatch(/CA bundle|Settings turns/);
  });
});
