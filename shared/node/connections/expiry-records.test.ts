import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialExpiry } from '../../common/connections/expiry';
import { ConnectionSaveRequestSchema } from '../../common/connections/save-request';
import { KeyFileVault } from '../vault/key-file-vault';
import { ConnectionStore } from './connection-store';
import { certificateValidFor } from './expiry-test-certificate';

const stores: ConnectionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function openStore() {
  const dir = mkdtempSync(join(tmpdir(), 'cu-expiry-store-'));
  const store = await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) });
  stores.push(store);
  return store;
}

const day = 86_400_000;
const learned = (what: CredentialExpiry['what'], source: string, days: number | null): CredentialExpiry => ({
  what,
  notAfter: days === null ? null : new Date(Date.now() + days * day).toISOString(),
  source,
  checkedAt: new Date().toISOString(),
});

const ad = (extra: Record<string, unknown> = {}) =>
  ConnectionSaveRequestSchema.parse({
    kind: 'activeDirectory',
    name: 'Contoso AD',
    domain: 'contoso.com',
    targets: [
      { host: 'dc1.contoso.com', port: 636, tls: 'ldaps' },
      { host: 'dc2.contoso.com', port: 636, tls: 'ldaps' },
    ],
    bindUser: 'svc@contoso.com',
    ...extra,
  });

const certificateConnection = (pem: string, extra: Record<string, unknown> = {}) =>
  ConnectionSaveRequestSchema.parse({
    kind: 'microsoftOnline',
    name: 'Contoso M365',
    tenantDomain: 'contoso.com',
    authMode: 'certificate',
    clientId: '11111111-2222-4333-8444-555555555555',
    certificatePem: pem,
    ...extra,
  });

describe('credential expiries in the store', () => {
  it('a certificate connection knows its certificate’s expiry from the save, without any network', async () => {
    const store = await openStore();
    const { pem, keyPem } = certificateValidFor(10);
    const saved = await store.save(certificateConnection(pem, { secret: keyPem }));
    const [certificate] = saved.expiries ?? [];
    expect(certificate).toMatchObject({
      what: 'certificate',
      source: expect.stringMatching(/^[0-9A-F]{40}$/),
    });
    const days = (Date.parse(String(certificate?.notAfter)) - Date.now()) / day;
    expect(days).toBeGreaterThan(9);
    expect(days).toBeLessThanOrEqual(10);

    const renewed = certificateValidFor(100);
    const again = await store.save(
      certificateConnection(renewed.pem, { id: saved.id, secret: renewed.keyPem }),
    );
    expect(again.expiries).toHaveLength(1);
    expect(Date.parse(String(again.expiries?.[0]?.notAfter)) - Date.now()).toBeGreaterThan(99 * day);
  });

  it('recordCredentials replaces what was known of the same credential, per DC for their certificates', async () => {
    const store = await openStore();
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    await store.recordCredentials(saved.id, [
      learned('password', 'svc@contoso.com', 40),
      learned('ldapsCertificate', 'dc1.contoso.com:636', 300),
    ]);
    const view = await store.recordCredentials(saved.id, [
      learned('password', 'svc@contoso.com', 39),
      learned('ldapsCertificate', 'dc2.contoso.com:636', 200),
    ]);
    expect(view?.expiries?.map((c) => [c.what, c.source])).toEqual([
      ['ldapsCertificate', 'dc1.contoso.com:636'],
      ['password', 'svc@contoso.com'],
      ['ldapsCertificate', 'dc2.contoso.com:636'],
    ]);
    // Recording is no edit: the panel's "changed" time and the stored password stay.
    expect(view).toMatchObject({ updatedAt: saved.updatedAt, hasPassword: true });
  });

  it('a record saved with other settings meanwhile is left alone', async () => {
    const store = await openStore();
    const saved = await store.save(ad());
    const view = await store.recordCredentials(
      saved.id,
      [learned('password', 'svc@contoso.com', 40)],
      () => false,
    );
    expect(view).toBeNull();
    expect(store.get(saved.id).expiries).toBeUndefined();
  });

  it('a save keeps only the expiries that still describe the connection', async () => {
    const store = await openStore();
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    await store.recordCredentials(saved.id, [
      learned('password', 'svc@contoso.com', 40),
      learned('ldapsCertificate', 'dc1.contoso.com:636', 300),
      learned('ldapsCertificate', 'dc2.contoso.com:636', 200),
    ]);
    const renamed = await store.save(ad({ id: saved.id, name: 'Renamed' }));
    expect(renamed.expiries).toHaveLength(3);
    const fewer = await store.save(
      ad({ id: saved.id, targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }] }),
    );
    expect(fewer.expiries?.map((c) => c.source)).toEqual(['svc@contoso.com', 'dc1.contoso.com:636']);
    // A new password has its own expiry, unknown until the next test.
    const retyped = await store.save(
      ad({
        id: saved.id,
        targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }],
        password: 'New-1',
      }),
    );
    expect(retyped.expiries?.map((c) => c.what)).toEqual(['ldapsCertificate']);
  });

  it('a save request cannot set expiries itself', () => {
    expect(ConnectionSaveRequestSchema.safeParse({ ...ad(), expiries: [] }).success).toBe(false);
  });
});
