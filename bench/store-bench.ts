import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionStore, storeFileName } from '../shared/node/connections/connection-store';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { medianMs, type Row } from './measure';
import { seedStore } from './seed-store';

/**
 * Load = open the store (read, parse, validate every record) as the app does at start.
 * Save = change one connection, which rewrites the whole file atomically with fsync.
 * Baselines, in the same process on the same file: a bare JSON.parse of it, and a bare writeFile (no fsync).
 */
export async function storeBench(count: number, runs: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cu-bench-store-'));
  try {
    await seedStore(dir, count);
    const path = join(dir, storeFileName);
    const text = readFileSync(path, 'utf8');
    const vault = await KeyFileVault.open(dir);

    const loadStore = async () => {
      const store = await ConnectionStore.open({ dir, vault, readOnly: true });
      if (store.list().connections.length !== count) throw new Error('load lost connections');
    };
    // The seed is written without an integrity tag, like a store from before it, edited by hand or by another
    // version: every record is validated.
    const loadUntagged = await medianMs(loadStore, runs);
    const parseOnly = await medianMs(async () => JSON.parse(await readFile(path, 'utf8')), runs);

    const store = await ConnectionStore.open({ dir, vault });
    const target = store
      .list()
      .connections.slice(Math.floor(count / 2))
      .find((connection) => connection.kind === 'activeDirectory');
    if (target?.kind !== 'activeDirectory') throw new Error('the seed has no Active Directory connection');
    let n = 0;
    const save = await medianMs(async () => {
      n += 1;
      const { hasPassword: _has, createdAt: _c, updatedAt: _u, lastTest: _l, ...fields } = target;
      await store.save({ ...fields, name: `renamed ${n}` });
    }, runs);
    await store.close();
    // Now written by this program (the saves above), as the app finds its own store at start.
    if (!readFileSync(path, 'utf8').startsWith('{"version":1,"integrity":'))
      throw new Error('the save wrote no tag');
    const load = await medianMs(loadStore, runs);
    const scratch = join(dir, 'scratch.json');
    const writeOnly = await medianMs(() => writeFile(scratch, text), runs);
    writeFileSync(scratch, '');

    const size = `${(Buffer.byteLength(text) / 1024 / 1024).toFixed(1)} MiB`;
    return [
      {
        case: `load ${count} connections (${size}), written by this app`,
        medianMs: load,
        baseline: 'readFile + JSON.parse',
        baselineMs: parseOnly,
        target: '≤ 50 ms',
      },
      {
        case: `load ${count}, untagged (hand-edited, other version): full validation`,
        medianMs: loadUntagged,
        baseline: 'readFile + JSON.parse',
        baselineMs: parseOnly,
        target: '—',
      },
      {
        case: `save 1 of ${count} (atomic, fsync)`,
        medianMs: save,
        baseline: 'bare writeFile',
        baselineMs: writeOnly,
        target: '≤ 50 ms',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
