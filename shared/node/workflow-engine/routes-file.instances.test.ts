import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failureOf } from '../fixtures/failure-of';
import { acquireFileLock } from '../storage/file-lock';
import { readRoutes, removeRoute, writeRoute } from './routes-file';

// The routes file's every refusal and every failure, one at a time: each shape of a file that is not a routes
// file, each file-system error on the way (injected into the real node:fs/promises, for the disk is rarely full on
// demand and root may write anywhere), the lock, and removal by a domain in any case.

type Op = 'mkdir' | 'open' | 'writeFile';
const fault = vi.hoisted(() => ({ next: null as null | { op: string; path: RegExp; code?: string } }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const failing =
    <A extends [unknown, ...unknown[]], R>(op: Op, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const planned = fault.next;
      if (planned?.op !== op || !planned.path.test(String(args[0]))) return call(...args);
      fault.next = null;
      return Promise.reject(
        Object.assign(new Error(`${op} failed`), planned.code ? { code: planned.code } : {}),
      );
    };
  return {
    ...real,
    mkdir: failing('mkdir', real.mkdir),
    open: failing('open', real.open),
    writeFile: failing('writeFile', real.writeFile),
  };
});

let dir: string;
let file: string;
const route = { agentUrl: 'https://agent.contoso.com:40443', connectionId: 'c-1' };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cu-routes-all-'));
  file = join(dir, 'routes.json');
  fault.next = null;
});
afterEach(() => {
  fault.next = null;
});

const write = (domain = 'contoso.com', extra: Partial<Parameters<typeof writeRoute>[0]> = {}) =>
  writeRoute({ file, domain, ...route, now: () => new Date('2026-01-02T03:04:05Z'), ...extra });

const writeFailed = (errno: string, hint: string) => ({
  code: 'we.routesIoFailed',
  message: 'The Workflow Engine routes file could not be written.',
  hint,
  detail: { file, errno },
});

const tryAgain = 'Check the path in Settings and try again; nothing was changed.';

describe('files that are not routes files', () => {
  it.each([
    ['text', 'routes', 'not JSON'],
    ['null', 'null', 'not a JSON object'],
    ['an array', '[]', 'not a JSON object'],
    ['a number', '1', 'not a JSON object'],
    ['a string', '"routes"', 'not a JSON object'],
    ['no version', '{"routes":{}}', 'not a routes file (version or routes missing)'],
    ['an older version', '{"version":0,"routes":{}}', 'not a routes file (version or routes missing)'],
    ['no routes', '{"version":1}', 'not a routes file (version or routes missing)'],
    ['null routes', '{"version":1,"routes":null}', 'not a routes file (version or routes missing)'],
    ['routes as an array', '{"version":1,"routes":[]}', 'not a routes file (version or routes missing)'],
    ['routes as text', '{"version":1,"routes":"x"}', 'not a routes file (version or routes missing)'],
    [
      'a newer version',
      '{"version":2,"routes":{}}',
      'written for a newer routes file version than this utility writes (1)',
    ],
    [
      'a route without its fields',
      '{"version":1,"routes":{"a.com":{}}}',
      'a route is not { agentUrl, connectionId, updatedAt }',
    ],
  ])('%s is refused and left as it is', async (_what, text, reason) => {
    writeFileSync(file, text);
    expect(await failureOf(write())).toEqual({
      code: 'we.routesInvalid',
      message: 'The Workflow Engine routes file cannot be read, so it was left unchanged.',
      hint: `Repair ${file} (expected { "version": 1, "routes": { … } }) or choose another file in Settings.`,
      detail: { file, reasons: [reason] },
    });
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});

describe('readRoutes', () => {
  it('reads an absent file as no routes, mode 0644', async () => {
    expect(await readRoutes(file)).toEqual({ document: { version: 1, routes: {} }, mode: 0o644 });
  });

  it('keeps the mode of the file it read', async () => {
    await write();
    chmodSync(file, 0o640);
    expect((await readRoutes(file)).mode).toBe(0o640);
  });

  it('reports a file it cannot read for another reason than its absence', async () => {
    mkdirSync(file);
    expect(await failureOf(readRoutes(file))).toEqual(writeFailed('EISDIR', tryAgain));
  });
});

describe('file-system failures', () => {
  it.each([
    [
      'EACCES',
      'Your account may not write there: run as a user who may, or choose another file in Settings.',
    ],
    ['EPERM', 'Your account may not write there: run as a user who may, or choose another file in Settings.'],
    ['ENOSPC', 'The disk is full. Free some space and try again; nothing was changed.'],
    ['EIO', tryAgain],
  ])(
    'writing a route that fails with %s says what to do, and leaves the file as it was',
    async (errno, hint) => {
      await write('fabrikam.com');
      const before = readFileSync(file, 'utf8');
      fault.next = { op: 'open', path: /\.tmp$/, code: errno };
      expect(await failureOf(write())).toEqual(writeFailed(errno, hint));
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(existsSync(`${file}.lock`)).toBe(false);
    },
  );

  it('a folder that cannot be made is reported, and an error without a code counts as unknown', async () => {
    fault.next = { op: 'mkdir', path: /./, code: 'EACCES' };
    expect(await failureOf(write())).toMatchObject({ detail: { errno: 'EACCES' } });
    fault.next = { op: 'mkdir', path: /./ };
    expect(await failureOf(write())).toEqual(writeFailed('unknown', tryAgain));
  });

  it('removing a route that fails to write is reported, and the route stays', async () => {
    await write();
    fault.next = { op: 'open', path: /\.tmp$/, code: 'ENOSPC' };
    expect(await failureOf(removeRoute({ file, domain: 'contoso.com' }))).toMatchObject({
      code: 'we.routesIoFailed',
      detail: { errno: 'ENOSPC' },
    });
    expect(Object.keys((await readRoutes(file)).document.routes)).toEqual(['contoso.com']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('a lock file that cannot be created for another reason than a writer is reported at once, not waited for', async () => {
    fault.next = { op: 'writeFile', path: /\.lock$/, code: 'EROFS' };
    expect(await failureOf(write('contoso.com', { lockWaitMs: 60_000 }))).toEqual(
      writeFailed('EROFS', tryAgain),
    );
  });
});

describe('the lock', () => {
  it('a writer that holds it makes a write wait, then say the file is busy', async () => {
    const held = await acquireFileLock(`${file}.lock`);
    try {
      expect(await failureOf(write('contoso.com', { lockWaitMs: 120 }))).toEqual({
        code: 'we.routesBusy',
        message: 'Another program is writing the Workflow Engine routes file.',
        hint: 'Try again in a moment. If this persists, check for a stale lock file.',
        detail: { file, lockFile: `${file}.lock`, waitedMs: 120 },
      });
    } finally {
      await held.release();
    }
  });

  it('is let go after a removal, so the next writer gets it at once', async () => {
    await write();
    await removeRoute({ file, domain: 'contoso.com' });
    expect(existsSync(`${file}.lock`)).toBe(false);
    await expect(write('contoso.com', { lockWaitMs: 0 })).resolves.toMatchObject({ routeCount: 1 });
  });
});

describe('removeRoute', () => {
  it('takes nothing, not even the lock, when the folder does not exist', async () => {
    const nowhere = join(dir, 'missing', 'routes.json');
    expect(await removeRoute({ file: nowhere, domain: 'contoso.com' })).toEqual({
      routesFile: nowhere,
      domain: 'contoso.com',
      removed: null,
      routeCount: 0,
    });
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('leaves a file without the domain untouched, its time stamp included', async () => {
    await write('fabrikam.com');
    const before = statSync(file).mtimeMs;
    const lockTaken = vi.fn();
    expect(await removeRoute({ file, domain: 'contoso.com', onlyIf: lockTaken })).toMatchObject({
      removed: null,
      routeCount: 1,
    });
    expect(lockTaken).not.toHaveBeenCalled();
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('does not wait for another writer’s lock when the file has no route for the domain', async () => {
    await write('fabrikam.com');
    const held = await acquireFileLock(`${file}.lock`);
    try {
      expect(await removeRoute({ file, domain: 'contoso.com', lockWaitMs: 50 })).toMatchObject({
        removed: null,
        routeCount: 1,
      });
    } finally {
      await held.release();
    }
  });

  it('removes every spelling of the domain when onlyIf agrees to each', async () => {
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        routes: {
          'Contoso.com': { ...route, updatedAt: '2026-01-01T00:00:00.000Z' },
          'contoso.com': { ...route, updatedAt: '2026-01-01T00:00:00.000Z' },
          'fabrikam.com': { ...route, updatedAt: '2026-01-01T00:00:00.000Z' },
        },
      }),
    );
    const asked: string[] = [];
    const result = await removeRoute({
      file,
      domain: 'CONTOSO.COM',
      onlyIf: (found) => {
        asked.push(found.connectionId);
        return true;
      },
    });
    expect(result).toEqual({ routesFile: file, domain: 'contoso.com', removed: route, routeCount: 1 });
    expect(asked).toEqual(['c-1', 'c-1']);
    expect(Object.keys((await readRoutes(file)).document.routes)).toEqual(['fabrikam.com']);
  });

  it('keeps every spelling when onlyIf refuses any one of them', async () => {
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        routes: {
          'Contoso.com': { ...route, connectionId: 'old', updatedAt: '2026-01-01T00:00:00.000Z' },
          'contoso.com': { ...route, updatedAt: '2026-01-01T00:00:00.000Z' },
        },
      }),
    );
    const result = await removeRoute({
      file,
      domain: 'contoso.com',
      onlyIf: (found) => found.connectionId === 'c-1',
    });
    expect(result).toMatchObject({ removed: null, routeCount: 2 });
    expect(Object.keys((await readRoutes(file)).document.routes)).toHaveLength(2);
  });
});
