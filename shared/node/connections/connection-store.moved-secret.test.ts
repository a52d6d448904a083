import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionSchema } from '../../common/connections/connection';
import { ConnectionSaveRequestSchema } from '../../common/connections/save-request';
import { KeyFileVault } from '../vault/key-file-vault';
import { ConnectionStore, storeFileName } from './connection-store';
import { certificateValidFor } from './expiry-test-certificate';
import { adSaveRequest } from './fixtures/save-requests';
import { bindingDigest } from './secret-binding';

// Every kind of sealed value the store keeps, moved by hand to another row of its table (as anyone with the file
// could: sqlite3, another program), is refused there: a connection's password, client secret and certificate key,
// also with its binding rewritten to pass the binding check, an agent's API key, an agent's pin and a setup's
// journal. Each is first shown to open where it was sealed, so a refusal is the seal's and not a broken row.

const stores: ConnectionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function open(dir: string): Promise<ConnectionStore> {
  const store = await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) });
  stores.push(store);
  return store;
}

/** Changes the database behind the store's back, with the store closed. */
async function editByHand(
  dir: string,
  store: ConnectionStore,
  edit: (db: DatabaseSync) => void,
): Promise<ConnectionStore> {
  await store.close();
  const db = new DatabaseSync(join(dir, storeFileName));
  try {
    edit(db);
  } finally {
    db.close();
  }
  return open(dir);
}

const moveSecret = (db: DatabaseSync, from: string, to: string) =>
  db
    .prepare('UPDATE connections SET secret = (SELECT secret FROM connections WHERE id = ?) WHERE id = ?')
    .run(from, to);

/** The row's record as the store validates it, and the binding digest of that record. */
const digestOf = (db: DatabaseSync, id: string) => {
  const row = db.prepare('SELECT record FROM connections WHERE id = ?').get(id) as { record: string };
  return bindingDigest(ConnectionSchema.parse(JSON.parse(row.record)));
};

const ad = adSaveRequest;

const certificate = certificateValidFor(30, 'moved-secret');
const online = (authMode: string, extra: Record<string, unknown> = {}) =>
  ConnectionSaveRequestSchema.parse({
    kind: 'microsoftOnline',
    name: 'Contoso M365',
    tenantDomain: 'contoso.com',
    authMode,
    ...(authMode === 'password'
      ? { userPrincipalName: 'admin@contoso.com' }
      : { clientId: '11111111-2222-4333-8444-555555555555' }),
    ...(authMode === 'certificate' ? { certificatePem: certificate.pem } : {}),
    ...extra,
  });

describe('a connection secret moved to another record of the same destination', () => {
  it.each([
    ['an Active Directory password', (name: string, secret: string) => ad({ name, password: secret })],
    ['a Microsoft Online password', (name: string, secret: string) => online('password', { name, secret })],
    ['a client secret', (name: string, secret: string) => online('clientSecret', { name, secret })],
    [
      'a certificate’s private key',
      (name: string, secret: string) => online('certificate', { name, secret }),
    ],
  ])('%s does not open there; it still opens where it was sealed', async (_what, request) => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-moved-'));
    let store = await open(dir);
    const first = await store.save(request('First', 'first-secret'));
    const second = await store.save(request('Second', 'second-secret'));
    store = await editByHand(dir, store, (db) => {
      // Same destination, so the binding check alone cannot tell: only the seal's connection id can.
      expect(digestOf(db, first.id)).toBe(digestOf(db, second.id));
      moveSecret(db, first.id, second.id);
    });
    expect(await store.readSecret(first.id)).toBe('first-secret');
    expect(await store.readSecret(second.id)).toBeNull();
    expect((await store.boundSecret(second.id)).secret).toBeNull();
  });

  it('swapped between two records, opens in neither', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-moved-'));
    let store = await open(dir);
    const a = await store.save(ad({ name: 'A', password: 'secret-a' }));
    const b = await store.save(ad({ name: 'B', password: 'secret-b' }));
    store = await editByHand(dir, store, (db) => {
      const secretOf = (id: string) =>
        (db.prepare('SELECT secret FROM connections WHERE id = ?').get(id) as { secret: string }).secret;
      const [sa, sb] = [secretOf(a.id), secretOf(b.id)];
      db.prepare('UPDATE connections SET secret = ? WHERE id = ?').run(sb, a.id);
      db.prepare('UPDATE connections SET secret = ? WHERE id = ?').run(sa, b.id);
    });
    expect(await store.readSecret(a.id)).toBeNull();
    expect(await store.readSecret(b.id)).toBeNull();
  });
});

describe('a connection secret with its binding rewritten to pass the binding check', () => {
  it('moved to a record of another destination, does not open there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-moved-'));
    let store = await open(dir);
    const trusted = await store.save(ad({ name: 'Trusted', password: 'Pa55word!' }));
    const rogue = await store.save(
      ad({ name: 'Rogue', targets: [{ host: 'rogue.example', port: 636, tls: 'ldaps' }] }),
    );
    store = await editByHand(dir, store, (db) => {
      moveSecret(db, trusted.id, rogue.id);
      db.prepare(`UPDATE connections SET secret = json_set(secret, '$.binding', ?) WHERE id = ?`).run(
        digestOf(db, rogue.id),
        rogue.id,
      );
    });
    expect(store.get(rogue.id)).toMatchObject({ hasPassword: true });
    expect(await store.readSecret(rogue.id)).toBeNull();
    expect(await store.readSecret(trusted.id)).toBe('Pa55word!');
  });

  it('kept under its own record whose destination was changed by hand, does not open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-moved-'));
    let store = await open(dir);
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    store = await editByHand(dir, store, (db) => {
      db.prepare(
        `UPDATE connections SET record = json_set(record, '$.targets', json('[{"host":"rogue.example","port":636,"tls":"ldaps"}]')) WHERE id = ?`,
      ).run(saved.id);
      db.prepare(`UPDATE connections SET secret = json_set(secret, '$.binding', ?) WHERE id = ?`).run(
        digestOf(db, saved.id),
        saved.id,
      );
    });
    expect(await store.readSecret(saved.id)).toBeNull();
  });
});

describe('the store’s other sealed values, moved to another key', () => {
  it('an agent’s API key moved to another agent’s endpoint is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-moved-'));
    let store = await open(dir);
    await store.saveAgentKey('https://agent-a.contoso.com:40443', 'key-of-a');
    await store.saveAgentKey('https://agent-b.contoso.com:40443', 'key-of-b');
    store = await editByHand(dir, store, (db) => {
      db.prepare(
        'UPDATE agent_keys SET sealed = (SELECT sealed FROM agent_keys WHERE endpoint = ?) WHERE endpoint = ?',
      ).run('https://agent-a.contoso.com:40443', 'https://agent-b.contoso.com:40443');
    });
    expect(await store.readAgentKey('https://agent-a.contoso.com:40443')).toBe('key-of-a');
    await expect(store.readAgentKey('https://agent-b.contoso.com:40443')).rejects.toMatchObject({
      appError: { code: 'store.secretUnreadable' },
    });
  });

  it('an agent’s pin moved to another origin counts as no pin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-moved-'));
    let store = await open(dir);
    const pin = `${'AB:'.repeat(31)}AB`;
    await store.saveAgentPin('https://agent-a.contoso.com:40443', pin);
    store = await editByHand(dir, store, (db) => {
      db.prepare(
        'INSERT INTO agent_pins (origin, sealed) SELECT ?, sealed FROM agent_pins WHERE origin = ?',
      ).run('https://rogue.example:40443', 'https://agent-a.contoso.com:40443');
    });
    expect(await store.readAgentPin('https://agent-a.contoso.com:40443')).toBe(pin);
    expect(await store.readAgentPin('https://rogue.example:40443')).toBeNull();
  });

  it('a setup journal moved to another tenant domain counts as none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-moved-'));
    let store = await open(dir);
    await store.saveSetupJournal('contoso.com', '{"step":"created"}');
    store = await editByHand(dir, store, (db) => {
      db.prepare(
        'INSERT INTO setup_journals (domain, sealed) SELECT ?, sealed FROM setup_journals WHERE domain = ?',
      ).run('fabrikam.com', 'contoso.com');
    });
    expect(await store.readSetupJournal('contoso.com')).toBe('{"step":"created"}');
    expect(await store.readSetupJournal('fabrikam.com')).toBeNull();
  });
});
