import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { certificateValidFor } from '../../shared/node/connections/expiry-test-certificate';
import { createHandlers } from '../../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../../shared/node/ipc/node-host-dependencies';
import { createRouter } from '../../shared/node/ipc/router';
import { runCliInProcess } from '../run-cli-in-process';
import type { CheckReport } from './check';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function host() {
  const deps = nodeHostDependencies({ host: 'cli', userDataDir: mkdtempSync(join(tmpdir(), 'cu-check-')) });
  closers.push(() => deps.connectionStores.close());
  const router = createRouter(createHandlers(deps));
  const run = (...argv: string[]) => runCliInProcess(router, argv);
  /** A certificate connection whose certificate is valid for `days` more days, saved as the window saves it. */
  const saveCertificateConnection = async (name: string, days: number) => {
    const { pem, keyPem } = certificateValidFor(days, name);
    const saved = await router.invoke('connections:save', {
      kind: 'microsoftOnline',
      name,
      tenantDomain: `${name.toLowerCase()}.example`,
      authMode: 'certificate',
      clientId: '11111111-2222-4333-8444-555555555555',
      certificatePem: pem,
      secret: keyPem,
    });
    if (!saved.ok) throw new Error(saved.error.message);
    return saved.value.id;
  };
  return { deps, run, saveCertificateConnection };
}

describe('connections check', () => {
  it('exits 0 when nothing expires within 30 days, 1 when a certificate expires in 10, and says which', async () => {
    const { run, saveCertificateConnection } = host();
    await saveCertificateConnection('Later', 100);
    const fine = await run('connections', 'check');
    expect(fine.code).toBe(0);
    expect(fine.stdout).toMatch(/Later\s+Microsoft Online\s+Certificate: expires in 99 days/);
    expect(fine.stdout).toContain('OK: nothing recorded expires within 30 days.');

    await saveCertificateConnection('Soon', 10);
    const soon = await run('connections', 'check');
    expect(soon.code).toBe(1);
    expect(soon.stdout).toContain('Expires within 30 days or has expired:');
    expect(soon.stdout).toMatch(/ {2}Soon: Certificate \([0-9A-F]{40}\) expires in 9 days/);
    expect(soon.stdout).not.toMatch(/ {2}Later: /);

    // The window is the caller's: 5 days lets the 10-day certificate pass, 120 catches both.
    expect((await run('connections', 'check', '--within-days', '5')).code).toBe(0);
    const wide = await run('connections', 'check', '--within-days', '120', '--json');
    expect(wide.code).toBe(1);
    const report = JSON.parse(wide.stdout) as CheckReport;
    expect(report).toMatchObject({ withinDays: 120, ok: false });
    expect(
      report.connections.map((c) => [c.name, c.expiring, c.expiries[0]?.state, c.expiries[0]?.daysLeft]),
    ).toEqual([
      ['Later', true, 'warning', 99],
      ['Soon', true, 'warning', 9],
    ]);
  });

  it('a certificate past its end is expired, not a warning', async () => {
    const { run, saveCertificateConnection } = host();
    await saveCertificateConnection('Gone', 1);
    const { code, stdout } = await run('connections', 'check', '--json');
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as CheckReport).connections[0]?.expiries[0]?.state).toBe('warning');
    // Checked from a day and a half later: expired.
    const { checkConnections } = await import('./check');
    const listed = JSON.parse((await run('connections', 'list', '--json')).stdout) as {
      connections: Parameters<typeof checkConnections>[0];
    };
    const later = checkConnections(listed.connections, 30, new Date(Date.now() + 1.5 * 86_400_000), false);
    expect(later).toMatchObject({
      ok: false,
      connections: [{ expiring: true, expiries: [{ state: 'expired' }] }],
    });
  });

  it('lists a failed last test, and counts it only with --include-tests', async () => {
    const { deps, run, saveCertificateConnection } = host();
    const id = await saveCertificateConnection('Broken', 200);
    await (await deps.connectionStores.forWriting()).recordTest(id, {
      ok: false,
      at: new Date().toISOString(),
      code: 'entra.invalidClientAssertion',
      summary: 'The certificate was not accepted.',
    });
    const listed = await run('connections', 'check');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /Broken\s+Microsoft Online\s+Certificate: expires in 199 days \(\S+\)\s+FAILED/,
    );
    expect(listed.stdout).toContain('Broken: entra.invalidClientAssertion at');
    expect((await run('connections', 'check', '--include-tests')).code).toBe(1);
  });

  it('a connection with nothing recorded is unknown and does not fail the check; no connections is fine', async () => {
    const { deps, run } = host();
    expect(await run('connections', 'check')).toMatchObject({ code: 0, stdout: 'No connections yet.\n' });
    await (await deps.connectionStores.forWriting()).import({
      format: 'connection-utility/connections',
      version: 1,
      exportedAt: new Date().toISOString(),
      connections: [
        {
          kind: 'activeDirectory',
          id: '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a11',
          name: 'Untested AD',
          domain: 'contoso.com',
          targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }],
          bindUser: 'svc@contoso.com',
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        },
      ],
    });
    const checked = await run('connections', 'check');
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(
      /Untested AD\s+Microsoft Active Directory\s+unknown: nothing recorded yet/,
    );
    expect((await run('connections', 'check', '--within-days', '0')).code).toBe(2);
  });
});
