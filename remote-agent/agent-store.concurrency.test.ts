import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AgentConnectionPutSchema } from '../shared/common/agent/agent-api';
import { bundleFixture } from '../shared/node/storage/fixtures/bundle-fixture';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { AgentStore } from './agent-store';
import { writeLegacyAgentFile } from './fixtures/legacy-agent-json';

// Two agents on one data folder are two processes: each writes through its own connection to the database.

interface Writer {
  child: ChildProcessWithoutNullStreams;
  output: string;
  /** The codes of the notices its store reported on open. */
  opened: Promise<string[]>;
  done: Promise<void>;
}

function startWriter(script: string, dir: string, name: string, count: number): Writer {
  const child = spawn(process.execPath, [script, dir, name, String(count)], { stdio: 'pipe' });
  const writer = { child, output: '' } as Writer;
  const line = (word: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = new RegExp(`^${word}(.*)$`, 'm').exec(writer.output);
        if (found) resolve(found[1]?.trim() ?? '');
        const failed = /^failed (.*)$/m.exec(writer.output);
        if (failed) reject(new Error(`${name}: ${failed[1]}`));
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => {
        check();
        reject(new Error(`${name} exited with ${code} before "${word}": ${writer.output}`));
      });
    });
  child.stdout.on('data', (data: Buffer) => {
    writer.output += data.toString('utf8');
  });
  child.stderr.on('data', (data: Buffer) => {
    writer.output += data.toString('utf8');
  });
  writer.opened = line('opened').then((codes) => JSON.parse(codes) as string[]);
  writer.done = line('done').then(() => undefined);
  return writer;
}

/** Starts both writers, lets both open, then lets both write at once. */
async function race(script: string, dir: string, count: number): Promise<string[][]> {
  const writers = ['one', 'two'].map((name) => startWriter(script, dir, name, count));
  const notices = await Promise.all(writers.map((writer) => writer.opened));
  for (const writer of writers) writer.child.stdin.end('go\n');
  await Promise.all(writers.map((writer) => writer.done));
  return notices;
}

const folder = () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'cu-agent-two-')), 'agent');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
};

describe('two agents on one data folder', () => {
  let script: string;
  beforeAll(async () => {
    script = await bundleFixture(join(import.meta.dirname, 'fixtures/agent-store-writer.ts'));
  }, 60_000);

  it('write at once and lose no update; the secrets of both open with the one data key they share', async () => {
    const dir = folder();
    const count = 40;
    // Neither has a data key yet: both create one with their first put, at the same moment.
    await race(script, dir, count);

    const store = await AgentStore.open(dir, await KeyFileVault.open(dir));
    try {
      // Each writer's own domains, and the one they share, once.
      expect(store.count()).toBe(2 * count + 1);
      for (const name of ['one', 'two']) {
        for (let i = 0; i < count; i += 1) {
          expect((await store.withSecret(`${name}-${i}.test`))?.secret).toBe(`secret-of-${name}-${i}`);
        }
      }
      // The test proves something only if the writers took turns (the list is in the order of first save):
      // one, two, one at least. (SQLite's busy wait is no queue, so on a loaded host the turns can be few.)
      const writers = store
        .list()
        .map((connection) => connection.domain.split('-')[0])
        .filter((writer) => writer === 'one' || writer === 'two');
      const turns = writers.filter((writer, i) => i > 0 && writer !== writers[i - 1]).length;
      expect(turns).toBeGreaterThanOrEqual(2);
      // The last put of the shared domain won whole: its secret opens with the id its row kept.
      expect((await store.withSecret('shared.test'))?.secret).toMatch(
        new RegExp(`^shared-secret-of-(one|two)-${count - 1}$`),
      );
    } finally {
      store.close();
    }
  }, 60_000);

  it('move agent-connections.json into the database once when both start on it together', async () => {
    const dir = folder();
    await writeLegacyAgentFile(
      dir,
      await KeyFileVault.open(dir),
      Object.fromEntries(
        ['a', 'b', 'c'].map((name) => [
          `${name}.contoso.test`,
          AgentConnectionPutSchema.parse({ authMode: 'password', secret: `legacy-${name}` }),
        ]),
      ),
    );
    const notices = await race(script, dir, 5);

    expect(notices.flat()).toEqual(['store.migrated']);
    expect(readdirSync(dir).filter((name) => name.includes('.migrated-'))).toHaveLength(1);
    const store = await AgentStore.open(dir, await KeyFileVault.open(dir));
    try {
      expect(store.count()).toBe(3 + 2 * 5 + 1);
      for (const name of ['a', 'b', 'c']) {
        expect((await store.withSecret(`${name}.contoso.test`))?.secret).toBe(`legacy-${name}`);
      }
      expect((await store.withSecret('two-4.test'))?.secret).toBe('secret-of-two-4');
    } finally {
      store.close();
    }
  }, 60_000);
});
