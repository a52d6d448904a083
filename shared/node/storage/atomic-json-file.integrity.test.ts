import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AtomicJsonFile } from './atomic-json-file';

/** A document whose validation we can count, and whose data key lives in the document as the store's does. */
function setUp(options: { key?: Buffer | null; context?: string } = {}) {
  let validated = 0;
  const schema = z.strictObject({
    dataKey: z.string().optional(),
    rows: z.array(z.strictObject({ n: z.number().int().nonnegative() })).refine(() => {
      validated += 1;
      return true;
    }),
  });
  const key = options.key === undefined ? randomBytes(32) : options.key;
  const path = join(mkdtempSync(join(tmpdir(), 'cu-integrity-')), 'doc.json');
  const fileOptions = {
    path,
    version: 1,
    schema,
    empty: () => ({ rows: [] }),
    integrity: {
      keyFor: async (document: Record<string, unknown>) =>
        typeof document.dataKey === 'string' ? key : null,
      context: options.context ?? 'schema-1',
    },
  };
  return { path, fileOptions, validations: () => validated };
}

async function write(fileOptions: ReturnType<typeof setUp>['fileOptions'], value: unknown) {
  const file = await AtomicJsonFile.openForWriting(fileOptions as never);
  await file.write(value as never);
  await file.close();
}
const read = (fileOptions: ReturnType<typeof setUp>['fileOptions']) =>
  AtomicJsonFile.forReading(fileOptions as never).read();

describe('AtomicJsonFile integrity tag', () => {
  it('trusts what it wrote itself: the read skips validation and returns the same document', async () => {
    const { path, fileOptions, validations } = setUp();
    const document = { dataKey: 'sealed', rows: [{ n: 1 }, { n: 2 }] };
    await write(fileOptions, document);
    expect(readFileSync(path, 'utf8')).toMatch(/^\{"version":1,"integrity":"[0-9a-f]{64}","dataKey"/);
    const before = validations();
    expect((await read(fileOptions)).value).toEqual(document);
    expect(validations()).toBe(before);
  });

  it('validates in full when the text was changed after tagging, and still finds the damage', async () => {
    const { path, fileOptions, validations } = setUp();
    await write(fileOptions, { dataKey: 'sealed', rows: [{ n: 1 }] });
    // A valid edit: loaded, but only after validation.
    writeFileSync(path, readFileSync(path, 'utf8').replace('{"n":1}', '{"n":7}'));
    const before = validations();
    expect((await read(fileOptions)).value).toEqual({ dataKey: 'sealed', rows: [{ n: 7 }] });
    expect(validations()).toBe(before + 1);
    // An invalid edit under the same tag is caught, not trusted.
    writeFileSync(path, readFileSync(path, 'utf8').replace('{"n":7}', '{"n":-1}'));
    await expect(read(fileOptions)).rejects.toMatchObject({ appError: { code: 'store.corrupt' } });
  });

  it('does not accept a tag made with another key or for another schema version', async () => {
    const writer = setUp({ context: 'schema-1' });
    await write(writer.fileOptions, { dataKey: 'sealed', rows: [{ n: 1 }] });
    const text = readFileSync(writer.path, 'utf8');
    for (const reader of [setUp({ context: 'schema-1' }), setUp({ context: 'schema-2' })]) {
      writeFileSync(reader.path, text);
      const before = reader.validations();
      await read(reader.fileOptions);
      expect(reader.validations()).toBe(before + 1);
    }
  });

  it('writes plain JSON when there is no key yet, and tags it from the first write that has one', async () => {
    const { path, fileOptions } = setUp();
    await write(fileOptions, { rows: [{ n: 1 }] });
    expect(readFileSync(path, 'utf8')).toMatch(/^\{"version":1,"rows"/);
    await write(fileOptions, { dataKey: 'sealed', rows: [{ n: 1 }] });
    expect(readFileSync(path, 'utf8')).toMatch(/^\{"version":1,"integrity":/);
  });
});
