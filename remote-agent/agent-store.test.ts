import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentConnectionPut, AgentConnectionPutSchema } from '../shared/common/agent/agent-api';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { AgentStore, agentStoreFileName } from './agent-store';

const opened: AgentStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

async function open(dir: string, now?: () => Date): Promise<AgentStore> {
  const store = await AgentStore.open(dir, await KeyFileVault.open(dir), now ? { now } : {});
  opened.push(store);
  return store;
}

const folder = () => join(mkdtempSync(join(tmpdir(), 'cu-agent-store-')), 'agent');

const password = (secret: string, upn = 'admin@contoso.test'): AgentConnectionPut =>
  AgentConnectionPutSchema.parse({ authMode: 'password', userPrincipalName: upn, secret });

describe('AgentStore (agent-connections.db)', () => {
  it('puts, reads, updates and deletes connections by domain, and keeps them across a reopen', async () => {
    const dir = folder();
    const store = await open(dir);
    expect(store.count()).toBe(0);
    expect(store.list()).toEqual([]);

    const saved = await store.put('contoso.test', password('first-Pa55!'));
    expect(saved).toMatchObject({
      domain: 'contoso.test',
      authMode: 'password',
      hasSecret: true,
      userPrincipalName: 'admin@contoso.test',
    });
    // The view carries neither the secret nor the internal id.
    expect(saved).not.toHaveProperty('secret');
    expect(saved).not.toHaveProperty('id');
    expect(store.get('contoso.test')).toEqual(saved);
    const first = await store.withSecret('contoso.test');
    expect(first?.secret).toBe('first-Pa55!');

    const clientSecret = AgentConnectionPutSchema.parse({
      authMode: 'clientSecret',
      clientId: '5f8c6a2e-2b1d-4c39-9f3e-0d2a7b4c1e90',
      secret: 'client-secret-value',
      cloud: 'usgov',
    });
    await store.put('fabrikam.test', clientSecret);
    const updated = await store.put('contoso.test', password('second-Pa55!', 'other@contoso.test'));
    expect(updated.userPrincipalName).toBe('other@contoso.test');
    // An update keeps the connection's id (its secret is sealed to it) and its place in the list.
    expect((await store.withSecret('contoso.test'))?.id).toBe(first?.id);
    expect(store.list().map((connection) => connection.domain)).toEqual(['contoso.test', 'fabrikam.test']);
    expect(store.count()).toBe(2);

    expect(await store.delete('contoso.test')).toBe(true);
    expect(await store.delete('contoso.test')).toBe(false);
    expect(store.get('contoso.test')).toBeNull();
    expect(await store.withSecret('contoso.test')).toBeNull();
    store.close();

    const again = await open(dir);
    expect(again.notices).toEqual([]);
    expect(again.list()).toEqual([
      expect.objectContaining({ domain: 'fabrikam.test', clientId: clientSecret.clientId, hasSecret: true }),
    ]);
    expect((await again.withSecret('fabrikam.test'))?.secret).toBe('client-secret-value');
  });

  it('keeps secrets sealed: no file of the data folder holds one in plain text or base64', async () => {
    const dir = folder();
    const marker = 'Zq9-MARKER-s3cret-value';
    const store = await open(dir);
    await store.put('contoso.test', password(marker));
    // Written and still open: the row may sit in the -wal file; look at every file now and after closing.
    const look = () => {
      for (const name of readdirSync(dir)) {
        const bytes = readFileSync(join(dir, name));
        for (const needle of [marker, Buffer.from(marker).toString('base64')]) {
          expect(bytes.includes(needle), name).toBe(false);
        }
      }
    };
    // The look reads the bytes the row is written in: the record's own fields are there in clear.
    const holding = () =>
      readdirSync(dir).filter((name) => readFileSync(join(dir, name)).includes('admin@contoso.test'));
    expect(holding().length).toBeGreaterThan(0);
    look();
    store.close();
    expect(holding()).toContain(agentStoreFileName);
    look();
  });

  it('lets two stores on one folder write at once: each sees the other, and both use one data key', async () => {
    const dir = folder();
    // Before this store, a second one on the same folder failed with store.locked.
    const [a, b] = await Promise.all([open(dir), open(dir)]);
    if (!a || !b) throw new Error('both stores must open');
    // Both create the data key at the same time (sealing it awaits): the second must take the first's.
    await Promise.all([
      a.put('a.contoso.test', password('secret-a')),
      b.put('b.contoso.test', password('secret-b')),
      a.put('c.contoso.test', password('secret-c')),
      b.put('d.contoso.test', password('secret-d')),
    ]);
    for (const store of [a, b]) {
      expect(store.count()).toBe(4);
      for (const name of ['a', 'b', 'c', 'd']) {
        expect((await store.withSecret(`${name}.contoso.test`))?.secret).toBe(`secret-${name}`);
      }
    }
    // A store opened later reads them all with the one key that was kept.
    const later = await open(dir);
    expect((await later.withSecret('b.contoso.test'))?.secret).toBe('secret-b');
    expect((await later.withSecret('a.contoso.test'))?.secret).toBe('secret-a');
  });

  it('sets a damaged database aside, reports it, and starts an empty one', async () => {
    const dir = folder();
    const first = await open(dir);
    await first.put('contoso.test', password('Pa55!'));
    first.close();
    const garbage = Buffer.from(
      'this is not a SQLite database, it was overwritten by something else\n'.repeat(80),
    );
    writeFileSync(join(dir, agentStoreFileName), garbage, { mode: 0o600 });

    const at = new Date('2026-03-04T05:06:07.089Z');
    const store = await open(dir, () => at);
    const movedTo = join(dir, `${agentStoreFileName}.corrupt-2026-03-04T05-06-07-089Z`);
    expect(store.notices).toEqual([
      expect.objectContaining({
        code: 'store.corrupt',
        hint: expect.stringContaining(movedTo),
        detail: expect.objectContaining({ movedTo }),
      }),
    ]);
    // Kept as it was, never deleted.
    expect(readFileSync(movedTo)).toEqual(garbage);
    expect(store.count()).toBe(0);
    await store.put('contoso.test', password('new-Pa55!'));
    expect((await store.withSecret('contoso.test'))?.secret).toBe('new-Pa55!');
    expect(existsSync(join(dir, agentStoreFileName))).toBe(true);
  });
});
