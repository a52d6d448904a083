import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { failureOf } from '../fixtures/failure-of';
import { AtomicJsonFile, type AtomicJsonFileOptions } from './atomic-json-file';

// Each way a versioned JSON document can be unreadable, each failure of the file system it can meet, and each
// part of the integrity tag, one at a time. The file-system failures are injected into the real node:fs/promises
// (the disk is rarely full on demand, and root may write anywhere); everything else is real files.

const fault = vi.hoisted(() => ({ next: null as null | { op: 'readFile' | 'open'; code?: string } }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  /** Throws the planned failure once, for the planned call; otherwise the real call. */
  const failing =
    <A extends unknown[], R>(op: 'readFile' | 'open', call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const planned = fault.next;
      if (planned?.op !== op) return call(...args);
      fault.next = null;
      return Promise.reject(
        Object.assign(new Error(`${op} failed`), planned.code ? { code: planned.code } : {}),
      );
    };
  return { ...real, readFile: failing('readFile', real.readFile), open: failing('open', real.open) };
});

const Doc = z.strictObject({ items: z.array(z.string()) });
type Doc = z.infer<typeof Doc>;

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cu-atomic-all-'));
  path = join(dir, 'store.json');
  fault.next = null;
});

const opened: AtomicJsonFile<Doc>[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((file) => file.close()));
});

const options = (extra: Partial<AtomicJsonFileOptions<Doc>> = {}): AtomicJsonFileOptions<Doc> => ({
  path,
  version: 1,
  schema: Doc,
  empty: () => ({ items: [] }),
  ...extra,
});

async function writer(extra: Partial<AtomicJsonFileOptions<Doc>> = {}) {
  const file = await AtomicJsonFile.openForWriting(options(extra));
  opened.push(file);
  return file;
}

describe('documents that cannot be read', () => {
  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"text"'],
  ])('%s is not a JSON object', async (_what, text) => {
    writeFileSync(path, text);
    expect(await failureOf(AtomicJsonFile.forReading(options()).read())).toMatchObject({
      code: 'store.corrupt',
      detail: { file: path, reasons: ['not a JSON object'] },
    });
  });

  it.each([
    ['no version', '{"items":[]}'],
    ['a string version', '{"version":"1","items":[]}'],
    ['a fractional version', '{"version":1.5,"items":[]}'],
    ['version 0', '{"version":0,"items":[]}'],
    ['a negative version', '{"version":-1,"items":[]}'],
  ])('%s is a missing or invalid version', async (_what, text) => {
    writeFileSync(path, text);
    expect(await failureOf(AtomicJsonFile.forReading(options()).read())).toMatchObject({
      detail: { reasons: ['missing or invalid "version"'] },
    });
  });

  it('an older version without its migration says which step is missing', async () => {
    writeFileSync(path, '{"version":1,"items":[]}');
    const reading = AtomicJsonFile.forReading(
      options({ version: 3, migrations: { 1: (document) => document } }),
    );
    expect(await failureOf(reading.read())).toMatchObject({
      detail: { reasons: ['no migration from version 2'] },
    });
  });

  it('a reader is told how to recover, with at most five reasons', async () => {
    const Wide = z.strictObject(Object.fromEntries('abcdefg'.split('').map((name) => [name, z.string()])));
    writeFileSync(path, '{"version":1}');
    const error = await failureOf(
      AtomicJsonFile.forReading({ path, version: 1, schema: Wide, empty: () => ({}) as never }).read(),
    );
    expect(error).toMatchObject({
      message: 'The file store.json is damaged and cannot be read.',
      hint: 'Restore a backup, or open it once with the program that writes it: that sets it aside and starts an empty one.',
    });
    expect(error.detail?.reasons).toHaveLength(5);
  });

  it('a newer version is refused with what to install', async () => {
    writeFileSync(path, '{"version":2,"items":[]}');
    expect(await failureOf(AtomicJsonFile.forReading(options()).read())).toEqual({
      code: 'store.tooNew',
      message: 'The file store.json was written by a newer version of Connection Utility.',
      hint: 'Install that version (or newer) to use it; this version will not change it.',
      detail: { file: path, version: 2, supported: 1 },
    });
  });
});

describe('file-system failures', () => {
  it('an absent file reads as the empty document; any other read error is store.ioFailed', async () => {
    expect(await AtomicJsonFile.forReading(options()).read()).toEqual({ value: { items: [] } });
    mkdirSync(path);
    expect(await failureOf(AtomicJsonFile.forReading(options()).read())).toEqual({
      code: 'store.ioFailed',
      message: 'The file store.json could not be read.',
      hint: 'Check the data folder and try again; nothing was changed.',
      detail: { file: path, errno: 'EISDIR' },
    });
  });

  it.each([
    ['ENOSPC', 'The disk is full. Free some space and try again; nothing was changed.'],
    ['EACCES', 'Check that your account may write to the data folder, then try again.'],
    ['EPERM', 'Check that your account may write to the data folder, then try again.'],
    ['EIO', 'Check the data folder and try again; nothing was changed.'],
  ])('a write that fails with %s says what to do', async (code, hint) => {
    const file = await writer({ label: 'settings' });
    fault.next = { op: 'open', code };
    expect(await failureOf(file.write({ items: ['a'] }))).toEqual({
      code: 'store.ioFailed',
      message: 'The settings could not be saved.',
      hint,
      detail: { file: path, errno: code },
    });
  });

  it('a read that fails with EACCES says so too, and one without a code counts as unknown', async () => {
    writeFileSync(path, '{"version":1,"items":[]}');
    fault.next = { op: 'readFile', code: 'EACCES' };
    expect(await failureOf(AtomicJsonFile.forReading(options()).read())).toMatchObject({
      message: 'The file store.json could not be read.',
      hint: 'Check that your account may write to the data folder, then try again.',
    });
    fault.next = { op: 'readFile' };
    expect(await failureOf(AtomicJsonFile.forReading(options()).read())).toMatchObject({
      detail: { errno: 'unknown' },
    });
  });

  it('a read-only handle names the file it will not write', async () => {
    expect(await failureOf(AtomicJsonFile.forReading(options()).write({ items: [] }))).toMatchObject({
      code: 'store.readOnly',
      detail: { file: path },
    });
  });
});

describe('writes', () => {
  it('validate the document unless told the caller did', async () => {
    const invalid = { items: [1] } as unknown as Doc;
    await expect((await writer()).write(invalid)).rejects.toThrow(/refusing to write an invalid store\.json/);
    await opened.splice(0)[0]?.close();
    await (await writer({ validateWrites: false })).write(invalid);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, items: [1] });
  });

  it('remove only their own abandoned temp files when a writer opens', async () => {
    const names = [
      '.store.json.123.abcd.tmp',
      '.store.json.456.tmp',
      '.other.json.123.abcd.tmp',
      '.store.json.123.bak',
      'store.json.tmp',
      'x.tmp',
    ];
    for (const name of names) writeFileSync(join(dir, name), 'x');
    await writer();
    expect(readdirSync(dir).sort()).toEqual(
      [
        '.other.json.123.abcd.tmp',
        '.store.json.123.bak',
        'store.json.lock',
        'store.json.tmp',
        'x.tmp',
      ].sort(),
    );
  });
});

describe('the integrity tag', () => {
  const key = randomBytes(32);
  const tagged = (extra: Partial<AtomicJsonFileOptions<Doc>> = {}) =>
    options({ integrity: { keyFor: async () => key, context: 'schema-a' }, ...extra });

  it('is written first and ends with a newline, and its document reads back attested', async () => {
    await (await writer(tagged())).write({ items: ['a'] });
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^\{"version":1,"integrity":"[0-9a-f]{64}","items":\["a"\]\}\n$/);
    expect(await AtomicJsonFile.forReading(tagged()).read()).toEqual({
      value: { items: ['a'] },
      attested: true,
    });
  });

  it('is left out of an empty document, which still reads back', async () => {
    const Empty = z.strictObject({});
    const emptyOptions = {
      path,
      version: 1,
      schema: Empty,
      empty: () => ({}),
      integrity: { keyFor: async () => key, context: 'schema-a' },
    };
    const file = await AtomicJsonFile.openForWriting(emptyOptions);
    await file.write({});
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe('{"version":1}\n');
    expect(await AtomicJsonFile.forReading(emptyOptions).read()).toEqual({ value: {} });
  });

  it('still vouches after an editor changed the final newline to CRLF or added spaces', async () => {
    await (await writer(tagged())).write({ items: ['a'] });
    const text = readFileSync(path, 'utf8');
    for (const ending of ['\r\n', ' \n', '  ']) {
      writeFileSync(path, `${text.trimEnd()}${ending}`);
      expect(await AtomicJsonFile.forReading(tagged()).read()).toMatchObject({ attested: true });
    }
  });

  it('vouches for versions of more than one digit', async () => {
    await (await writer(tagged({ version: 12 }))).write({ items: ['a'] });
    expect(await AtomicJsonFile.forReading(tagged({ version: 12 })).read()).toEqual({
      value: { items: ['a'] },
      attested: true,
    });
  });

  it('does not vouch under another schema context or another file name: the document is validated instead', async () => {
    await (await writer(tagged())).write({ items: ['a'] });
    const other = tagged({ integrity: { keyFor: async () => key, context: 'schema-b' } });
    expect(await AtomicJsonFile.forReading(other).read()).toEqual({ value: { items: ['a'] } });
    const moved = join(dir, 'copy.json');
    renameSync(path, moved);
    expect(await AtomicJsonFile.forReading(tagged({ path: moved })).read()).toEqual({
      value: { items: ['a'] },
    });
  });

  it('does not vouch when the schema context was left empty by one side only', async () => {
    await (await writer(tagged())).write({ items: ['a'] });
    const blank = tagged({ integrity: { keyFor: async () => key, context: '' } });
    expect(await AtomicJsonFile.forReading(blank).read()).toEqual({ value: { items: ['a'] } });
  });

  it('is not made, and the file stays plain JSON, when the key cannot be had', async () => {
    const failing = tagged({
      integrity: {
        keyFor: async () => {
          throw new Error('vault locked');
        },
        context: 'schema-a',
      },
    });
    await (await writer(failing)).write({ items: ['a'] });
    expect(readFileSync(path, 'utf8')).toBe('{"version":1,"items":["a"]}\n');
    expect(await AtomicJsonFile.forReading(failing).read()).toEqual({ value: { items: ['a'] } });
  });
});
