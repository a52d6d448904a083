import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiKeyFileName, bearerMatches, loadApiKey, readApiKey } from './api-key';

// The agent's API key file and the Bearer check. The writes go to the real node:fs/promises; the journal only
// records with which mode the key file was first created, which the result cannot show (chmod follows it).

const journal = vi.hoisted(() => ({ writes: [] as { path: string; mode: unknown }[] }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    writeFile: (path: string, data: string, options: { mode?: number }) => {
      journal.writes.push({ path: String(path), mode: options?.mode });
      return real.writeFile(path, data, options);
    },
  };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cu-api-key-'));
  journal.writes.length = 0;
});

describe('loadApiKey', () => {
  it('creates 32 random bytes as base64url in api-key, mode 0600 from its first byte on', async () => {
    const { key, created } = await loadApiKey(dir, false);
    expect(created).toBe(true);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(apiKeyFileName).toBe('api-key');
    expect(readFileSync(join(dir, 'api-key'), 'utf8')).toBe(`${key}\n`);
    expect(statSync(join(dir, 'api-key')).mode & 0o777).toBe(0o600);
    expect(journal.writes).toEqual([{ path: join(dir, `api-key.${process.pid}.tmp`), mode: 0o600 }]);
  });

  it('keeps the key on the next start, and makes a new one only when asked to rotate', async () => {
    const first = await loadApiKey(dir, false);
    expect(await loadApiKey(dir, false)).toEqual({ key: first.key, created: false });
    const rotated = await loadApiKey(dir, true);
    expect(rotated.created).toBe(true);
    expect(rotated.key).not.toBe(first.key);
    expect(await readApiKey(dir)).toBe(rotated.key);
  });
});

describe('readApiKey', () => {
  it('is null before the first start, and for a file holding only white space', async () => {
    expect(await readApiKey(dir)).toBeNull();
    writeFileSync(join(dir, 'api-key'), ' \n', { mode: 0o600 });
    expect(await readApiKey(dir)).toBeNull();
  });

  it('throws what else keeps the key from being read', async () => {
    mkdirSync(join(dir, 'api-key'), { mode: 0o700 });
    await expect(readApiKey(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

describe('bearerMatches', () => {
  const key = 'k3y-0f-f0rty-thr33-ch4racters-4bcdefghijklm';

  it('matches exactly "Bearer <key>"', () => {
    expect(bearerMatches(`Bearer ${key}`, key)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['another scheme', `Basic ${key}`],
    ['the scheme in lower case', `bearer ${key}`],
    ['text before the scheme', `x Bearer ${key}`],
    ['a second line after the key', `Bearer ${key}\nX: y`],
    ['the key alone', key],
    ['a longer key', `Bearer ${key}x`],
    ['a shorter key', `Bearer ${key.slice(1)}`],
    ['a key of the same length', `Bearer ${key.replace('k', 'K')}`],
  ])('refuses %s', (_what, header) => {
    expect(bearerMatches(header, key)).toBe(false);
  });
});
