import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { type AppError, AppFailure } from '../../common/errors/app-error';
import { describeIssues } from '../../common/errors/describe-issues';
import { AppErrorCode } from '../../common/errors/error-codes';
import { acquireFileLock, type FileLock } from './file-lock';
import { writeFileAtomically } from './write-file-atomically';

/** Upgrades a document from version N (the key) to N + 1. */
export type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

export interface AtomicJsonFileOptions<T> {
  path: string;
  /** The current document version, written as the file's top-level "version" field. */
  version: number;
  schema: z.ZodType<T>;
  migrations?: Readonly<Record<number, Migration>>;
  empty: () => T;
  now?: () => Date;
  /** Validate the whole document before each write (default). Off only for callers that validate what they change. */
  validateWrites?: boolean;
}

export interface ReadOutcome<T> {
  value: T;
  /** Set when the file was unreadable: it was moved aside and an empty document returned. */
  recovered?: AppError;
}

/**
 * A schema-versioned JSON document that is never half-written: write a temp file in the same folder, fsync it,
 * rename it over the old one, fsync the folder. A file that fails to parse or validate is moved aside to
 * `<name>.corrupt-<timestamp>` and reported, never overwritten or deleted. Writers hold `<name>.lock`.
 */
export class AtomicJsonFile<T> {
  private constructor(
    private readonly options: AtomicJsonFileOptions<T>,
    private lock: FileLock | null,
  ) {}

  /** For the one process that writes. Fails with store.locked while another process writes. */
  static async openForWriting<T>(options: AtomicJsonFileOptions<T>): Promise<AtomicJsonFile<T>> {
    await mkdir(dirname(options.path), { recursive: true, mode: 0o700 });
    const lock = await acquireFileLock(`${options.path}.lock`);
    const file = new AtomicJsonFile(options, lock);
    await file.removeAbandonedTempFiles();
    return file;
  }

  /** For readers (CLI list/export): no lock, and a corrupt file is reported but left where it is. */
  static forReading<T>(options: AtomicJsonFileOptions<T>): AtomicJsonFile<T> {
    return new AtomicJsonFile(options, null);
  }

  get path(): string {
    return this.options.path;
  }

  async read(): Promise<ReadOutcome<T>> {
    const { path, empty } = this.options;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { value: empty() };
      throw ioFailure('read', path, error);
    }
    const parsed = this.decode(text);
    if (parsed.ok) return { value: parsed.value };
    if (parsed.tooNew) throw parsed.tooNew;
    if (!this.lock) throw new AppFailure(corruptError(path, null, parsed.reasons));
    const aside = await this.moveAside();
    return { value: empty(), recovered: corruptError(path, aside, parsed.reasons) };
  }

  async write(value: T): Promise<void> {
    const { path, version, schema } = this.options;
    if (!this.lock) {
      throw new AppFailure({
        code: AppErrorCode.storeReadOnly,
        message: 'This command opened the connection store read-only and cannot change it.',
      });
    }
    let data: T = value;
    if (this.options.validateWrites !== false) {
      const checked = schema.safeParse(value);
      if (!checked.success) {
        // A bug, not bad input: refuse to persist what the next read would treat as corrupt.
        throw new Error(
          `refusing to write an invalid ${basename(path)}: ${describeIssues(checked.error.issues)[0]}`,
        );
      }
      data = checked.data;
    }
    const body = `${JSON.stringify({ version, ...(data as object) })}\n`;
    try {
      await writeFileAtomically(path, body);
    } catch (error) {
      throw ioFailure('write', path, error);
    }
  }

  async close(): Promise<void> {
    await this.lock?.release();
    this.lock = null;
  }

  private decode(
    text: string,
  ): { ok: true; value: T } | { ok: false; reasons: string[]; tooNew?: AppFailure } {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return {
        ok: false,
        reasons: [`not JSON: ${error instanceof SyntaxError ? error.message : 'unreadable'}`],
      };
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return { ok: false, reasons: ['not a JSON object'] };
    let document = raw as Record<string, unknown>;
    const found = document.version;
    if (typeof found !== 'number' || !Number.isInteger(found) || found < 1) {
      return { ok: false, reasons: ['missing or invalid "version"'] };
    }
    if (found > this.options.version) {
      return {
        ok: false,
        reasons: [],
        tooNew: tooNewFailure(this.options.path, found, this.options.version),
      };
    }
    for (let from = found; from < this.options.version; from += 1) {
      const migrate = this.options.migrations?.[from];
      if (!migrate) return { ok: false, reasons: [`no migration from version ${from}`] };
      document = migrate(document);
    }
    const { version: _version, ...body } = document;
    const checked = this.options.schema.safeParse(body);
    return checked.success
      ? { ok: true, value: checked.data }
      : { ok: false, reasons: describeIssues(checked.error.issues) };
  }

  private async moveAside(): Promise<string> {
    const stamp = (this.options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const aside = `${this.options.path}.corrupt-${stamp}`;
    await rename(this.options.path, aside);
    return aside;
  }

  /** Temp files of a writer that crashed before its rename: never the document, safe to remove. */
  private async removeAbandonedTempFiles(): Promise<void> {
    const prefix = `.${basename(this.options.path)}.`;
    const folder = dirname(this.options.path);
    for (const name of await readdir(folder)) {
      if (name.startsWith(prefix) && name.endsWith('.tmp')) await unlink(join(folder, name)).catch(() => {});
    }
  }
}

function corruptError(path: string, aside: string | null, reasons: string[]): AppError {
  return {
    code: AppErrorCode.storeCorrupt,
    message: aside
      ? 'The connection store was damaged; it was set aside and an empty store was started.'
      : 'The connection store is damaged and cannot be read.',
    hint: aside
      ? `The damaged file is kept at ${aside}. Restore a backup or an export, or re-create the connections.`
      : 'Open Connection Utility to set the damaged file aside, or restore a backup.',
    detail: { file: path, ...(aside ? { movedTo: aside } : {}), reasons: reasons.slice(0, 5) },
  };
}

function tooNewFailure(path: string, found: number, supported: number): AppFailure {
  return new AppFailure({
    code: AppErrorCode.storeTooNew,
    message: 'The connection store was written by a newer version of Connection Utility.',
    hint: 'Install that version (or newer) to use these connections; this version will not change them.',
    detail: { file: path, version: found, supported },
  });
}

function ioFailure(action: 'read' | 'write', path: string, error: unknown): AppFailure {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
  const hint =
    code === 'ENOSPC'
      ? 'The disk is full. Free some space and try again; nothing was changed.'
      : code === 'EACCES' || code === 'EPERM'
        ? 'Check that your account may write to the data folder, then try again.'
        : 'Check the data folder and try again; nothing was changed.';
  return new AppFailure({
    code: AppErrorCode.storeIoFailed,
    message: `The connection store could not be ${action === 'read' ? 'read' : 'saved'}.`,
    hint,
    detail: { file: path, errno: code },
  });
}
