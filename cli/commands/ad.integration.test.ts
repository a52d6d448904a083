import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AdTestResultSchema } from '../../shared/common/directory/directory-test';
import { DiscoverResultSchema } from '../../shared/common/directory/discovery';
import { createHandlers } from '../../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../../shared/node/ipc/node-host-dependencies';
import { createRouter } from '../../shared/node/ipc/router';
import { runCliInProcess } from '../run-cli-in-process';

const dc = inject('samba');
const svc = dc.users.find((user) => user.name === 'svc-idm');
const deps = nodeHostDependencies({
  host: 'cli',
  userDataDir: mkdtempSync(join(tmpdir(), 'cu-cli-ad-')),
});
const router = createRouter(createHandlers(deps));
afterAll(() => deps.connectionStores.close());

function cli(stdin: string, ...argv: string[]) {
  return runCliInProcess(router, argv, stdin);
}

describe('connection-utility ad (against Samba)', () => {
  it('ad test --json prints the result contract and exits 0', async () => {
    const { code, stdout } = await cli(
      `${svc?.password}\n`,
      'ad',
      'test',
      '--host',
      dc.host,
      '--ca',
      dc.tls.caPath,
      '--user',
      svc?.upn ?? '',
      '--password-stdin',
      '--json',
    );
    expect(code).toBe(0);
    expect(AdTestResultSchema.parse(JSON.parse(stdout))).toMatchObject({
      port: 636,
      tls: 'ldaps',
      rootDse: { dnsHostName: dc.hostName },
    });
  });

  it('ad test over StartTLS with a pinned certificate instead of a CA', async () => {
    const { code, stdout } = await cli(
      svc?.password ?? '',
      'ad',
      'test',
      '--host',
      dc.host,
      '--tls',
      'starttls',
      '--pin',
      dc.tls.fingerprint,
      '--user',
      svc?.upn ?? '',
      '--password-stdin',
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ port: 389, tls: 'starttls' });
  });

  it('ad test --dns-server finds the DC by its name through the domain’s DNS server', async () => {
    const { code, stdout } = await cli(
      svc?.password ?? '',
      'ad',
      'test',
      '--host',
      dc.hostName,
      '--dns-server',
      dc.dnsServer,
      '--ca',
      dc.tls.caPath,
      '--user',
      svc?.upn ?? '',
      '--password-stdin',
      '--json',
    );
    expect(code).toBe(0);
    expect(AdTestResultSchema.parse(JSON.parse(stdout))).toMatchObject({
      host: dc.hostName,
      rootDse: { dnsHostName: dc.hostName },
    });
  });

  it('ad test --json prints the AppError and exits 1 on a wrong password, never echoing it', async () => {
    const { code, stdout } = await cli(
      'Not-The-Password-42',
      'ad',
      'test',
      '--host',
      dc.host,
      '--ca',
      dc.tls.caPath,
      '--user',
      svc?.upn ?? '',
      '--password-stdin',
      '--json',
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ code: 'ad.invalidCredentials', detail: { adData: '52e' } });
    expect(stdout).not.toContain('Not-The-Password-42');
  });

  it('refuses a password on the command line (usage error, exit 2)', async () => {
    const { code, stderr } = await cli(
      '',
      'ad',
      'test',
      '--host',
      dc.host,
      '--user',
      'x',
      '--password',
      'Sup3r-Secret!',
    );
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--password'");
    expect(stderr).not.toContain('Sup3r-Secret!');
  });

  it('ad discover --json lists the DCs with the contract’s fields', async () => {
    const { code, stdout } = await cli(
      svc?.password ?? '',
      'ad',
      'discover',
      '--domain',
      dc.domain,
      '--dns-server',
      dc.dnsServer,
      '--ca',
      dc.tls.caPath,
      '--user',
      svc?.upn ?? '',
      '--password-stdin',
      '--timeout-ms',
      '1500',
      '--json',
    );
    expect(code).toBe(0);
    const result = DiscoverResultSchema.parse(JSON.parse(stdout));
    expect(
      result.controllers.map(({ hostName, site, reachable }) => ({ hostName, site, reachable })),
    ).toEqual([
      { hostName: dc.hostName, site: dc.mainSite, reachable: true },
      { hostName: dc.deadDc.hostName, site: dc.deadDc.site, reachable: false },
    ]);
  });

  it('ad discover without credentials uses DNS only', async () => {
    const { code, stdout } = await cli(
      '',
      'ad',
      'discover',
      '--domain',
      dc.domain,
      '--dns-server',
      dc.dnsServer,
      '--ca',
      dc.tls.caPath,
      '--timeout-ms',
      '1500',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/2 domain controller\(s\) of contoso\.test/);
    expect(stdout).toMatch(/dc2\.contoso\.test .* no \(ad\.connectionRefused\)/);
  });
});
