import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createHandlers } from '../ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../ipc/node-host-dependencies';
import { createRouter } from '../ipc/router';
import type { PasswordExpiry } from './expiry-password';
import { testDirectory } from './test-directory';

// Against the real Samba AD DC of this run: the AD test learns when its account's password and its DC's
// certificate expire.
const dc = inject('samba');
const svc = dc.users.find((user) => user.name === 'svc-idm');
if (!svc) throw new Error('fixture has no svc-idm user');
const ldaps = { host: dc.host, port: 636, tls: 'ldaps' as const };
const trust = { caPem: dc.tls.caPem, pinnedFingerprints: [] as string[] };

const deps = nodeHostDependencies({ host: 'cli', userDataDir: mkdtempSync(join(tmpdir(), 'cu-ad-expiry-')) });
const router = createRouter(createHandlers(deps));
afterAll(() => deps.connectionStores.close());

/** A password expiry is a date to come or "never": anything else means it was not read. */
function expectReadable(expiry: PasswordExpiry) {
  expect(expiry).not.toBeNull();
  const notAfter = expiry?.notAfter;
  if (notAfter !== 'never') expect(Date.parse(String(notAfter))).toBeGreaterThan(Date.now());
}

describe('the AD test reads msDS-UserPasswordExpiryTimeComputed of its own account', () => {
  it.each([
    ['a UPN', () => svc.upn],
    ['DOMAIN\\user', () => `${dc.netbiosDomain}\\${svc.name}`],
    ['a DN', () => `CN=${svc.name},CN=Users,${dc.baseDn}`],
  ])('bound as %s', async (_label, user) => {
    let found: PasswordExpiry | undefined;
    await testDirectory({
      endpoint: ldaps,
      trust,
      bindUser: user(),
      password: svc.password,
      timeoutMs: 10_000,
      onPasswordExpiry: (expiry) => {
        found = expiry;
      },
    });
    expectReadable(found ?? null);
    expect(found?.account.toLowerCase()).toBe(`cn=${svc.name},cn=users,${dc.baseDn}`.toLowerCase());
  });

  it('ad:test of a saved connection records the password’s and the DC certificate’s expiry', async () => {
    const saved = await router.invoke('connections:save', {
      kind: 'activeDirectory',
      name: 'Samba',
      domain: dc.domain,
      targets: [ldaps],
      trust,
      bindUser: svc.upn,
      password: svc.password,
    });
    if (!saved.ok) throw new Error(saved.error.message);
    const tested = await router.invoke('ad:test', {
      target: ldaps,
      trust,
      bindUser: svc.upn,
      connectionId: saved.value.id,
    });
    expect(tested).toMatchObject({ ok: true });
    const view = await router.invoke('connections:get', { id: saved.value.id });
    const credentials = view.ok ? (view.value.expiries ?? []) : [];
    const certificate = credentials.find((credential) => credential.what === 'ldapsCertificate');
    expect(certificate).toMatchObject({
      source: `${dc.host}:636`,
      notAfter: new Date(new X509Certificate(readFileSync(dc.tls.certPath)).validTo).toISOString(),
    });
    const password = credentials.find((credential) => credential.what === 'password');
    expect(password?.source).toBe(svc.upn);
    expect(password?.notAfter).not.toBeNull();
  });
});
