import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { type AppError, AppFailure } from '../../common/errors/app-error';
import { describeIssues } from '../../common/errors/describe-issues';
import { AppErrorCode } from '../../common/errors/error-codes';
import { acquireFileLock, type FileLock } from './file-lock';
import { integrityTag, sameTag } from './integrity';
import { writeFileAtomically } from './write-file-atomically';

/** Upgrades a document from version N (the key) to N + 1. */
export type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

export interface AtomicJsonFileOptions<T> {
  path: string;
  /** What the file holds, for messages ("settings", "Remote Agent store"); by default "file <its name>". */
  label?: string;
  /** The current document version, written as the file's top-level "version" field. */
  version: number;
  schema: z.ZodType<T>;
  migrations?: Readonly<Record<number, Migration>>;
  empty: () => T;
  now?: () => Date;
  /** Validate the whole document before each write (default). Off only for callers that validate what they change. */
  validateWrites?: boolean;
  /**
   * Lets reads trust a document this program validated when writing it (see integrity.ts), instead of validating
   * every record again. `keyFor` returns the document's data key, or null when there is none or it cannot be
   * opened here; `context` names the schema (a new version revalidates once).
   */
  integrity?: { keyFor(document: Record<string, unknown>): Promise<Buffer | null>; context: string };
}

/** `{"version":N,"integrity":"<64 hex>",` — written first so the tag covers everything after it. */
const integrityPrefix = /^\{"version":(\d+),"integrity":"([0-9a-f]{64})",/;

export interface ReadOutcome<T> {
  value: T;
  /** Set when the file was unreadable: it was moved aside and an empty document returned. */
  recovered?: AppError;
  /** Set when the integrity tag proved this program wrote the document (so it was not re-validated). */
  attested?: true;
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
    const lock = await acquireFileLock(`${options.path}.lock`, labelOf(options));
    const file = new AtomicJsonFile(options, lock);
    await file.removeAbandonedTempFiles();
    return file;
  }

  /** Opens for writing, runs `work`, and closes (releasing the lock) whatever `work` did. */
  static async withWriter<T, R>(
    options: AtomicJsonFileOptions<T>,
    work: (file: AtomicJsonFile<T>) => Promise<R>,
  ): Promise<R> {
    const file = await AtomicJsonFile.openForWriting(options);
    try {
      return await work(file);
    } finally {
      await file.close();
    }
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
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { value: empty() };
      throw ioFailure('read', this.options, error);
    }
    const text = bytes.toString('utf8');
    // Parsed once, for the integrity check and, when that does not vouch for it, for full validation.
    let raw: unknown;
    let parsed: ReturnType<AtomicJsonFile<T>['decode']>;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
      // Not V8's message: it quotes the file, and the reasons travel to the window.
      parsed = { ok: false, reasons: ['not JSON'] };
    }
    const trusted = raw === undefined ? null : await this.attested(text, bytes, raw);
    if (trusted) return { value: trusted, attested: true };
    parsed ??= this.decode(raw);
    if (parsed.ok) return { value: parsed.value };
    if (parsed.tooNew) throw parsed.tooNew;
    if (!this.lock) throw new AppFailure(corruptError(this.options, null, parsed.reasons));
    const aside = await this.moveAside();
    return { value: empty(), recovered: corruptError(this.options, aside, parsed.reasons) };
  }

  async write(value: T): Promise<void> {
    const { path, schema } = this.options;
    if (!this.lock) {
      throw new AppFailure({
        code: AppErrorCode.storeReadOnly,
        message: `This command opened the ${labelOf(this.options)} read-only and cannot change it.`,
        detail: { file: path },
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
    const body = await this.encode(data);
    try {
      await writeFileAtomically(path, body);
    } catch (error) {
      throw ioFailure('write', this.options, error);
    }
  }

  private async encode(data: T): Promise<string | Buffer[]> {
    const { version, integrity } = this.options;
    const key = integrity ? await integrity.keyFor(data as Record<string, unknown>).catch(() => null) : null;
    if (!key || !integrity) return `${JSON.stringify({ version, ...(data as object) })}\n`;
    // As bytes, once: tagged and written without another copy of a multi-megabyte string.
    const rest = Buffer.from(JSON.stringify(data), 'utf8');
    if (rest.length <= 2) return `${JSON.stringify({ version, ...(data as object) })}\n`;
    const tag = integrityTag(key, this.integrityContext(), [rest]);
    return [Buffer.from(`{"version":${version},"integrity":"${tag}",`), rest.subarray(1), Buffer.from('\n')];
  }

  /** The document, when its integrity tag proves this program validated it on write; else null. */
  private async attested(text: string, bytes: Buffer, raw: unknown): Promise<T | null> {
    const { integrity, version } = this.options;
    const prefix = integrity ? integrityPrefix.exec(text) : null;
    if (!integrity || !prefix || Number(prefix[1]) !== version) return null;
    // The prefix matched, so the text is a JSON object.
    const document = raw as Record<string, unknown>;
    const key = await integrity.keyFor(document).catch(() => null);
    // The bytes after the (ASCII) prefix, without the final newline: what the writer tagged, behind a "{".
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d || bytes[end - 1] === 0x20))
      end -= 1;
    const rest = bytes.subarray(prefix[0].length, end);
    if (!key || !sameTag(integrityTag(key, this.integrityContext(), ['{', rest]), prefix[2] ?? ''))
      return null;
    const { version: _version, integrity: _tag, ...body } = document;
    return body as T;
  }

  private integrityContext(): string {
    return `${basename(this.options.path)}|v${this.options.version}|${this.options.integrity?.context ?? ''}`;
  }

  async close(): Promise<void> {
    await this.lock?.release();
    this.lock = null;
  }

  private decode(
    raw: unknown,
  ): { ok: true; value: T } | { ok: false; reasons: string[]; tooNew?: AppFailure } {
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
        tooNew: tooNewFailure(this.options, found),
      };
    }
    for (let from = found; from < this.options.version; from += 1) {
      const migrate = this.options.migrations?.[from];
      if (!migrate) return { ok: false, reasons: [`no migration from version ${from}`] };
      document = migrate(document);
    }
    // A tag that did not verify (edited by hand, another program, another version): validate everything.
    const { version: _version, integrity: _integrity, ...body } = document;
    const checked = this.options.schema.safeParse(body);
    return checked.success
      ? { ok: true, value: checked.data }
      : { ok: false, reasons: describeFileIssues(checked.error.issues) };
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

/**
 * Paths and zod's own messages, as for requests, except the names of unknown fields: those come from the file.
 * (The schemas stored this way have no records, so every other path segment is a name the schema defines.)
 */
function describeFileIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return describeIssues(
    issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? { ...issue, message: `${issue.keys.length} unknown field(s)` }
        : issue,
    ),
  );
}

/** Which file a message is about: its path, and what it holds. */
type NamedFile = Pick<AtomicJsonFileOptions<unknown>, 'path' | 'label'>;

function labelOf({ label, path }: NamedFile): string {
  return label ?? `file ${basename(path)}`;
}

function corruptError(options: NamedFile, aside: string | null, reasons: string[]): AppError {
  const label = labelOf(options);
  return {
    code: AppErrorCode.storeCorrupt,
    message: aside
      ? `The ${label} was damaged; it was set aside and an empty one was started.`
      : `The ${label} is damaged and cannot be read.`,
    hint: aside
      ? `The damaged file is kept at ${aside}. Restore a backup if you need what it held.`
      : 'Restore a backup, or open it once with the program that writes it: that sets it aside and starts an empty one.',
    detail: { file: options.path, ...(aside ? { movedTo: aside } : {}), reasons: reasons.slice(0, 5) },
  };
}

function tooNewFailure(options: NamedFile & { version: number }, found: number): AppFailure {
  return new AppFailure({
    code: AppErrorCode.storeTooNew,
    message: `The ${labelOf(options)} was written by a newer version of Connection Utility.`,
    hint: 'Install that version (or newer) to use it; this version will not change it.',
    detail: { file: options.path, version: found, supported: options.version },
  });
}

function ioFailure(action: 'read' | 'write', options: NamedFile, error: unknown): AppFailure {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
  const hint =
    code === 'ENOSPC'
      ? 'The disk is full. Free some space and try again; nothing was changed.'
      : code === 'EACCES' || code === 'EPERM'
        ? 'Check that your account may write to the data folder, then try again.'
        : 'Check the data folder and try again; nothing was changed.';
  return new AppFailure({
    code: AppErrorCode.storeIoFailed,
    message: `The ${labelOf(options)} could not be ${action === 'read' ? 'read' : 'saved'}.`,
    hint,
    detail: { file: options.path, errno: code },
  });
}
