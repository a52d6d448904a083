import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFixture } from '../storage/fixtures/bundle-fixture';
import { KeyFileVault } from '../vault/key-file-vault';
import { ConnectionStore } from './connection-store';
import { adRequest, fingerprintOf } from './fixtures/store-writer';

// The store is shared: the app keeps it open all session while the CLI and other processes write to it.

const ad = adRequest;

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (data: Buffer) => {
      out += data.toString('utf8');
    });
    child.stderr.on('data', (data: Buffer) => {
      out += data.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('ConnectionStore shared by several processes', () => {
  let writer: string;
  let cli: string;
  beforeAll(async () => {
    [writer, cli] = await Promise.all([
      bundleFixture(join(import.meta.dirname, 'fixtures/store-writer.ts')),
      bundleFixture(join(import.meta.dirname, '../../../cli/main.ts')),
    ]);
  }, 60_000);

  it('the app and three other processes save at once: no update is lost, every secret opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-concurrent-'));
    const app = await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) });
    try {
      const perProcess = 100;
      // The processes race to create the data key too: the losers must seal with the winner's.
      const others = ['a', 'b', 'c'].map((name) =>
        run(process.execPath, [writer, 'saves', dir, name, `${perProcess}`]),
      );
      for (let n = 0; n < perProcess; n += 1) await app.save(ad(`app ${n}`, { password: `app-${n}` }));
      const results = await Promise.all(others);
      for (const result of results) expect(result.code, result.out).toBe(0);

      // The app's open store sees the others' rows without reopening.
      const names = app.list().connections.map((connection) => connection.name);
      expect(names).toHaveLength(4 * perProcess);
      for (const prefix of ['app', 'a', 'b', 'c'])
        for (let n = 0; n < perProcess; n += 1) expect(names).toContain(`${prefix} ${n}`);
      const fresh = await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) });
      try {
        for (const connection of fresh.list().connections) {
          const [who, n] = connection.name.split(' ');
          expect(await fresh.readSecret(connection.id)).toBe(`${who}-${n}`);
        }
      } finally {
        await fresh.close();
      }
    } finally {
      await app.close();
    }
  }, 120_000);

  it('read-modify-write from three processes at once: every pin of every process survives, the password stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-concurrent-pins-'));
    const app = await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) });
    try {
      const { id } = await app.save(ad('pinned', { password: 'Pa55word!' }));
      const perProcess = 15;
      const results = await Promise.all(
        ['a', 'b', 'c'].map((who) => run(process.execPath, [writer, 'pins', dir, id, who, `${perProcess}`])),
      );
      for (const result of results) expect(result.code, result.out).toBe(0);
      const saved = app.get(id);
      if (saved.kind !== 'activeDirectory') throw new Error('not AD');
      expect(saved.trust.pinnedFingerprints).toHaveLength(3 * perProcess);
      for (const who of ['a', 'b', 'c'])
        for (let n = 0; n < perProcess; n += 1)
          expect(saved.trust.pinnedFingerprints).toContain(fingerprintOf(who, n));
      // Each pin re-sealed the password to the new trust; the last one is what opens now.
      expect(await app.readSecret(id)).toBe('Pa55word!');
    } finally {
      await app.close();
    }
  }, 120_000);

  it('three real CLI processes import while the app holds the store open and saves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-concurrent-cli-'));
    const app = await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) });
    try {
      const rounds = 4;
      const chain = async (who: string) => {
        for (let round = 0; round < rounds; round += 1) {
          const file = join(dir, `../${who}-${round}.json`);
          writeFileSync(file, JSON.stringify(exportOf(who, round)));
          const result = await run(
            process.execPath,
            [cli, 'connections', 'import', '--file', file, '--json'],
            {
              CU_USER_DATA: dir,
            },
          );
          expect(result.code, result.out).toBe(0);
        }
      };
      const chains = ['x', 'y', 'z'].map(chain);
      let saved = 0;
      const appSaves = (async () => {
        for (; saved < 40; saved += 1) {
          await app.save(ad(`app ${saved}`, { password: `app-${saved}` }));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      await Promise.all([...chains, appSaves]);
      const names = app.list().connections.map((connection) => connection.name);
      expect(names).toHaveLength(3 * rounds * 5 + 40);
      expect(names).toContain('z 3.4');
      expect(names).toContain('app 39');
    } finally {
      await app.close();
    }
  }, 120_000);
});

/** An export file with five connections named "<who> <round>.<n>". */
function exportOf(who: string, round: number) {
  return {
    format: 'connection-utility/connections',
    version: 1,
    exportedAt: '2026-11-26T08:00:00.000Z',
    connections: Array.from({ length: 5 }, (_, n) => ({
      kind: 'activeDirectory',
      id: crypto.randomUUID(),
      name: `${who} ${round}.${n}`,
      domain: 'contoso.test',
      targets: [{ host: 'dc1.contoso.test', port: 636, tls: 'ldaps' }],
      bindUser: 'svc-idm@contoso.test',
      createdAt: '2026-11-26T08:00:00.000Z',
      updatedAt: '2026-11-26T08:00:00.000Z',
    })),
  };
}
