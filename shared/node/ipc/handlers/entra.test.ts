import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { emulatorAdminConnection } from '../fixtures/emulator-connection';
import { testHost } from '../fixtures/test-host';

const entra = inject('entra');
const tenant = entra.tenants[0];
const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
const caPem = readFileSync(entra.caFile, 'utf8');
const { router, close } = testHost();
const context = { emit: () => {} };
afterAll(close);

describe('entra:test over IPC', () => {
  it('tests a saved connection with its sealed password and records the result for the panel', async () => {
    const saved = await router.dispatch('connections:save', emulatorAdminConnection(entra), context);
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
