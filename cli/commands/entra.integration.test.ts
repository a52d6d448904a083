import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TenantTestResultSchema } from '../../shared/common/entra/tenant-test';
import { createHandlers } from '../../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../../shared/node/ipc/node-host-dependencies';
import { createRouter } from '../../shared/node/ipc/router';
import { runCliInProcess } from '../run-cli-in-process';

const entra = inject('entra');
const tenant = entra.tenants[0];
const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
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

describe('connection-utility aad test (against the Entra emulator)', () => {
  it('--user --password-stdin --json prints the tenant test contract', async () => {
    const { code, stdout } = await cli(
      `${admin?.password}\n`,
      'aad',
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
      'aad',
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
      'aad',
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
    expect((await cli('', 'aad', 'test', '--domain', 'contoso.test')).code).toBe(2);
    expect(
      (await cli('', 'aad', 'test', '--domain', 'contoso.test', '--password-stdin', '--device-code')).code,
    ).toBe(2);
  });
});
