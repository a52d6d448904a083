import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { type Connection, ConnectionSchema } from '../../common/connections/connection';
import {
  type ConnectionStoreDocument,
  ConnectionStoreDocumentSchema,
} from '../../common/connections/store-document';
import { packageVersion } from '../app/package-version';
import { newAesKey } from '../crypto/aes-gcm';
import { AtomicJsonFile } from '../storage/atomic-json-file';
import { acquireFileLock } from '../storage/file-lock';
import { SealedSecrets } from '../storage/sealed-secrets';
import { KeyFileVault } from '../vault/key-file-vault';
import { ConnectionStore, storeFileName } from './connection-store';
import { legacyStoreFileName } from './legacy-json-store';
import { bindingDigest } from './secret-binding';

// The first start after the upgrade finds connections.json, written by the JSON store of earlier versions.

const stores: ConnectionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function open(dir: string, now?: () => Date) {
  const store = await ConnectionStore.open({
    dir,
    vault: await KeyFileVault.open(dir),
    ...(now ? { now } : {}),
  });
  stores.push(store);
  return store;
}

const at = '2026-11-01T08:00:00.000Z';
const records: Connection[] = [
  ConnectionSchema.parse({
    kind: 'activeDirectory',
    id: '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a11',
    name: 'Contoso AD',
    domain: 'contoso.com',
    targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }],
    bindUser: 'svc-idm@contoso.com',
    createdAt: at,
    updatedAt: at,
    lastTest: { ok: true, at, summary: 'Signed in as svc-idm' },
  }),
  ConnectionSchema.parse({
    kind: 'microsoftOnline',
    id: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
    name: 'Contoso M365',
    tenantDomain: 'contoso.com',
    authMode: 'password',
    userPrincipalName: 'admin@contoso.onmicrosoft.com',
    createdAt: at,
    updatedAt: at,
  }),
];
const secrets = {
  [records[0]?.id ?? '']: ['password', 'Ad-Pa55word!'],
  [records[1]?.id ?? '']: ['secret', 'Mso-Pa55word!'],
};

/** connections.json as the JSON store wrote it: version 2, bound secrets, an integrity tag (or v1, unbound). */
async function writeLegacyStore(dir: string, options: { bound: boolean }): Promise<void> {
  const vault = await KeyFileVault.open(dir);
  const key = newAesKey();
  const sealer = new SealedSecrets(key);
  const document: ConnectionStoreDocument = {
    connections: records,
    dataKey: { vault: 'keyFile', sealed: await vault.seal(key) },
    secrets: records.map((record) => {
      const [field, value] = secrets[record.id] as [string, string];
      const binding = options.bound ? bindingDigest(record) : undefined;
      return {
        connectionId: record.id,
        ...sealer.seal(record.id, field, value, binding),
        ...(binding ? { binding } : {}),
      };
    }),
    agentKeys: [
      {
        endpoint: 'http://agent.contoso.com:40002',
        ...sealer.seal('http://agent.contoso.com:40002', 'agentApiKey', 'agent-key-1'),
      },
    ],
  };
  const file = await AtomicJsonFile.openForWriting({
    path: join(dir, legacyStoreFileName),
    version: options.bound ? 2 : 1,
    schema: ConnectionStoreDocumentSchema,
    empty: () => ({ connections: [], secrets: [], agentKeys: [] }),
    integrity: { keyFor: async () => key, context: packageVersion },
  });
  await file.write(document);
  await file.close();
}

describe('moving connections.json into the database', () => {
  it.each([
    ['version 2 with bound secrets and an integrity tag', true],
    ['version 1 with secrets sealed before binding', false],
  ])('moves records, secrets and agent keys once and keeps the old file (%s)', async (_label, bound) => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-migrate-'));
    await writeLegacyStore(dir, { bound });
    const store = await open(dir, () => new Date('2026-11-26T10:00:00.000Z'));

    const { connections, notice } = store.list();
    expect(connections.map((c) => c.name)).toEqual(['Contoso AD', 'Contoso M365']);
    expect(connections[0]).toMatchObject({ hasPassword: true, lastTest: { ok: true } });
    expect(connections[1]).toMatchObject({ hasSecret: true });
    expect(await store.readSecret(records[0]?.id ?? '')).toBe('Ad-Pa55word!');
    expect(await store.readSecret(records[1]?.id ?? '')).toBe('Mso-Pa55word!');
    expect(await store.readAgentKey('http://agent.contoso.com:40002')).toBe('agent-key-1');

    const kept = join(dir, 'connections.json.migrated-2026-11-26T10-00-00-000Z');
    expect(notice).toMatchObject({ code: 'store.migrated', detail: { movedTo: kept, connections: 2 } });
    expect(notice?.hint).toContain(kept);
    expect(existsSync(join(dir, legacyStoreFileName))).toBe(false);
    expect(JSON.parse(readFileSync(kept, 'utf8')).connections).toHaveLength(2);
    expect(existsSync(join(dir, `${legacyStoreFileName}.lock`))).toBe(false);
    // Secrets from before binding are bound now, like any the app writes.
    const db = new DatabaseSync(join(dir, storeFileName), { readOnly: true });
    const rows = db.prepare("SELECT json_extract(secret, '$.binding') AS binding FROM connections").all();
    db.close();
    for (const row of rows) expect(row.binding).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await store.close();
    stores.splice(0);
    const again = await open(dir);
    expect(again.list()).toMatchObject({ notice: null });
    expect(again.list().connections).toHaveLength(2);
  });

  it('a v1 secret pasted from the kept file into a retargeted row opens nowhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-migrate-'));
    await writeLegacyStore(dir, { bound: false });
    const store = await open(dir);
    const id = records[0]?.id ?? '';
    expect(await store.readSecret(id)).toBe('Ad-Pa55word!');
    const kept = readdirSync(dir).find((name) => name.startsWith('connections.json.migrated-')) ?? '';
    const { connectionId: _id, ...unbound } = JSON.parse(readFileSync(join(dir, kept), 'utf8')).secrets[0];
    const db = new DatabaseSync(join(dir, storeFileName));
    db.prepare(
      `UPDATE connections SET secret = ?,
         record = json_set(record, '$.targets', json('[{"host":"rogue.example","port":636,"tls":"ldaps"}]'))
       WHERE id = ?`,
    ).run(JSON.stringify(unbound), id);
    db.close();
    expect(await store.boundSecret(id)).toMatchObject({
      connection: { targets: [{ host: 'rogue.example' }] },
      secret: null,
    });
    // Not even under its own, unchanged destination: an unbound secret is never used.
    const db2 = new DatabaseSync(join(dir, storeFileName));
    db2.prepare('UPDATE connections SET record = ? WHERE id = ?').run(JSON.stringify(records[0]), id);
    db2.close();
    expect(await store.readSecret(id)).toBeNull();
  });

  it('never migrates twice: a connections.json that reappears later is left alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-migrate-'));
    await writeLegacyStore(dir, { bound: true });
    const first = await open(dir);
    await first.delete(records[1]?.id ?? '');
    await first.close();
    stores.splice(0);
    // Restored from a backup, say: its connections must not come back over what the admin changed since.
    await writeLegacyStore(dir, { bound: true });
    const store = await open(dir);
    expect(store.list().connections.map((c) => c.name)).toEqual(['Contoso AD']);
    expect(existsSync(join(dir, legacyStoreFileName))).toBe(true);
  });

  it('waits (store.locked) while an older version of the app still holds connections.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-migrate-'));
    await writeLegacyStore(dir, { bound: true });
    const lock = await acquireFileLock(join(dir, `${legacyStoreFileName}.lock`));
    try {
      await expect(open(dir)).rejects.toMatchObject({ appError: { code: 'store.locked' } });
    } finally {
      await lock.release();
    }
    expect((await open(dir)).list().connections).toHaveLength(2);
  });

  it('sets a damaged connections.json aside and says so, and starts empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-migrate-'));
    writeFileSync(join(dir, legacyStoreFileName), '{"version":2,"connections":[{"kind":', { mode: 0o600 });
    const store = await open(dir);
    expect(store.list()).toMatchObject({ connections: [], notice: { code: 'store.corrupt' } });
    expect(readdirSync(dir).filter((name) => name.startsWith('connections.json.corrupt-'))).toHaveLength(1);
  });
});

describe('a damaged database', () => {
  it('is moved aside with its journal, reported with both paths, and never deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-damaged-'));
    const path = join(dir, storeFileName);
    const garbage = Buffer.from(
      'this is not a SQLite database, it was overwritten by something else'.repeat(100),
    );
    writeFileSync(path, garbage, { mode: 0o600 });
    const store = await open(dir, () => new Date('2026-11-26T10:00:00.000Z'));
    const aside = `${path}.corrupt-2026-11-26T10-00-00-000Z`;
    expect(store.list()).toEqual({
      connections: [],
      notice: expect.objectContaining({
        code: 'store.corrupt',
        hint: expect.stringContaining(aside),
        detail: expect.objectContaining({ file: path, movedTo: aside }),
      }),
    });
    expect(readFileSync(aside)).toEqual(garbage);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // The new, empty store works.
    await store.import({
      format: 'connection-utility/connections',
      version: 1,
      exportedAt: at,
      connections: records,
    });
    expect(store.list().connections).toHaveLength(2);
  });

  it('damaged inside (a page overwritten) is met at first read, then checked and set aside on the next open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-damaged-page-'));
    const path = join(dir, storeFileName);
    const store = await open(dir);
    await store.import({
      format: 'connection-utility/connections',
      version: 1,
      exportedAt: at,
      connections: records,
    });
    await Promise.all(stores.splice(0).map((opened) => opened.close()));
    // Closing the last connection checkpoints the journal into the file: page 2 is the connections table.
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 4096, 8192);
    writeFileSync(path, bytes);

    const damaged = await open(dir);
    expect(() => damaged.list()).toThrow(
      expect.objectContaining({ appError: expect.objectContaining({ code: 'store.corrupt' }) }),
    );
    await Promise.all(stores.splice(0).map((opened) => opened.close()));
    const reopened = await open(dir, () => new Date('2026-11-26T11:00:00.000Z'));
    expect(reopened.list()).toMatchObject({
      connections: [],
      notice: { code: 'store.corrupt', detail: { movedTo: `${path}.corrupt-2026-11-26T11-00-00-000Z` } },
    });
    expect(readFileSync(`${path}.corrupt-2026-11-26T11-00-00-000Z`)).toEqual(bytes);
    expect(existsSync(`${path}.check`)).toBe(false);
  });

  it('refuses a database from a newer version without changing it (store.tooNew)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-newer-'));
    (await open(dir)).list();
    await Promise.all(stores.splice(0).map((store) => store.close()));
    const db = new DatabaseSync(join(dir, storeFileName));
    db.exec('PRAGMA user_version = 99');
    db.close();
    await expect(open(dir)).rejects.toMatchObject({
      appError: { code: 'store.tooNew', detail: { version: 99 } },
    });
    expect(readdirSync(dir).filter((name) => name.includes('.corrupt'))).toEqual([]);
  });

  it('lists the rows it can read and names the one it cannot, leaving it in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-bad-row-'));
    const store = await open(dir);
    await store.import({
      format: 'connection-utility/connections',
      version: 1,
      exportedAt: at,
      connections: records,
    });
    const db = new DatabaseSync(join(dir, storeFileName));
    db.prepare("UPDATE connections SET record = '{\"half a record' WHERE id = ?").run(records[1]?.id ?? '');
    db.close();
    const { connections, notice } = store.list();
    expect(connections.map((c) => c.name)).toEqual(['Contoso AD']);
    expect(notice).toMatchObject({ code: 'store.corrupt', detail: { ids: [records[1]?.id] } });
    await expect(store.readSecret(records[1]?.id ?? '')).rejects.toMatchObject({
      appError: { code: 'store.corrupt' },
    });
    // …and can be deleted, as the hint says.
    await store.delete(records[1]?.id ?? '');
    expect(store.list().notice).toBeNull();
  });
});
