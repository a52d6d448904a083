import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomically } from './write-file-atomically';

// The order that makes a replacement durable (write, fsync, rename, fsync of the folder) cannot be seen in the
// result on a machine that does not lose power, so the file-system calls are observed instead: every call goes
// to the real node:fs/promises, and the journal records it (file handles included) in the order it was made.

interface Call {
  op: string;
  path: string;
  args?: unknown[];
}

const journal = vi.hoisted(() => ({ calls: [] as Call[], failRename: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const record = (op: string, path: string, args?: unknown[]) =>
    journal.calls.push({ op, path: String(path), ...(args ? { args } : {}) });
  /** The real handle, whose calls are recorded under the path it was opened with. */
  const watched = (handle: FileHandle, path: string): FileHandle =>
    new Proxy(handle, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => {
          record(`handle.${property}`, path);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return {
    ...real,
    open: async (path: string, flags?: string, mode?: number) => {
      record('open', path, [flags, mode]);
      return watched(await real.open(path, flags, mode), path);
    },
    rename: async (from: string, to: string) => {
      record('rename', from, [to]);
      if (journal.failRename) throw Object.assign(new Error('EXDEV: simulated'), { code: 'EXDEV' });
      return real.rename(from, to);
    },
    unlink: async (path: string) => {
      record('unlink', path);
      return real.unlink(path);
    },
  };
});

let dir: string;
let target: string;
const platform = Object.getOwnPropertyDescriptor(process, 'platform') as PropertyDescriptor;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cu-atomic-'));
  target = join(dir, 'settings.json');
  journal.calls.length = 0;
  journal.failRename = false;
});

afterEach(() => {
  Object.defineProperty(process, 'platform', platform);
});

/** The temp file's path as the journal saw it opened. */
const tempPath = () => journal.calls.find((call) => call.op === 'open')?.path ?? '';

describe('writeFileAtomically', () => {
  it('writes, fsyncs and closes the temp file, renames it over the target, then fsyncs the folder', async () => {
    writeFileSync(target, 'old');
    await writeFileAtomically(target, '{"new":true}');
    const temp = tempPath();
    expect(journal.calls).toEqual([
      { op: 'open', path: temp, args: ['wx', 0o600] },
      { op: 'handle.writeFile', path: temp },
      { op: 'handle.sync', path: temp },
      { op: 'handle.close', path: temp },
      { op: 'rename', path: temp, args: [target] },
      { op: 'open', path: dir, args: ['r', undefined] },
      { op: 'handle.sync', path: dir },
      { op: 'handle.close', path: dir },
    ]);
    expect(readFileSync(target, 'utf8')).toBe('{"new":true}');
  });

  it('writes chunks with one writev, in the same order', async () => {
    await writeFileAtomically(target, [Buffer.from('{"a":'), Buffer.from('1}')]);
    expect(journal.calls.map((call) => call.op)).toEqual([
      'open',
      'handle.writev',
      'handle.sync',
      'handle.close',
      'rename',
      'open',
      'handle.sync',
      'handle.close',
    ]);
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}');
  });

  it('puts the temp file beside the target, hidden, named for it and this process, and leaves none behind', async () => {
    await writeFileAtomically(target, 'x');
    const temp = tempPath();
    expect(dirname(temp)).toBe(dir);
    expect(basename(temp)).toMatch(new RegExp(`^\\.settings\\.json\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('gives the new file mode 0600 unless told otherwise', async () => {
    await writeFileAtomically(target, 'x');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const shared = join(dir, 'shared.json');
    await writeFileAtomically(shared, 'x', 0o640);
    expect(journal.calls.filter((call) => call.op === 'open')[2]?.args).toEqual(['wx', 0o640]);
    expect(statSync(shared).mode & 0o777).toBe(0o640 & ~process.umask());
  });

  it('writes non-ASCII text as UTF-8', async () => {
    await writeFileAtomically(target, 'Ünïcødé 密码');
    expect(readFileSync(target, 'utf8')).toBe('Ünïcødé 密码');
  });

  it('removes the temp file and throws the raw error when the rename fails; the target keeps its content', async () => {
    writeFileSync(target, 'old');
    journal.failRename = true;
    await expect(writeFileAtomically(target, 'new')).rejects.toMatchObject({ code: 'EXDEV' });
    const temp = tempPath();
    expect(journal.calls.map((call) => call.op)).toEqual([
      'open',
      'handle.writeFile',
      'handle.sync',
      'handle.close',
      'rename',
      'unlink',
    ]);
    expect(journal.calls.at(-1)).toEqual({ op: 'unlink', path: temp });
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('throws the raw error when the folder does not exist, without renaming anything', async () => {
    await expect(writeFileAtomically(join(dir, 'missing', 'x.json'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(journal.calls.map((call) => call.op)).toEqual(['open', 'unlink']);
  });

  it('does not fsync the folder on Windows, which cannot open one (NTFS journals the rename)', async () => {
    Object.defineProperty(process, 'platform', { ...platform, value: 'win32' });
    await writeFileAtomically(target, 'x');
    expect(journal.calls.map((call) => call.op)).toEqual([
      'open',
      'handle.writeFile',
      'handle.sync',
      'handle.close',
      'rename',
    ]);
  });
});
