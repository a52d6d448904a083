import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { openSqliteDatabase, writeTransaction } from './sqlite-database';

const steps = [(db: DatabaseSync) => db.exec('CREATE TABLE item (name TEXT NOT NULL)')];
/** `base` with a `then` property: a thenable, to await, when `then` is a function. */
const withThen = <T extends object>(base: T, then: unknown) =>
  Object.defineProperty(base, 'then', { value: then, enumerable: true }) as T & { then: unknown };
const newPath = () => join(mkdtempSync(join(tmpdir(), 'cu-sqlite-')), 'test.db');

describe('openSqliteDatabase', () => {
  it('closes the database again when a step after opening it fails', async () => {
    const path = newPath();
    // The check marker is cleared last, after the migration: a folder in its place makes that step throw.
    mkdirSync(`${path}.check`);
    await expect(openSqliteDatabase({ path, steps, label: 'test store' })).rejects.toThrow();
    // SQLite removes the -wal and -shm files when the last handle on the database closes; a leaked handle keeps
    // them (and the file open) until the process ends.
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(`${path}-shm`)).toBe(false);
  });
});

describe('writeTransaction', () => {
  it.each([
    ['a promise', () => Promise.resolve(1)],
    [
      'a thenable that is not a native promise',
      () => withThen({}, (done: (value: number) => void) => done(1)),
    ],
    [
      'a function with a then',
      () =>
        withThen(
          () => 1,
          () => {},
        ),
    ],
  ])('refuses work that returns %s, and keeps none of its writes', async (_case, result) => {
    const path = newPath();
    const { db } = await openSqliteDatabase({ path, steps, label: 'test store' });
    try {
      expect(() =>
        writeTransaction(db, path, () => {
          db.exec("INSERT INTO item (name) VALUES ('written')");
          return result();
        }),
      ).toThrow('writeTransaction: work must be synchronous');
      expect(db.prepare('SELECT count(*) AS n FROM item').get()?.n).toBe(0);
      expect(db.isTransaction).toBe(false);
    } finally {
      db.close();
    }
  });

  it('commits synchronous work, whatever plain value it returns', async () => {
    const path = newPath();
    const { db } = await openSqliteDatabase({ path, steps, label: 'test store' });
    try {
      const result = writeTransaction(db, path, () => {
        db.exec("INSERT INTO item (name) VALUES ('written')");
        return withThen({ id: 1 }, 'not a function');
      });
      expect(result.id).toBe(1);
      expect(result.then).toBe('not a function');
      expect(db.prepare('SELECT count(*) AS n FROM item').get()?.n).toBe(1);
    } finally {
      db.close();
    }
  });
});
