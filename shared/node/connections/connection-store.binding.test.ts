import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionSchema } from '../../common/connections/connection';
import { KeyFileVault } from '../vault/key-file-vault';
import { ConnectionStore, storeFileName } from './connection-store';
import { adSaveRequest, clientSecretSaveRequest } from './fixtures/save-requests';
import { agentBinding, bindingDigest, entraDestinationKey, entraDestinationOf } from './secret-binding';

// The store's half of "a stored secret goes only where the admin bound it": the seal names the destination.

const stores: ConnectionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function open(dir: string) {
  const store = await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) });
  stores.push(store);
  return store;
}

const ad = adSaveRequest;

const online = clientSecretSaveRequest;

describe('secrets bound to their destination', () => {
  it.each([
    ['a target', { targets: [{ host: 'rogue.example', port: 636, tls: 'ldaps' }] }],
    ['the TLS mode', { targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'starttls' }] }],
    ['the DNS server', { dnsServer: '10.9.9.9' }],
    ['a pin', { trust: { pinnedFingerprints: [`${'AB:'.repeat(31)}AB`] } }],
    ['the insecure switch', { allowInsecure: true }],
  ])('an Active Directory save that changes %s without the password drops it', async (_what, change) => {
    const store = await open(mkdtempSync(join(tmpdir(), 'cu-bind-')));
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    expect(await store.save(ad({ id: saved.id, ...change }))).toMatchObject({ hasPassword: false });
    expect(await store.readSecret(saved.id)).toBeNull();
  });

  it.each([
    ['the authority', { authorityHost: 'https://login.rogue.example' }],
    ['the Graph host', { graphHost: 'https://graph.rogue.example' }],
    ['the CA', { caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' }],
    ['the cloud', { cloud: 'china' }],
    ['the tenant', { tenantDomain: 'fabrikam.com' }],
    ['the Remote Agent', { remoteAgent: { host: 'agent.rogue.example', port: 40002 } }],
    ['the agent scheme', { remoteAgent: { host: 'localhost', port: 40002, useTls: true } }],
    [
      'Allow insecure connection for the agent',
      { remoteAgent: { host: 'localhost', port: 40002, useTls: false, allowInsecure: true } },
    ],
  ])('a Microsoft Online save that changes %s without the secret drops it', async (_what, change) => {
    const store = await open(mkdtempSync(join(tmpdir(), 'cu-bind-')));
    const saved = await store.save(online({ secret: 's3cret' }));
    expect(await store.save(online({ id: saved.id, ...change }))).toMatchObject({ hasSecret: false });
    expect(await store.readSecret(saved.id)).toBeNull();
  });

  it('Allow insecure connection off leaves the digest as records saved before the switch have it', () => {
    const now = new Date().toISOString();
    const record = ConnectionSchema.parse({
      ...online(),
      id: '11111111-2222-4333-8444-555555555555',
      createdAt: now,
      updatedAt: now,
    });
    if (record.kind !== 'microsoftOnline') throw new Error('not online');
    // The binding as it was computed before the switch existed: three parts, nothing for the switch.
    const before = createHash('sha256')
      .update(
        JSON.stringify([
          'microsoftOnline',
          entraDestinationKey(entraDestinationOf(record)),
          agentBinding(record.remoteAgent),
        ]),
      )
      .digest('base64url');
    expect(bindingDigest(record)).toBe(before);
    const insecure = { ...record, remoteAgent: { ...record.remoteAgent, allowInsecure: true } };
    expect(bindingDigest(insecure)).not.toBe(before);
  });

  it('a save that changes only the name or the bind user keeps the password', async () => {
    const store = await open(mkdtempSync(join(tmpdir(), 'cu-bind-')));
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    expect(await store.save(ad({ id: saved.id, name: 'Renamed', bindUser: 'CONTOSO\\svc' }))).toMatchObject({
      hasPassword: true,
    });
    expect(await store.readSecret(saved.id)).toBe('Pa55word!');
  });

  it('keepSecret vouching for the new destination re-seals the password to it', async () => {
    const store = await open(mkdtempSync(join(tmpdir(), 'cu-bind-')));
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    const added = {
      targets: [
        { host: 'dc1.contoso.com', port: 636, tls: 'ldaps' },
        { host: 'dc2.contoso.com', port: 636, tls: 'ldaps' },
      ],
    };
    const kept = await store.save(ad({ id: saved.id, ...added }), { keepSecret: () => true });
    expect(kept).toMatchObject({ hasPassword: true });
    expect(await store.readSecret(saved.id)).toBe('Pa55word!');
  });

  it('a sealed secret moved to another record does not open there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-bind-'));
    const store = await open(dir);
    const first = await store.save(ad({ password: 'first-secret' }));
    const second = await store.save(ad({ name: 'Twin', password: 'second-secret' }));
    await store.close();
    // By hand, as another program with the file could: the first record's sealed secret under the second.
    editByHand(dir, (db) => {
      db.prepare(
        'UPDATE connections SET secret = (SELECT secret FROM connections WHERE id = ?) WHERE id = ?',
      ).run(first.id, second.id);
    });
    const reopened = await open(dir);
    expect(await reopened.readSecret(second.id)).toBeNull();
    expect(reopened.get(second.id)).toMatchObject({ hasPassword: true });
  });

  it('a bound secret whose binding was removed by hand opens nowhere, and the store still opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-bind-'));
    const store = await open(dir);
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    await store.close();
    editByHand(dir, (db) => {
      db.prepare(
        `UPDATE connections SET secret = json_remove(secret, '$.binding'),
           record = json_set(record, '$.targets', json('[{"host":"rogue.example","port":636,"tls":"ldaps"}]'))
         WHERE id = ?`,
      ).run(saved.id);
    });
    const reopened = await open(dir);
    expect(await reopened.readSecret(saved.id)).toBeNull();
    // The list trusts the row (this program keeps record and binding in step); every use checks the binding.
    expect((await reopened.boundSecret(saved.id)).secret).toBeNull();
  });
});

/** Changes the database behind the store's back, as sqlite3 or another program could. */
function editByHand(dir: string, edit: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(join(dir, storeFileName));
  try {
    edit(db);
  } finally {
    db.close();
  }
}
