import { closeSync, existsSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AppError } from '../../common/errors/app-error';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';

/** Brings a database from schema version N - 1 to N (the array index + 1); runs inside the opening transaction. */
export type SchemaStep = (db: DatabaseSync) => void;

export interface SqliteDatabaseOptions {
  path: string;
  /** `steps[0]` creates version 1; the database's `user_version` says how many have run. */
  steps: readonly SchemaStep[];
  /** What the file holds, for messages: "connection store", "Remote Agent store". */
  label: string;
  now?: () => Date;
  /** How long a write waits for another process's write to finish before it gives up (ms). */
  busyTimeoutMs?: number;
}

export interface OpenedDatabase {
  db: DatabaseSync;
  /** Set when the file was damaged: it was moved aside and an empty database started. */
  recovered: AppError | null;
  /** Whether this open created the database (so a legacy file may be migrated into it). */
  created: boolean;
}

// SQLite's primary result codes (the low byte of an extended code), as node:sqlite reports them in `errcode`.
const sqliteBusy = 5;
const sqliteLocked = 6;
const sqliteIoError = 10;
const sqliteCorrupt = 11;
const sqliteFull = 13;
const sqliteNotADatabase = 26;

/**
 * A SQLite file shared by the app, the CLI and the Remote Agent: WAL, so a writer never blocks readers and
 * readers never block the writer; a busy timeout, so concurrent writers queue instead of failing; FULL sync,
 * so a committed change survives power loss, not only a crash. The schema version is `PRAGMA user_version`,
 * moved forward in one transaction; a file from a newer build is refused (store.tooNew), and a file that is
 * not a database or fails its checks is moved aside (`<name>.corrupt-<time>`, with its -wal) and reported.
 */
export async function openSqliteDatabase(options: SqliteDatabaseOptions): Promise<OpenedDatabase> {
  await mkdir(dirname(options.path), { recursive: true, mode: 0o700 });
  let recovered: AppError | null = null;
  let busyWaitedMs = 0;
  for (;;) {
    const created = !existsSync(options.path);
    // SQLite gives new files the process umask (often 644); it gives its -wal and -shm the database's mode.
    if (created) closeSync(openSync(options.path, 'a', 0o600));
    try {
      return { db: openChecked(options), recovered, created };
    } catch (error) {
      // Two processes opening a new file at once: switching it to WAL or creating the schema can report BUSY
      // without SQLite's busy handler waiting; wait here instead, as long as the busy timeout.
      if (isBusy(error) && busyWaitedMs < (options.busyTimeoutMs ?? 5_000)) {
        const pause = 20 + Math.floor(Math.random() * 30);
        await new Promise((resolve) => setTimeout(resolve, pause));
        busyWaitedMs += pause;
        continue;
      }
      if (recovered || !isDamaged(error)) throw translateSqliteError(error, options.path, 'read');
      const aside = moveAside(options.path, options.now?.() ?? new Date());
      rmSync(checkMarker(options.path), { force: true });
      recovered = damagedError(options.path, aside, options.label, describeSqliteError(error));
    }
  }
}

/**
 * The database set up, checked when damage was met since, migrated, and its check marker cleared. Every step
 * after the open is inside the try: whichever fails, the handle is closed, not left open until the process ends.
 */
function openChecked(options: SqliteDatabaseOptions): DatabaseSync {
  const db = new DatabaseSync(options.path, { timeout: options.busyTimeoutMs ?? 5_000 });
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
    // A full check reads every page: only when a read or write found damage since (see translateSqliteError).
    if (existsSync(checkMarker(options.path))) checkIntegrity(db);
    migrate(db, options);
    rmSync(checkMarker(options.path), { force: true });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs `work` as one write transaction. BEGIN IMMEDIATE takes the write lock first, so what `work` reads cannot
 * change under it (no lost updates between processes); any throw rolls everything back.
 */
export function writeTransaction<R>(db: DatabaseSync, path: string, work: () => R): R {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    throw translateSqliteError(error, path, 'write');
  }
  try {
    const result = work();
    // Synchronous only: COMMIT runs when `work` returns, so a promise (any thenable, not only a native one) would
    // commit before its work was done.
    if (isThenable(result)) throw new Error('writeTransaction: work must be synchronous');
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error instanceof AppFailure ? error : translateSqliteError(error, path, 'write');
  }
}

function isThenable(value: unknown): boolean {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    'then' in value &&
    typeof value.then === 'function'
  );
}

function migrate(db: DatabaseSync, options: SqliteDatabaseOptions): void {
  const version = readVersion(db);
  const supported = options.steps.length;
  if (version > supported) {
    throw new AppFailure({
      code: AppErrorCode.storeTooNew,
      message: `The ${options.label} was written by a newer version of Connection Utility.`,
      hint: 'Install that version (or newer) to use it; this version will not change it.',
      detail: { file: options.path, version, supported },
    });
  }
  if (version === supported) return;
  writeTransaction(db, options.path, () => {
    // Another process may have migrated between the read above and taking the write lock.
    for (let step = readVersion(db); step < supported; step += 1) {
      options.steps[step]?.(db);
      db.exec(`PRAGMA user_version = ${step + 1}`);
    }
  });
}

/** `<db>.check`: left when damage was met at run time, so the next open runs the full check and sets it aside. */
function checkMarker(path: string): string {
  return `${path}.check`;
}

function checkIntegrity(db: DatabaseSync): void {
  const [first, ...more] = db.prepare('PRAGMA quick_check').all();
  if (first?.quick_check === 'ok' && more.length === 0) return;
  throw Object.assign(new Error('database disk image is malformed'), {
    code: 'ERR_SQLITE_ERROR',
    errcode: sqliteCorrupt,
    errstr: typeof first?.quick_check === 'string' ? first.quick_check : 'database disk image is malformed',
  });
}

function readVersion(db: DatabaseSync): number {
  return Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
}

/** node:sqlite's error: Node's code, SQLite's extended result code (`errcode`) and its words (`errstr`). */
function sqliteFields(error: unknown): { errcode: number; errstr?: string } | null {
  if (!(error instanceof Error) || !('code' in error) || error.code !== 'ERR_SQLITE_ERROR') return null;
  if (!('errcode' in error) || typeof error.errcode !== 'number') return null;
  return {
    errcode: error.errcode,
    ...('errstr' in error && typeof error.errstr === 'string' ? { errstr: error.errstr } : {}),
  };
}

function primaryCode(error: unknown): number | null {
  const fields = sqliteFields(error);
  return fields ? fields.errcode & 0xff : null;
}

function isBusy(error: unknown): boolean {
  const code = primaryCode(error);
  return code === sqliteBusy || code === sqliteLocked;
}

function isDamaged(error: unknown): boolean {
  const code = primaryCode(error);
  return code === sqliteCorrupt || code === sqliteNotADatabase;
}

/** SQLite's own words for the failure ("file is not a database"): never data from the file. */
function describeSqliteError(error: unknown): string {
  return sqliteFields(error)?.errstr ?? 'unreadable';
}

function moveAside(path: string, now: Date): string {
  const aside = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, aside);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  }
  return aside;
}

function damagedError(path: string, aside: string, label: string, reason: string): AppError {
  return {
    code: AppErrorCode.storeCorrupt,
    message: `The ${label} was damaged; it was set aside and an empty one was started.`,
    hint: `The damaged file is kept at ${aside}. Restore a backup if you need what it held.`,
    detail: { file: path, movedTo: aside, reasons: [reason] },
  };
}

/** A clear, typed error for what SQLite reported; errors of our own pass through unchanged. */
export function translateSqliteError(error: unknown, path: string, action: 'read' | 'write'): unknown {
  if (error instanceof AppFailure) return error;
  const code = primaryCode(error);
  if (code === null) return error;
  const name = basename(path);
  if (code === sqliteBusy || code === sqliteLocked) {
    return new AppFailure({
      code: AppErrorCode.storeLocked,
      message: `${name} stayed busy: another program kept writing to it for too long.`,
      hint: 'Try again in a moment; nothing was changed.',
      detail: { file: path },
    });
  }
  if (isDamaged(error)) {
    // Damage inside the file shows only when a page is read: the next open checks every page and sets it aside.
    writeFileSync(checkMarker(path), '', { mode: 0o600 });
    return new AppFailure({
      code: AppErrorCode.storeCorrupt,
      message: `${name} is damaged and cannot be ${action === 'read' ? 'read' : 'changed'}.`,
      hint: 'Restart the program: it checks the file, sets it aside if it is damaged and starts an empty one. Or restore a backup.',
      detail: { file: path, reasons: [describeSqliteError(error)] },
    });
  }
  return new AppFailure({
    code: AppErrorCode.storeIoFailed,
    message: `${name} could not be ${action === 'read' ? 'read' : 'saved'}.`,
    hint:
      code === sqliteFull
        ? 'The disk is full. Free some space and try again; nothing was changed.'
        : code === sqliteIoError
          ? 'Check the data folder and the disk, then try again; nothing was changed.'
          : 'Check that your account may write to the data folder, then try again.',
    detail: { file: path, sqlite: describeSqliteError(error) },
  });
}
