import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AtomicJsonFile } from './atomic-json-file';
import { bundleFixture } from './fixtures/bundle-fixture';
import { CrashDocumentSchema, crashDocument } from './fixtures/crash-writer';
import { runAndKill } from './fixtures/run-and-kill';

const kills = 200;

describe('AtomicJsonFile under SIGKILL', () => {
  let writer: string;
  beforeAll(async () => {
    writer = await bundleFixture(join(import.meta.dirname, 'fixtures/crash-writer.ts'));
  });

  it(`always holds either the previous or the new document (${kills} kills at random moments)`, async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cu-crash-')), 'store.json');
    let killedMidWrite = 0;
    let previous = 0;
    for (let round = 0; round < kills; round += 1) {
      const run = await runAndKill([writer, path], Math.random() * 30);
      // Each writer starts from what the last one left, proving the stale lock was taken over.
      expect(run.ready).toBe(previous);
      const { value } = await AtomicJsonFile.forReading({
        path,
        version: 1,
        schema: CrashDocumentSchema,
        empty: () => crashDocument(0),
      }).read();
      const inFlight = run.lastBegun > run.lastDone;
      if (inFlight) killedMidWrite += 1;
      expect(inFlight ? [run.lastDone, run.lastBegun] : [run.lastDone]).toContain(value.counter);
      // Whole, not mixed: every row belongs to the same document.
      expect(value).toEqual(crashDocument(value.counter));
      previous = value.counter;
    }
    // The test proves something only if many kills landed while a write was under way.
    expect(killedMidWrite).toBeGreaterThan(kills / 4);
    expect(readdirSync(join(path, '..')).filter((name) => name.startsWith('store.json.corrupt'))).toEqual([]);
  }, 180_000);
});
