import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TenantTestResultSchema } from '../../shared/common/entra/tenant-test';
import { SettingsSchema } from '../../shared/common/settings';
import { testHost } from '../../shared/node/ipc/fixtures/test-host';
import { createHandlers } from '../../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../../shared/node/ipc/node-host-dependencies';
import { createRouter } from '../../shared/node/ipc/router';
import { writeSettings } from '../../shared/node/settings/settings-file';
import { runCliInProcess } from '../run-cli-in-process';

const entra = inject('entra');
const tenant = entra.tenants[0];
const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
const nonAdmin = tenant?.users.find((user) => user.scenario === 'nonAdmin');
const app = tenant?.apps.find((candidate) => !candidate.publicClient);
const deps = nodeHostDependencies({
  host: 'cli',
  userDataDir: mkdtempSync(join(tmpdir(), 'cu-cli-aad-')),
});
const router = createRouter(createHandlers(deps), { operations: deps.operations });
afterAll(() => deps.connectionStores.close());

const hosts = ['--authority-host', entra.url, '--graph-host', entra.url, '--ca', entra.caFile];

function cli(stdin: string, ...argv: string[]) {
  return runCliInProcess(router, argv, stdin);
}

describe('connection-utility entra test (against the Entra emulator)', () => {
  it('--user --password-stdin --json prints the tenant test contract', async () => {
    const { code, stdout } = await cli(
      `${admin?.password}\n`,
      'entra',
      'test',
      '--domain',
      tenant?.domain ?? '',
      '--user',
      admin?.upn ?? '',
      '--password-stdin',
      ...hosts,
      '--json',
    );
    expect(code).toBe(0);
    expect(TenantTestResultSchema.parse(JSON.parse(stdout))).toMatchObject({
      tenantId: tenant?.tenantId,
      globalAdministrator: true,
    });
  });

  it('--client-id --secret-stdin signs in app-only', async () => {
    const { code, stdout } = await cli(
      app?.secret ?? '',
      'entra',
      'test',
      '--domain',
      tenant?.domain ?? '',
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
      tenant?.domain ?? '',
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
    const { code, stdout } = await cli(
      'Wrong-Pa55word!',
      'entra',
      'test',
      '--domain',
      tenant?.domain ?? '',
      '--user',
      admin?.upn ?? '',
      '--password-stdin',
      ...hosts,
      '--json',
    );
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
  const asUser = (...extra: string[]) =>
    cli(
      nonAdmin?.password ?? '',
      'entra',
      'test',
      '--domain',
      tenant?.domain ?? '',
      '--user',
      nonAdmin?.upn ?? '',
      '--password-stdin',
      ...hosts,
      ...extra,
    );

  it('exits 1 for an account without the role, still printing the result and the warning', async () => {
    const json = await asUser('--json');
    expect(json.code).toBe(1);
    expect(TenantTestResultSchema.parse(JSON.parse(json.stdout))).toMatchObject({
      user: nonAdmin?.upn,
      globalAdministrator: false,
      warnings: [expect.stringContaining('does not hold the Global Administrator role')],
    });
    expect(json.stderr).toContain(
      `Check failed: ${nonAdmin?.upn} does not hold the Global Administrator role`,
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
    const run = await cli(
      admin?.password ?? '',
      'aad',
      'test',
      '--domain',
      tenant?.domain ?? '',
      '--user',
      admin?.upn ?? '',
      '--password-stdin',
      ...hosts,
    );
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
      const run = await runCliInProcess(
        host.router,
        [
          'entra',
          'test',
          '--domain',
          tenant?.domain ?? '',
          '--user',
          admin?.upn ?? '',
          '--password-stdin',
          '--json',
        ],
        admin?.password,
      );
      expect(run.code, run.stdout).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ tenantId: tenant?.tenantId, globalAdministrator: true });
    } finally {
      await host.close();
    }
  });

  it('an account that must use MFA: the next step is --device-code, not the window’s sign-in choice', async () => {
    const mfa = tenant?.users.find((user) => user.scenario === 'mfaRequired');
    const run = await cli(
      mfa?.password ?? '',
      'entra',
      'test',
      '--domain',
      tenant?.domain ?? '',
      '--user',
      mfa?.upn ?? '',
      '--password-stdin',
      ...hosts,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error (entra.mfaRequired)');
    expect(run.stderr).toMatch(/^Next step: Re-run with --device-code for this account/m);
  });

  it('an untrusted sign-in host: the next step is --ca FILE, not the window’s CA bundle field', async () => {
    const run = await cli(
      admin?.password ?? '',
      'entra',
      'test',
      '--domain',
      tenant?.domain ?? '',
      '--user',
      admin?.upn ?? '',
      '--password-stdin',
      '--authority-host',
      entra.url,
      '--graph-host',
      entra.url,
      '--no-system-trust',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error (entra.tlsUntrusted)');
    expect(run.stderr).toMatch(/^Next step: If a proxy inspects TLS, re-run with --ca FILE/m);
    expect(run.stderr).not.toMatch(/CA bundle|Settings turns/);
  });
});
