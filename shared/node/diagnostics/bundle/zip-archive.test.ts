import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzipWithOtherTools } from './fixtures/marker-scan';
import { zipArchive } from './zip-archive';

const written = (chunks: Buffer[]) => {
  const file = join(mkdtempSync(join(tmpdir(), 'cu-zip-')), 'test.zip');
  writeFileSync(file, Buffer.concat(chunks));
  return file;
};

describe('zipArchive', () => {
  it('writes a zip that unzip and Python read back byte for byte, with UTF-8 names and mode 0600', () => {
    const entries = [
      { name: 'manifest.json', data: Buffer.from('{"a":1}\n') },
      { name: 'empty.txt', data: Buffer.alloc(0) },
      { name: 'diagnoses/contoso.test-ü.html', data: Buffer.from('<p>Grüße</p>'.repeat(500)) },
      // Random bytes do not deflate: the stored size is larger than the data, and must still be right.
      { name: 'logs/random.bin', data: randomBytes(70_000) },
    ];
    const { test, files } = unzipWithOtherTools(written(zipArchive(entries)));
    expect(test).toMatch(/No errors detected/);
    expect(files.map((file) => file.name).sort()).toEqual(entries.map((entry) => entry.name).sort());
    for (const entry of entries) {
      const file = files.find((candidate) => candidate.name === entry.name);
      expect(file?.data.equals(entry.data), entry.name).toBe(true);
      expect((file?.mode ?? 0) & 0o777).toBe(0o600);
    }
  });

  it('deflates: repetitive text takes a fraction of its size', () => {
    const data = Buffer.from('{"level":30,"msg":"ipc"}\n'.repeat(10_000));
    const size = Buffer.concat(zipArchive([{ name: 'a.log', data }])).length;
    expect(size).toBeLessThan(data.length / 20);
  });

  it.each([['/etc/passwd'], ['../outside.txt'], ['a/../../b'], ['a//b'], ['a\\b'], [''], ['./a']])(
    'refuses the entry name %j, which could land outside the folder it is extracted to',
    (name) => {
      expect(() => zipArchive([{ name, data: Buffer.from('x') }])).toThrow(/not a relative zip entry name/);
    },
  );

  it('refuses two entries of the same name', () => {
    expect(() =>
      zipArchive([
        { name: 'a.txt', data: Buffer.from('1') },
        { name: 'a.txt', data: Buffer.from('2') },
      ]),
    ).toThrow(/duplicate/);
  });
});
