/// <reference path="./pino-roll.d.ts" />
import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import pinoRoll from 'pino-roll';

export interface RotatingFileOptions {
  dir: string;
  /** Files are `<name>.<n>.log`; the highest n is the one being written. */
  name: string;
  /** A file ends with the first entry that brings it to this size. */
  maxBytes?: number;
  /** Files kept besides the one being written; older ones are deleted, whichever process wrote them. */
  keep?: number;
}

export const defaultMaxBytes = 1024 * 1024;
export const defaultKeep = 4;

/** A log destination that also knows how to push out anything it still holds (nothing, when writes are sync). */
export type LogDestination = DestinationStream & { flushSync(): void };

/** `<name>.<n>.log`: one of this log's files, not another file someone keeps in the folder. */
const isOwnFile = (name: string, entry: string) =>
  entry.startsWith(`${name}.`) && /^\d+\.log$/.test(entry.slice(name.length + 1));

/**
 * `<name>.log` and `<name>.log.<n>`: the files of the hand-made logger before pino (main.log, main.log.1 …).
 * pino-roll neither writes nor rotates them, so they would stay forever.
 */
const isFileOfOldLogger = (name: string, entry: string) =>
  entry === `${name}.log` ||
  (entry.startsWith(`${name}.log.`) && /^\d+$/.test(entry.slice(`${name}.log.`.length)));

/**
 * JSON-lines files rotated by pino-roll: by size, a bounded number kept, each created 0600 in a 0700 folder.
 * Writes are synchronous, in this thread: an entry is on disk when the log call returns, so an exit, a
 * SIGTERM or a crash right after it loses nothing, and the packaged agent (one bundled file, no node_modules)
 * needs no transport worker to resolve.
 */
export async function openRotatingFile(options: RotatingFileOptions): Promise<LogDestination> {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const entries = readdirSync(options.dir);
  // The old logger's files may still hold old entries, written under older redaction rules: deleted, not kept
  // beside the new ones.
  for (const file of entries.filter((entry) => isFileOfOldLogger(options.name, entry))) {
    try {
      rmSync(join(options.dir, file), { force: true });
    } catch {
      // One that cannot be deleted stays; the log itself still works.
    }
  }
  // A folder and files an older version (or a wider umask) left readable by others are narrowed before more is
  // added: mkdir's mode applies only to a folder it creates.
  if (process.platform !== 'win32') {
    chmodSync(options.dir, 0o700);
    for (const file of entries.filter((entry) => isOwnFile(options.name, entry)))
      chmodSync(join(options.dir, file), 0o600);
  }
  const stream = await pinoRoll({
    file: join(options.dir, options.name),
    extension: 'log',
    size: `${options.maxBytes ?? defaultMaxBytes}b`,
    // With removeOtherLogFiles, count is every file including the current one.
    limit: { count: (options.keep ?? defaultKeep) + 1, removeOtherLogFiles: true },
    sync: true,
    mode: 0o600,
  });
  // A full disk or a file deleted under us must not take the process down with it: the log is a convenience.
  stream.on('error', () => {});
  return {
    write(line: string) {
      try {
        stream.write(line);
        // pino-roll rolls on the stream's next 'drain', which a sync stream emits only on the next tick: a burst
        // of entries in one tick would all land in one file. Draining now rolls before the next entry.
        if (stream.listenerCount('drain') > 0) stream.emit('drain');
      } catch {
        // Destroyed (the process is exiting) or unwritable: the entry is lost, the caller goes on.
      }
    },
    flushSync() {
      try {
        stream.flushSync();
      } catch {
        // Nothing was opened, or the stream is gone; there is nothing left to push.
      }
    },
  };
}
