import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loggableFields } from './log-fields';
import { redact } from './redact';

export interface RotatingLogOptions {
  dir: string;
  name?: string;
  /** The size at which the current file is rotated. */
  maxBytes?: number;
  /** Rotated files kept beside the current one: name.1 (newest) … name.N. */
  keep?: number;
  now?: () => Date;
}

export type LogLevel = 'info' | 'warn' | 'error';

/**
 * JSON-lines log files with a size cap: `main.log`, then `main.log.1` … `main.log.<keep>`, the oldest dropped.
 * Only allow-listed fields are written (log-fields.ts), their strings redacted; files are created 0600. Synchronous: a few lines per action,
 * and an entry written just before a crash is the one that matters.
 */
export class RotatingLog {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private size: number;

  constructor(private readonly options: RotatingLogOptions) {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    this.path = join(options.dir, options.name ?? 'main.log');
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.keep = options.keep ?? 4;
    this.size = existsSync(this.path) ? statSync(this.path).size : 0;
  }

  write(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    const time = (this.options.now?.() ?? new Date()).toISOString();
    const entry = { time, level, msg: redact(msg), ...loggableFields(fields) };
    const line = `${JSON.stringify(entry)}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    try {
      appendFileSync(this.path, line, { mode: 0o600 });
      this.size += bytes;
    } catch {
      // A full disk must not take the app down with it; the log is a convenience.
    }
  }

  private rotate(): void {
    rmSync(`${this.path}.${this.keep}`, { force: true });
    for (let n = this.keep - 1; n >= 1; n -= 1) {
      if (existsSync(`${this.path}.${n}`)) renameSync(`${this.path}.${n}`, `${this.path}.${n + 1}`);
    }
    if (existsSync(this.path)) renameSync(this.path, `${this.path}.1`);
    this.size = 0;
  }
}
