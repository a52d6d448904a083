import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionSaveRequestSchema } from '../../common/connections/save-request';
import type { TestHistoryEntry } from '../../common/connections/test-history';
import { bundleFixture } from '../storage/fixtures/bundle-fixture';
import { KeyFileVault } from '../vault/key-file-vault';
import { ConnectionStore, storeFileName } from './connection-store';
import { connectionStoreSchema } from './connection-store-schema';

const stores: ConnectionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function openStore(dir = mkdtempSync(join(tmpdir(), 'cu-history-'))) {
  const store = await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) });
  stores.push(store);
  return { store, dir };
}

const ad = (name: string, extra: Record<string, unknown> = {}) =>
  ConnectionSaveRequestSchema.parse({
    kind: 'activeDirectory',
    name,
    domain: 'contoso.com',
    targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }],
    bindUser: 'svc-idm@contoso.com',
    ...extra,
  });

/** The n-th outcome of a series: a minute apart, every third one failed, n ms long. */
const outcome = (n: number, summary = `test ${n}`) => {
  const ok = n % 3 !== 2;
  return {
    ok,
    at: new Date(Date.UTC(2026, 0, 1, 8, n)).toISOString(),
    ...(ok ? {} : { code: 'ad.unreachable' }),
    summary,
  };
};

function rowsOnDisk(dir: string): number {
  const db = new DatabaseSync(join(dir, storeFileName), { readOnly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM test_history').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('ConnectionStore test history', () => {
  it('records the last test and appends it to the history in one call, oldest first', async () => {
    const { store } = await openStore();
    const { id } = await store.save(ad('Contoso AD'));
    expect(store.testHistory(id)).toEqual({ connectionId: id, entries: [] });
    for (let n = 0; n < 3; n += 1)
      await store.recordTest(id, outcome(n), { source: n === 0 ? 'wizard' : 'dialog', durationMs: 10 * n });
    const { entries } = store.testHistory(id);
    expect(entries).toEqual<TestHistoryEntry[]>([
      { ...outcome(0), source: 'wizard', durationMs: 0 },
      { ...outcome(1), source: 'dialog', durationMs: 10 },
      { ...outcome(2), source: 'dialog', durationMs: 20, code: 'ad.unreachable', ok: false },
    ]);
    expect(store.get(id).lastTest).toEqual(outcome(2));
  });

  it('keeps the newest 50 per connection and leaves other connections alone', async () => {
    const { store, dir } = await openStore();
    const { id } = await store.save(ad('Busy'));
    const { id: quiet } = await store.save(ad('Quiet'));
    await store.recordTest(quiet, outcome(0), { source: 'cli', durationMs: 5 });
    for (let n = 0; n < 60; n += 1)
      await store.recordTest(id, outcome(n), { source: 'agent', durationMs: n });
    const { entries } = store.testHistory(id);
    expect(entries).toHaveLength(50);
    expect(entries.map((entry) => entry.summary)).toEqual(
      Array.from({ length: 50 }, (_, k) => `test ${k + 10}`),
    );
    expect(entries.at(-1)).toMatchObject({ ...outcome(59), durationMs: 59 });
    expect(store.testHistory(quiet).entries).toEqual([{ ...outcome(0), source: 'cli', durationMs: 5 }]);
    // Trimmed on disk, not only in what is returned.
    expect(rowsOnDisk(dir)).toBe(51);
  });

  it('appendTest adds to the history only; recordTest without a run records the last test only', async () => {
    const { store } = await openStore();
    const { id } = await store.save(ad('Contoso AD'));
    await store.appendTest(id, { ...outcome(2), source: 'diagnose', durationMs: 1234.5 });
    expect(store.get(id).lastTest).toBeUndefined();
    await store.recordTest(id, outcome(3));
    expect(store.get(id).lastTest).toEqual(outcome(3));
    expect(store.testHistory(id).entries).toEqual([
      { ...outcome(2), source: 'diagnose', durationMs: 1234.5 },
    ]);
  });

  it('refuses an unknown connection and an entry outside the contract, writing nothing', async () => {
    const { store, dir } = await openStore();
    const { id } = await store.save(ad('Contoso AD'));
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(() => store.testHistory(missing)).toThrow(
      expect.objectContaining({ appError: expect.objectContaining({ code: 'connections.notFound' }) }),
    );
    await expect(
      store.appendTest(missing, { ...outcome(0), source: 'dialog', durationMs: 1 }),
    ).rejects.toMatchObject({ appError: { code: 'connections.notFound' } });
    await expect(
      store.recordTest(id, outcome(0), { source: 'dialog', durationMs: -1 }),
    ).rejects.toBeDefined();
    // The failed append rolled the last test back with it.
    expect(store.get(id).lastTest).toBeUndefined();
    expect(rowsOnDisk(dir)).toBe(0);
  });

  it('a save keeps the history; a delete removes it with the connection', async () => {
    const { store, dir } = await openStore();
    const { id } = await store.save(ad('Contoso AD', { password: 'Pa55word!' }));
    const { id: other } = await store.save(ad('Other'));
    for (let n = 0; n < 4; n += 1)
      await store.recordTest(id, outcome(n), { source: 'dialog', durationMs: n });
    await store.recordTest(other, outcome(0), { source: 'dialog', durationMs: 1 });
    await store.save(ad('Renamed', { id }));
    expect(store.testHistory(id).entries).toHaveLength(4);
    await store.delete(id);
    expect(rowsOnDisk(dir)).toBe(1);
    expect(() => store.testHistory(id)).toThrow();
    expect(store.testHistory(other).entries).toHaveLength(1);
  });

  it('is not exported, and an import starts without history', async () => {
    const { store } = await openStore();
    const { id } = await store.save(ad('Contoso AD'));
    await store.recordTest(id, outcome(0, 'first'), { source: 'wizard', durationMs: 42 });
    await store.recordTest(id, outcome(2, 'second'), { source: 'dialog', durationMs: 43 });
    const exported = JSON.stringify(store.exportDocument());
    expect(exported).not.toContain('first');
    expect(exported).not.toContain('"source"');
    expect(exported).not.toContain('durationMs');
    const { store: other } = await openStore();
    expect((await other.import(JSON.parse(exported))).imported).toHaveLength(1);
    expect(other.testHistory(id).entries).toEqual([]);
  });

  it('survives a reopen, and skips an entry edited by hand into something unreadable', async () => {
    const { store, dir } = await openStore();
    const { id } = await store.save(ad('Contoso AD'));
    for (let n = 0; n < 3; n += 1)
      await store.recordTest(id, outcome(n), { source: 'dialog', durationMs: n });
    await store.close();
    stores.splice(0);
    const db = new DatabaseSync(join(dir, storeFileName));
    db.prepare('UPDATE test_history SET entry = \'{"ok":"maybe"}\' WHERE seq = 2').run();
    db.close();
    const { store: reopened } = await openStore(dir);
    expect(reopened.testHistory(id).entries.map((entry) => entry.summary)).toEqual(['test 0', 'test 2']);
  });

  it('a store from before test history is migrated and keeps its connections', async () => {
    const { store, dir } = await openStore();
    const { id } = await store.save(ad('Contoso AD', { password: 'Pa55word!' }));
    await store.close();
    stores.splice(0);
    // What the previous version wrote: the first three steps only.
    const db = new DatabaseSync(join(dir, storeFileName));
    db.exec(`DROP TABLE test_history; PRAGMA user_version = ${connectionStoreSchema.length - 1}`);
    db.close();
    const { store: upgraded } = await openStore(dir);
    expect(upgraded.get(id).name).toBe('Contoso AD');
    expect(await upgraded.readSecret(id)).toBe('Pa55word!');
    await upgraded.recordTest(id, outcome(0), { source: 'dialog', durationMs: 7 });
    expect(upgraded.testHistory(id).entries).toHaveLength(1);
  });
});

/** A writer process, started and waiting for `go()`. */
async function startWriter(args: string[]) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (data: Buffer) => {
      out += data.toString('utf8');
      if (out.includes('ready')) resolve();
    });
    child.stderr.on('data', (data: Buffer) => {
      out += data.toString('utf8');
    });
    void exited.then(() => resolve());
  });
  await ready;
  return { go: () => child.stdin.end('go\n'), exited };
}

describe('ConnectionStore test history shared by several processes', () => {
  let writer: string;
  beforeAll(async () => {
    writer = await bundleFixture(join(import.meta.dirname, 'fixtures/history-writer.ts'));
  }, 60_000);

  /** The app records `perProcess` outcomes while three other processes record as many on the same connection. */
  async function race(perProcess: number) {
    const { store, dir } = await openStore();
    const { id } = await store.save(ad('Shared'));
    const others = await Promise.all(
      ['a', 'b', 'c'].map((who) => startWriter([writer, 'records', dir, id, who, String(perProcess)])),
    );
    for (const other of others) other.go();
    for (let n = 0; n < perProcess; n += 1) {
      await store.recordTest(
        id,
        { ok: true, at: new Date().toISOString(), summary: `app ${n}` },
        {
          source: 'dialog',
          durationMs: n,
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    for (const result of await Promise.all(others.map((other) => other.exited)))
      expect(result.code, result.out).toBe(0);
    const { entries } = store.testHistory(id);
    // Each writer's own outcomes stay in the order it recorded them.
    for (const who of ['app', 'a', 'b', 'c']) {
      const own = entries
        .filter((entry) => entry.summary.startsWith(`${who} `))
        .map((entry) => Number(entry.summary.split(' ')[1]));
      expect(own).toEqual([...own].sort((x, y) => x - y));
    }
    // One transaction: whoever committed last, the panel's last test is the history's newest entry.
    const { source: _source, durationMs: _duration, ...newest } = entries.at(-1) ?? ({} as TestHistoryEntry);
    expect(store.get(id).lastTest).toEqual(newest);
    return entries;
  }

  it('four processes record at once: no outcome is lost', async () => {
    const entries = await race(12);
    expect(entries).toHaveLength(48);
    for (const who of ['app', 'a', 'b', 'c'])
      for (let n = 0; n < 12; n += 1)
        expect(entries.some((entry) => entry.summary === `${who} ${n}`)).toBe(true);
  }, 60_000);

  it('four processes record past the limit at once: exactly the newest 50 stay', async () => {
    const entries = await race(40);
    expect(entries).toHaveLength(50);
    // The newest were kept: whatever a writer has in the history, its later outcomes are there too.
    for (const who of ['app', 'a', 'b', 'c']) {
      const own = entries.filter((entry) => entry.summary.startsWith(`${who} `));
      if (own.length) expect(own.at(-1)?.summary).toBe(`${who} 39`);
      expect(own.map((entry) => entry.summary)).toEqual(
        Array.from({ length: own.length }, (_, k) => `${who} ${40 - own.length + k}`),
      );
    }
    expect(entries.at(-1)?.summary).toMatch(/ 39$/);
  }, 60_000);
});
