import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConnectionSaveRequest,
  ConnectionSaveRequestSchema,
} from '../../common/connections/save-request';
import { KeyFileVault } from '../vault/key-file-vault';
import type { Vault } from '../vault/vault';
import { ConnectionStore, storeFileName } from './connection-store';

const stores: ConnectionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function openStore(dir = mkdtempSync(join(tmpdir(), 'cu-store-')), vault?: Vault) {
  const store = await ConnectionStore.open({ dir, vault: vault ?? (await KeyFileVault.open(dir)) });
  stores.push(store);
  return { store, dir };
}

const ad = (extra: Partial<Extract<ConnectionSaveRequest, { kind: 'activeDirectory' }>> = {}) =>
  ConnectionSaveRequestSchema.parse({
    kind: 'activeDirectory',
    name: 'Contoso AD',
    domain: 'Contoso.com',
    targets: [{ host: 'DC1.contoso.com', port: 636, tls: 'ldaps' }],
    bindUser: 'svc-idm@contoso.com',
    ...extra,
  });

const online = (extra: Record<string, unknown> = {}) =>
  ConnectionSaveRequestSchema.parse({
    kind: 'microsoftOnline',
    name: 'Contoso M365',
    tenantDomain: 'contoso.com',
    authMode: 'password',
    userPrincipalName: 'admin@contoso.onmicrosoft.com',
    ...extra,
  });

describe('ConnectionStore', () => {
  it('creates a connection with an id, timestamps, normalised names and hasPassword', async () => {
    const { store } = await openStore();
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    expect(saved).toMatchObject({
      kind: 'activeDirectory',
      domain: 'contoso.com',
      targets: [{ host: 'dc1.contoso.com' }],
      hasPassword: true,
    });
    expect(saved.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(saved.createdAt).toBe(saved.updatedAt);
    expect(store.list().connections).toEqual([saved]);
  });

  it('survives a restart, secrets included', async () => {
    const { store, dir } = await openStore();
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    await store.close();
    stores.splice(0);
    const { store: reopened } = await openStore(dir);
    expect(reopened.get(saved.id)).toEqual(saved);
    expect(await reopened.readSecret(saved.id)).toBe('Pa55word!');
  });

  it('keeps an omitted secret, replaces a new one and clears an empty one', async () => {
    const { store } = await openStore();
    const { id } = await store.save(ad({ password: 'first' }));
    expect(await store.save(ad({ id, name: 'renamed' }))).toMatchObject({
      name: 'renamed',
      hasPassword: true,
    });
    expect(await store.readSecret(id)).toBe('first');
    await store.save(ad({ id, password: 'second' }));
    expect(await store.readSecret(id)).toBe('second');
    expect(await store.save(ad({ id, password: '' }))).toMatchObject({ hasPassword: false });
    expect(await store.readSecret(id)).toBeNull();
  });

  it('drops a stored secret when the auth mode changes and no new secret comes with it', async () => {
    const { store } = await openStore();
    const { id } = await store.save(online({ secret: 'user password' }));
    const changed = await store.save(
      online({ id, authMode: 'clientSecret', clientId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10' }),
    );
    expect(changed).toMatchObject({ authMode: 'clientSecret', hasSecret: false });
  });

  it('keeps createdAt, refuses a kind change and an unknown id', async () => {
    const { store } = await openStore();
    const created = await store.save(ad());
    const updated = await store.save(ad({ id: created.id, name: 'x' }));
    expect(updated.createdAt).toBe(created.createdAt);
    await expect(store.save(online({ id: created.id }))).rejects.toMatchObject({
      appError: { code: 'input.invalid' },
    });
    await expect(store.save(ad({ id: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10' }))).rejects.toMatchObject({
      appError: { code: 'connections.notFound' },
    });
  });

  it('deletes the connection and its sealed secret', async () => {
    const { store, dir } = await openStore();
    const { id } = await store.save(ad({ password: 'Pa55word!' }));
    await store.delete(id);
    expect(store.list().connections).toEqual([]);
    expect(count(dir, 'SELECT count(*) AS n FROM connections')).toBe(0);
    await expect(store.delete(id)).rejects.toMatchObject({ appError: { code: 'connections.notFound' } });
  });

  it('serialises concurrent saves: none is lost', async () => {
    const { store, dir } = await openStore();
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => store.save(ad({ name: `c${i}`, password: `p${i}` }))),
    );
    expect(store.list().connections).toHaveLength(25);
    expect(count(dir, 'SELECT count(*) AS n FROM connections WHERE secret IS NOT NULL')).toBe(25);
  });

  it('exports records without secrets or secret flags, and imports them back', async () => {
    const { store } = await openStore();
    await store.save(ad({ password: 'Pa55word!' }));
    await store.save(online({ secret: 'Cl13nt-S3cret' }));
    const exported = store.exportDocument();
    const text = JSON.stringify(exported);
    expect(text).not.toMatch(/Pa55word!|Cl13nt-S3cret|hasPassword|hasSecret|"secrets"|dataKey/);
    expect(exported.connections).toHaveLength(2);

    const { store: other } = await openStore();
    const report = await other.import(JSON.parse(text));
    expect(report.imported.map((entry) => entry.name).sort()).toEqual(['Contoso AD', 'Contoso M365']);
    expect(report.skipped).toEqual([]);
    // Secrets are not in the file: the admin re-enters them.
    expect(
      other.list().connections.map((c) => (c.kind === 'activeDirectory' ? c.hasPassword : c.hasSecret)),
    ).toEqual([false, false]);
  });

  it('imports the valid entries and says why it skipped each other one', async () => {
    const { store } = await openStore();
    const good = (await store.save(ad())).id;
    const exported = store.exportDocument();
    const [entry] = exported.connections;
    const { store: other } = await openStore();
    const report = await other.import({
      ...exported,
      connections: [
        entry,
        { ...entry },
        { ...entry, id: 'not-a-uuid', name: 'Broken' },
        42,
        { name: 'No kind' },
      ],
    });
    expect(report.imported).toEqual([{ id: good, name: 'Contoso AD' }]);
    expect(report.skipped).toEqual([
      { index: 1, name: 'Contoso AD', reasons: ['a connection with this id already exists'] },
      { index: 2, name: 'Broken', reasons: [expect.stringContaining('id')] },
      { index: 3, reasons: [expect.any(String)] },
      { index: 4, name: 'No kind', reasons: [expect.stringContaining('kind')] },
    ]);
  });

  it('rejects a file that is not an export without changing anything', async () => {
    const { store } = await openStore();
    await store.save(ad());
    for (const document of [
      null,
      [],
      { connections: [] },
      { format: 'connection-utility/connections', version: 2 },
    ]) {
      await expect(store.import(document)).rejects.toMatchObject({ appError: { code: 'input.invalid' } });
    }
    expect(store.list().connections).toHaveLength(1);
  });

  it('reports secrets sealed by another vault kind instead of overwriting them', async () => {
    const { store, dir } = await openStore();
    const { id } = await store.save(ad({ password: 'Pa55word!' }));
    await store.close();
    stores.splice(0);
    const foreign: Vault = {
      info: { kind: 'safeStorage', backend: 'test', protection: 'os' },
      seal: async () => '',
      open: async () => Buffer.alloc(32),
    };
    const { store: other } = await openStore(dir, foreign);
    await expect(other.readSecret(id)).rejects.toMatchObject({ appError: { code: 'vault.mismatch' } });
    await expect(other.save(ad({ id, password: 'new' }))).rejects.toMatchObject({
      appError: { code: 'vault.mismatch' },
    });
    expect(other.get(id)).toMatchObject({ hasPassword: true });
  });
});

/** What is on disk, read by a connection of its own (not the store's cache). */
function count(dir: string, sql: string): number {
  const db = new DatabaseSync(join(dir, storeFileName), { readOnly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
