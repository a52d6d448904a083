import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppFailure } from '../../common/errors/app-error';
import { AtomicJsonFile, type AtomicJsonFileOptions } from './atomic-json-file';
import { bundleFixture } from './fixtures/bundle-fixture';

const Doc = z.strictObject({ items: z.array(z.string()) });
type Doc = z.infer<typeof Doc>;

function options(path: string, extra: Partial<AtomicJsonFileOptions<Doc>> = {}): AtomicJsonFileOptions<Doc> {
  return { path, version: 1, schema: Doc, empty: () => ({ items: [] }), ...extra };
}

function tempPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'cu-atomic-')), 'store.json');
}

const opened: AtomicJsonFile<Doc>[] = [];
async function openWriter(path: string, extra: Partial<AtomicJsonFileOptions<Doc>> = {}) {
  const file = await AtomicJsonFile.openForWriting(options(path, extra));
  opened.push(file);
  return file;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((file) => file.close()));
});

describe('AtomicJsonFile', () => {
  it('starts empty, then reads back what it wrote with its version', async () => {
    const path = tempPath();
    const file = await openWriter(path);
    expect(await file.read()).toEqual({ value: { items: [] } });
    await file.write({ items: ['a', 'b'] });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, items: ['a', 'b'] });
    expect((await file.read()).value).toEqual({ items: ['a', 'b'] });
  });

  it.each([
    ['not JSON', 'ghp_q7ZxMARKER91kfTz and the rest', ['not JSON']],
    [
      'an unknown field',
      '{"version":1,"items":[],"ghp_q7ZxMARKER91kfTz":1}',
      ['(request): 1 unknown field(s)'],
    ],
  ])('reports a damaged file (%s) without quoting it (rule 6)', async (_label, content, reasons) => {
    const path = tempPath();
    writeFileSync(path, content);
    const error = await AtomicJsonFile.forReading(options(path))
      .read()
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toMatchObject({ appError: { code: 'store.corrupt', detail: { file: path, reasons } } });
    const text = JSON.stringify((error as { appError: unknown }).appError);
    for (let start = 0; start + 8 <= 'ghp_q7ZxMARKER91kfTz'.length; start += 1) {
      expect(text).not.toContain('ghp_q7ZxMARKER91kfTz'.slice(start, start + 8));
    }
  });

  it('leaves no temp file behind and removes those of a crashed writer', async () => {
    const path = tempPath();
    const folder = join(path, '..');
    writeFileSync(join(folder, '.store.json.999.dead.tmp'), 'half a document');
    const file = await openWriter(path);
    await file.write({ items: ['x'] });
    expect(readdirSync(folder).sort()).toEqual(['store.json', 'store.json.lock']);
  });

  it.each([
    ['garbage', 'this is not json'],
    ['a truncated document', '{"version":1,"items":["a","b'],
    ['a document that breaks the schema', '{"version":1,"items":[1,2]}'],
    ['a document without a version', '{"items":[]}'],
    ['an empty file', ''],
  ])(
    'sets %s aside byte for byte, reports store.corrupt with the path, and starts empty',
    async (_label, content) => {
      const path = tempPath();
      writeFileSync(path, content);
      const file = await openWriter(path, { now: () => new Date('2026-11-26T08:00:00.000Z') });
      const outcome = await file.read();
      const aside = `${path}.corrupt-2026-11-26T08-00-00-000Z`;
      expect(outcome.value).toEqual({ items: [] });
      expect(outcome.recovered).toMatchObject({
        code: 'store.corrupt',
        detail: { file: path, movedTo: aside },
      });
      expect(outcome.recovered?.hint).toContain(aside);
      expect(readFileSync(aside, 'utf8')).toBe(content);
      expect(existsSync(path)).toBe(false);
      await file.write({ items: ['fresh'] });
      expect(readFileSync(aside, 'utf8')).toBe(content);
    },
  );

  it('a reader reports a corrupt file without moving it', async () => {
    const path = tempPath();
    writeFileSync(path, '{"version":1,');
    await expect(AtomicJsonFile.forReading(options(path)).read()).rejects.toMatchObject({
      appError: { code: 'store.corrupt' },
    });
    expect(readFileSync(path, 'utf8')).toBe('{"version":1,');
  });

  it('refuses a document from a newer version and never overwrites it', async () => {
    const path = tempPath();
    writeFileSync(path, '{"version":7,"items":[],"future":true}');
    const file = await openWriter(path);
    await expect(file.read()).rejects.toMatchObject({
      appError: { code: 'store.tooNew', detail: { version: 7 } },
    });
    expect(readFileSync(path, 'utf8')).toBe('{"version":7,"items":[],"future":true}');
  });

  it('migrates older documents step by step', async () => {
    const path = tempPath();
    writeFileSync(path, JSON.stringify({ version: 1, names: 'a,b' }));
    const migrations = {
      1: (doc: Record<string, unknown>) => ({ ...doc, list: String(doc.names).split(',') }),
      2: ({ list, names: _names, ...doc }: Record<string, unknown>) => ({ ...doc, items: list }),
    };
    const file = await openWriter(path, { version: 3, migrations });
    expect((await file.read()).value).toEqual({ items: ['a', 'b'] });
  });

  it('refuses to write a document that breaks its schema', async () => {
    const path = tempPath();
    const file = await openWriter(path);
    await file.write({ items: ['kept'] });
    await expect(file.write({ items: [3] } as unknown as Doc)).rejects.toThrow(/refusing to write/);
    expect((await file.read()).value).toEqual({ items: ['kept'] });
  });

  it.runIf(process.platform !== 'win32' && process.getuid?.() !== 0)(
    'reports store.ioFailed and keeps the old document when the folder is read-only',
    async () => {
      const path = tempPath();
      const file = await openWriter(path);
      await file.write({ items: ['kept'] });
      chmodSync(join(path, '..'), 0o500);
      try {
        await expect(file.write({ items: ['lost'] })).rejects.toMatchObject({
          appError: { code: 'store.ioFailed' },
        });
      } finally {
        chmodSync(join(path, '..'), 0o700);
      }
      expect((await file.read()).value).toEqual({ items: ['kept'] });
    },
  );

  it('reports store.ioFailed, not a crash, when the data folder disappears', async () => {
    const path = tempPath();
    const file = await openWriter(path);
    rmSync(join(path, '..'), { recursive: true });
    await expect(file.write({ items: ['x'] })).rejects.toMatchObject({
      appError: { code: 'store.ioFailed', detail: { errno: 'ENOENT' } },
    });
  });

  it('a read-only handle cannot write', async () => {
    const file = AtomicJsonFile.forReading(options(tempPath()));
    await expect(file.write({ items: [] })).rejects.toMatchObject({ appError: { code: 'store.readOnly' } });
  });

  it('names the file in its messages: by its label, or else by its file name', async () => {
    const path = tempPath();
    const failure = (work: Promise<unknown>) =>
      work.then(
        () => '',
        (error: unknown) => (error instanceof AppFailure ? error.appError.message : String(error)),
      );
    writeFileSync(path, '{"version":7,"items":[]}');
    expect(await failure(AtomicJsonFile.forReading(options(path)).read())).toBe(
      'The file store.json was written by a newer version of Connection Utility.',
    );
    writeFileSync(path, 'not JSON');
    expect(await failure(AtomicJsonFile.forReading(options(path)).read())).toBe(
      'The file store.json is damaged and cannot be read.',
    );
    const labeled = options(path, { label: 'routes file' });
    expect(await failure(AtomicJsonFile.forReading(labeled).write({ items: [] }))).toBe(
      'This command opened the routes file read-only and cannot change it.',
    );
    expect((await (await openWriter(path, { label: 'routes file' })).read()).recovered?.message).toBe(
      'The routes file was damaged; it was set aside and an empty one was started.',
    );
  });

  it('withWriter closes the file and lets the lock go whatever the work did', async () => {
    const path = tempPath();
    await expect(
      AtomicJsonFile.withWriter(options(path), async (file) => {
        await file.write({ items: ['kept'] });
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(existsSync(`${path}.lock`)).toBe(false);
    const items = await AtomicJsonFile.withWriter(
      options(path),
      async (file) => (await file.read()).value.items,
    );
    expect(items).toEqual(['kept']);
  });
});

describe('the writer lock', () => {
  let lockHolder: string;
  beforeAll(async () => {
    lockHolder = await bundleFixture(join(import.meta.dirname, 'fixtures/lock-holder.ts'));
  });

  it('refuses a second writer in the same process', async () => {
    const path = tempPath();
    await openWriter(path);
    await expect(AtomicJsonFile.openForWriting(options(path))).rejects.toMatchObject({
      appError: { code: 'store.locked' },
    });
  });

  it('refuses a writer while another process writes, naming it, and allows it once that process is gone', async () => {
    const path = tempPath();
    const child = spawn(process.execPath, [lockHolder, path], { stdio: ['pipe', 'pipe', 'inherit'] });
    await firstLine(child);
    await expect(AtomicJsonFile.openForWriting(options(path))).rejects.toMatchObject({
      appError: { code: 'store.locked', detail: { pid: child.pid } },
    });
    child.stdin?.end();
    await new Promise((resolve) => child.once('exit', resolve));
    await expect(openWriter(path)).resolves.toBeInstanceOf(AtomicJsonFile);
  });

  it('takes over the lock of a process that was killed', async () => {
    const path = tempPath();
    const child = spawn(process.execPath, [lockHolder, path], { stdio: ['pipe', 'pipe', 'inherit'] });
    await firstLine(child);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(`${path}.lock`)).toBe(true);
    await expect(openWriter(path)).resolves.toBeInstanceOf(AtomicJsonFile);
  });

  it('lets readers read while a writer holds the lock', async () => {
    const path = tempPath();
    const writer = await openWriter(path);
    await writer.write({ items: ['shared'] });
    expect((await AtomicJsonFile.forReading(options(path)).read()).value).toEqual({ items: ['shared'] });
  });
});

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    child.stdout?.once('data', (data: Buffer) => resolve(data.toString('utf8')));
  });
}
