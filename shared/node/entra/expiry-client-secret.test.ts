import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownEmulator } from '../../../e2e/fixtures/entra-emulator/emulator-test-client';
import type { CredentialExpiry } from '../../common/connections/expiry';
import { createHandlers } from '../ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../ipc/node-host-dependencies';
import { createRouter } from '../ipc/router';
import { secretEndOf } from './expiry-client-secret';

const day = 86_400_000;
const now = new Date('2026-06-01T00:00:00Z');
const ending = (days: number, hint: string) => ({
  endDateTime: new Date(now.getTime() + days * day).toISOString(),
  hint,
});

describe('which of the app’s secrets is the connection’s', () => {
  it('the one whose hint the secret starts with', () => {
    expect(secretEndOf([ending(300, 'abc'), ending(20, 'xyz')], 'xyz-secret', now)).toBe(
      new Date(now.getTime() + 20 * day).toISOString(),
    );
  });

  it('of several alike, or none matching, the current one that ends first; an expired one is not it', () => {
    expect(secretEndOf([ending(300, 'abc'), ending(60, 'abc'), ending(-5, 'abc')], 'abc-1', now)).toBe(
      new Date(now.getTime() + 60 * day).toISOString(),
    );
    expect(secretEndOf([ending(90, 'qqq'), ending(45, 'rrr')], 'abc-1', now)).toBe(
      new Date(now.getTime() + 45 * day).toISOString(),
    );
    expect(secretEndOf([ending(-1, 'abc')], 'abc-1', now)).toBeNull();
  });
});

// The tenant test of a stored client-secret connection records its secret's expiry, read with the app's own token.
let setup: Awaited<ReturnType<typeof ownEmulator>>;
const deps = nodeHostDependencies({
  host: 'cli',
  userDataDir: mkdtempSync(join(tmpdir(), 'cu-secret-expiry-')),
});
const router = createRouter(createHandlers(deps));
beforeAll(async () => {
  setup = await ownEmulator();
});
afterAll(async () => {
  await deps.connectionStores.close();
  await setup.emulator.stop();
});

async function testedSecretConnection(clientId: string): Promise<CredentialExpiry | undefined> {
  const app = setup.tenant.apps.find((candidate) => candidate.clientId === clientId);
  const saved = await router.invoke('connections:save', {
    kind: 'microsoftOnline',
    name: `Secret ${clientId}`,
    tenantDomain: setup.tenant.domain,
    authMode: 'clientSecret',
    clientId,
    authorityHost: setup.emulator.url,
    graphHost: setup.emulator.url,
    caPem: setup.caPem,
    secret: app?.secret ?? '',
  });
  if (!saved.ok) throw new Error(saved.error.message);
  const tested = await router.invoke('entra:test', {
    domain: setup.tenant.domain,
    authMode: 'clientSecret',
    clientId,
    authorityHost: setup.emulator.url,
    graphHost: setup.emulator.url,
    caPem: setup.caPem,
    connectionId: saved.value.id,
  });
  expect(tested).toMatchObject({ ok: true });
  const view = await router.invoke('connections:get', { id: saved.value.id });
  return view.ok ? view.value.expiries?.find((credential) => credential.what === 'clientSecret') : undefined;
}

describe('the client secret’s expiry, learned by the tenant test', () => {
  it('is read from the app’s own application object where the app may read it', async () => {
    const secret = await testedSecretConnection('b7e1c0de-0002-4000-8000-000000000004');
    const days = (Date.parse(String(secret?.notAfter)) - Date.now()) / day;
    expect(days).toBeGreaterThan(19);
    expect(days).toBeLessThan(21);
  });

  it('is unknown, with the reason, where it may not; the test still passes', async () => {
    const secret = await testedSecretConnection('b7e1c0de-0002-4000-8000-000000000001');
    expect(secret).toMatchObject({ notAfter: null, note: expect.stringContaining('Application.Read.All') });
  });
});
