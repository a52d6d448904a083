import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { failureOf } from '../fixtures/failure-of';
import { bundleFixture } from '../storage/fixtures/bundle-fixture';
import { writeRoute } from './routes-file';

const run = promisify(execFile);
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

async function tempFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'cu-routes-')), 'we', 'routes.json');
}

describe('writeRoute', () => {
  let writer: string;
  beforeAll(async () => {
    writer = await bundleFixture(join(import.meta.dirname, 'fixtures/route-writer.ts'));
  });

  it('creates the file, with its folder, holding the one route', async () => {
    const file = await tempFile();
    const now = () => new Date('2026-11-26T10:00:00.000Z');
    const result = await writeRoute({
      file,
      domain: 'contoso.test',
      agentUrl: 'http://host-1:40002',
      connectionId: id(1),
      now,
    });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      routes: {
        'contoso.test': {
          agentUrl: 'http://host-1:40002',
          connectionId: id(1),
          updatedAt: '2026-11-26T10:00:00.000Z',
        },
      },
    });
    expect(result).toMatchObject({ routesFile: file, previous: null, routeCount: 1 });
  });

  it('keeps every other route, unknown fields at every level, and the file mode', async () => {
    const file = await tempFile();
    await writeRoute({ file, domain: 'a.test', agentUrl: 'http://old:40002', connectionId: id(1) });
    const written = JSON.parse(await readFile(file, 'utf8'));
    written.engine = { owner: 'workflow engine', retries: 3 };
    written.routes['a.test'].weight = 10;
    written.routes['b.test'] = {
      agentUrl: 'http://b:40002',
      connectionId: id(2),
      updatedAt: 'x',
      pool: 'east',
    };
    await writeFile(file, JSON.stringify(written));
    await chmod(file, 0o640);

    const result = await writeRoute({
      file,
      domain: 'a.test',
      agentUrl: 'http://new:40002',
      connectionId: id(3),
    });

    const after = JSON.parse(await readFile(file, 'utf8'));
    expect(after.engine).toEqual({ owner: 'workflow engine', retries: 3 });
    expect(after.routes['b.test']).toEqual(written.routes['b.test']);
    expect(after.routes['a.test']).toMatchObject({
      agentUrl: 'http://new:40002',
      connectionId: id(3),
      weight: 10,
    });
    expect(result.previous).toEqual({ agentUrl: 'http://old:40002', connectionId: id(1) });
    expect((await stat(file)).mode & 0o777).toBe(0o640);
  });

  it.each([
    ['not JSON', '{"version": 1, "routes": {', 'not JSON'],
    [
      'a newer format',
      '{"version": 2, "routes": {}}',
      'written for a newer routes file version than this utility writes (1)',
    ],
    ['an array', '[1, 2]', 'not a JSON object'],
    [
      'another JSON file',
      '{"version": "1.0", "name": "package"}',
      'not a routes file (version or routes missing)',
    ],
    [
      'a route without its agent',
      '{"version": 1, "routes": {"a.test": {"connectionId": "x"}}}',
      'a route is not { agentUrl, connectionId, updatedAt }',
    ],
  ])(
    'leaves a file it cannot read untouched (%s) and says why in its own words',
    async (_, content, reason) => {
      const file = await tempFile();
      await writeRoute({ file, domain: 'seed.test', agentUrl: 'http://x:1', connectionId: id(1) });
      await writeFile(file, content);
      const error = await failureOf(
        writeRoute({ file, domain: 'a.test', agentUrl: 'http://x:1', connectionId: id(1) }),
      );
      expect(error.code).toBe('we.routesInvalid');
      expect(error.hint).toContain(file);
      expect(error.detail).toEqual({ file, reasons: [reason] });
      expect(await readFile(file, 'utf8')).toBe(content);
    },
  );

  it('waits for a writer that holds the lock, then says the file is busy', async () => {
    const file = await tempFile();
    await writeRoute({ file, domain: 'seed.test', agentUrl: 'http://x:1', connectionId: id(1) });
    // A live process of this machine (our parent) owns the lock: not stale, so we must wait.
    const owner = {
      pid: process.ppid,
      host: (await import('node:os')).hostname(),
      since: new Date().toISOString(),
    };
    await writeFile(`${file}.lock`, JSON.stringify(owner));
    const started = Date.now();
    const error = await failureOf(
      writeRoute({ file, domain: 'a.test', agentUrl: 'http://x:1', connectionId: id(1), lockWaitMs: 300 }),
    );
    expect(error.code).toBe('we.routesBusy');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).routes)).toEqual(['seed.test']);
  });

  it('loses no route when three processes and this one write at the same time', async () => {
    const file = await tempFile();
    await writeRoute({ file, domain: 'seed.test', agentUrl: 'http://x:1', connectionId: id(1) });
    const perWriter = 15;
    await Promise.all([
      ...['p', 'q', 'r'].map((prefix) => run(process.execPath, [writer, file, prefix, String(perWriter)])),
      ...Array.from({ length: perWriter }, (_, n) =>
        writeRoute({
          file,
          domain: `local${n}.example.test`,
          agentUrl: 'http://local:40002',
          connectionId: id(2),
          lockWaitMs: 30_000,
        }),
      ),
    ]);
    const routes = JSON.parse(await readFile(file, 'utf8')).routes;
    expect(Object.keys(routes)).toHaveLength(1 + 4 * perWriter);
    expect(routes['q14.example.test']).toMatchObject({ agentUrl: 'http://agent-q:40002' });
  });
});
