import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AtomicJsonFile } from './atomic-json-file';
import { bundleFixture } from './fixtures/bundle-fixture';
import { CrashDocumentSchema, crashDocument } from './fixtures/crash-writer';

const kills = 200;

interface Run {
  ready: number;
  lastBegun: number;
  lastDone: number;
}

/** Starts the writer, kills it with SIGKILL after a random delay, and returns what it announced. */
function runAndKill(writer: string, path: string, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString('utf8');
      if (!timer && output.includes('ready')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      const numbers = (word: string) =>
        [...output.matchAll(new RegExp(`^${word} (\\d+)$`, 'gm'))].map((match) => Number(match[1]));
      const [ready] = numbers('ready');
      if (ready === undefined) return reject(new Error(`writer never became ready:\n${output}`));
      resolve({
        ready,
        lastBegun: Math.max(ready, ...numbers('begin')),
        lastDone: Math.max(ready, ...numbers('done')),
      });
    });
  });
}

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
      const run = await runAndKill(writer, path, Math.random() * 30);
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
