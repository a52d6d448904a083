import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { nodeHostDependencies } from '../node-host-dependencies';
import { createRouter } from '../router';
import { createHandlers } from './create-handlers';

const entra = inject('entra');
const tenant = entra.tenants[0];
const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
const caPem = readFileSync(entra.caFile, 'utf8');
const deps = nodeHostDependencies({
  host: 'devHost',
  userDataDir: mkdtempSync(join(tmpdir(), 'cu-ipc-entra-')),
});
const router = createRouter(createHandlers(deps), { operations: deps.operations });
const context = { emit: () => {} };
afterAll(() => deps.connectionStores.close());

describe('entra:test over IPC', () => {
  it('tests a saved connection with its sealed password and records the result for the panel', async () => {
    const saved = await router.dispatch(
      'connections:save',
      {
        kind: 'microsoftOnline',
        name: 'Contoso M365',
        tenantDomain: tenant?.domain,
        authMode: 'password',
        userPrincipalName: admin?.upn,
        authorityHost: entra.url,
        graphHost: entra.url,
        caPem,
        secret: admin?.password,
      },
      context,
    );
    expect(saved.ok).toBe(true);
    const id = saved.ok ? (saved.value as { id: string }).id : '';
    const result = await router.dispatch(
      'entra:test',
      {
        domain: tenant?.domain,
        authMode: 'password',
        userPrincipalName: admin?.upn,
        connectionId: id,
        authorityHost: entra.url,
        graphHost: entra.url,
        caPem,
      },
      context,
    );
    expect(result).toMatchObject({ ok: true, value: { globalAdministrator: true } });
    expect(JSON.stringify(result)).not.toContain(admin?.password ?? '');
    expect(await router.dispatch('connections:get', { id }, context)).toMatchObject({
      ok: true,
      value: { lastTest: { ok: true, summary: expect.stringContaining('as Global Administrator') } },
    });
  });

  it('says so when there is no secret to sign in with', async () => {
    expect(
      await router.dispatch(
        'entra:test',
        {
          domain: 'contoso.test',
          authMode: 'clientSecret',
          clientId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
        },
        context,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'entra.missingSecret' },
    });
  });
});
