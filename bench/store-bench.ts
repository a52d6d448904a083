import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ConnectionStore, storeFileName } from '../shared/node/connections/connection-store';
import { bundleFixture } from '../shared/node/storage/fixtures/bundle-fixture';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { medianMs, type Row } from './measure';
import { seedStore } from './seed-store';

/**
 * Load = open the store and list every connection, as the window does at start.
 * Save = change one connection: one write transaction, committed with FULL sync.
 * Concurrent = 4 processes × 250 saves at once on one store: wall time, and how many saves are missing after.
 * Baselines, in the same process on the same database: a bare node:sqlite read of the same rows (SELECT + JSON.parse
 * of each record), a bare one-row UPDATE in a transaction, and the same 1,000 saves made by one process alone.
 */
export async function storeBench(count: number, runs: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cu-bench-store-'));
  try {
    await seedStore(dir, count);
    const path = join(dir, storeFileName);
    const vault = await KeyFileVault.open(dir);

    const load = await medianMs(async () => {
      const store = await ConnectionStore.open({ dir, vault });
      if (store.list().connections.length !== count) throw new Error('load lost connections');
      await store.close();
    }, runs);
    const bare = new DatabaseSync(path);
    const readAll = bare.prepare('SELECT id, record, secret FROM connections ORDER BY rowid');
    const bareRead = await medianMs(async () => {
      const rows = readAll.all() as { record: string }[];
      for (const row of rows) JSON.parse(row.record);
    }, runs);

    const store = await ConnectionStore.open({ dir, vault });
    const target = store
      .list()
      .connections.slice(Math.floor(count / 2))
      .find((connection) => connection.kind === 'activeDirectory');
    if (target?.kind !== 'activeDirectory') throw new Error('the seed has no Active Directory connection');
    let n = 0;
    const save = await medianMs(
      async () => {
        n += 1;
        const { hasPassword: _has, createdAt: _c, updatedAt: _u, lastTest: _l, ...fields } = target;
        await store.save({ ...fields, name: `renamed ${n}` });
        // The app saves over a long session: warmed up like it, not timing the JIT's first passes.
      },
      runs * 4,
      200,
    );
    await store.close();
    const update = bare.prepare('UPDATE connections SET record = ? WHERE id = ?');
    const record = (
      bare.prepare('SELECT record FROM connections WHERE id = ?').get(target.id) as { record: string }
    ).record;
    const bareUpdate = await medianMs(
      async () => {
        bare.exec('BEGIN IMMEDIATE');
        update.run(record, target.id);
        bare.exec('COMMIT');
      },
      runs * 4,
      200,
    );
    bare.close();

    const concurrent = await concurrentSaves(4, 250);
    const alone = await concurrentSaves(1, 1000);
    const size = `${(statSync(path).size / 1024 / 1024).toFixed(1)} MiB`;
    return [
      {
        case: `load ${count} connections (${size} database): open + list`,
        medianMs: load,
        baseline: 'bare node:sqlite read of the rows',
        baselineMs: bareRead,
        target: '≤ 20 ms',
      },
      {
        case: `save 1 of ${count} (one transaction, FULL sync)`,
        medianMs: save,
        baseline: 'bare UPDATE in a transaction',
        baselineMs: bareUpdate,
        target: '≤ 2 ms',
      },
      {
        case: `4 processes × 250 saves at once: ${concurrent.lost} lost (wall time)`,
        medianMs: concurrent.wallMs,
        baseline: `1 process × 1000 saves (${alone.lost} lost)`,
        baselineMs: alone.wallMs,
        target: '0 lost',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `processes` writers each add `saves` connections to one fresh store at once; counts what is missing after. */
async function concurrentSaves(processes: number, saves: number): Promise<{ wallMs: number; lost: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cu-bench-concurrent-'));
  try {
    const writer = await bundleFixture(
      join(import.meta.dirname, '../shared/node/connections/fixtures/store-writer.ts'),
    );
    // Created first, so the writers time saving rather than racing to create the schema.
    await (await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) })).close();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: processes }, (_, i) => runWriter(writer, ['saves', dir, `w${i}`, `${saves}`])),
    );
    const wallMs = performance.now() - started;
    const store = await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) });
    const names = new Set(store.list().connections.map((connection) => connection.name));
    await store.close();
    let lost = 0;
    for (let i = 0; i < processes; i += 1)
      for (let n = 0; n < saves; n += 1) if (!names.has(`w${i} ${n}`)) lost += 1;
    return { wallMs, lost };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runWriter(writer: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`))));
  });
}
