import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConnectionSaveRequestSchema } from '../../common/connections/save-request';
import { bundleFixture } from '../storage/fixtures/bundle-fixture';
import { runAndKill } from '../storage/fixtures/run-and-kill';
import { KeyFileVault } from '../vault/key-file-vault';
import { ConnectionStore, storeFileName } from './connection-store';

const kills = 200;

describe('ConnectionStore under SIGKILL', () => {
  let writer: string;
  beforeAll(async () => {
    writer = await bundleFixture(join(import.meta.dirname, 'fixtures/store-writer.ts'));
  });

  it(`always opens with either the previous or the new row, record and secret together (${kills} kills)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-crash-db-'));
    const vault = await KeyFileVault.open(dir);
    const seed = await ConnectionStore.open({ dir, vault });
    const { id } = await seed.save(
      ConnectionSaveRequestSchema.parse({
        kind: 'activeDirectory',
        name: 'counter 0',
        domain: 'contoso.test',
        targets: [{ host: 'dc1.contoso.test', port: 636, tls: 'ldaps' }],
        bindUser: 'svc-idm@contoso.test',
        password: 'secret-0',
      }),
    );
    await seed.close();

    let killedMidWrite = 0;
    let previous = 0;
    for (let round = 0; round < kills; round += 1) {
      const run = await runAndKill([writer, 'counter', dir, id], Math.random() * 30);
      // Each writer starts from what the last one left.
      expect(run.ready).toBe(previous);
      const store = await ConnectionStore.open({ dir, vault });
      try {
        const counter = Number(/^counter (\d+)$/.exec(store.get(id).name)?.[1]);
        const inFlight = run.lastBegun > run.lastDone;
        if (inFlight) killedMidWrite += 1;
        expect(inFlight ? [run.lastDone, run.lastBegun] : [run.lastDone]).toContain(counter);
        // Whole, not mixed: the secret is the one saved with this very record.
        expect(await store.readSecret(id)).toBe(`secret-${counter}`);
        previous = counter;
      } finally {
        await store.close();
      }
    }
    // The test proves something only if many kills landed while a write was under way.
    expect(killedMidWrite).toBeGreaterThan(kills / 4);
    const db = new DatabaseSync(join(dir, storeFileName), { readOnly: true });
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    db.close();
    expect(readdirSync(dir).filter((name) => name.includes('.corrupt'))).toEqual([]);
  }, 180_000);
});
