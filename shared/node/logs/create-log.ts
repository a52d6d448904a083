import { type DestinationStream, type LogFn, type Logger, pino } from 'pino';
import { loggableFields } from './log-fields';
import { redact } from './redact';
import { type LogDestination, openRotatingFile, type RotatingFileOptions } from './rotating-file';

/**
 * What callers get: the levels they write at, and flush. Not child or setBindings: pino writes a child's
 * bindings past the formatter, so a binding would skip the allow-list.
 */
export type AppLog = Pick<Logger, 'info' | 'warn' | 'error' | 'flush'>;

export interface LogOptions {
  /** Rotated JSON-lines files; without it the entries go only to `alsoTo`. */
  file?: RotatingFileOptions;
  /** Streams that get the same lines: the agent's stderr, a test's sink. */
  alsoTo?: DestinationStream[];
  now?: () => Date;
}

/**
 * A merge object with pino's error key, `err`, renamed to `error`. Given `{ err }` and no message, pino writes
 * `err.message` as the entry's msg itself, after every hook and formatter: the raw message, secrets and all.
 * Under `error` the allow-list reduces it to its name and a redacted message. If both are given, `error` wins.
 */
function withoutErrKey(fields: object): object {
  if (!Object.hasOwn(fields, 'err')) return fields;
  const { err, ...others } = fields as { err: unknown };
  return Object.hasOwn(others, 'error') ? others : { ...others, error: err };
}

/** The arguments of a log call with every string redacted, and a bare error moved under `error`. */
function safeArguments(args: Parameters<LogFn>): Parameters<LogFn> {
  const [first, ...rest] = args as unknown[];
  // pino would keep a bare error's message as msg and its stack under err, unredacted; as a field, the
  // allow-list reduces it to its name and a redacted message.
  const head =
    first instanceof Error
      ? { error: first }
      : typeof first === 'string'
        ? redact(first)
        : typeof first === 'object' && first !== null
          ? withoutErrKey(first)
          : first;
  return [head, ...rest.map((arg) => redact(arg))] as Parameters<LogFn>;
}

/**
 * The one logger of the app's main process and the Remote Agent: pino JSON lines with an ISO time, only the
 * allow-listed fields of log-fields.ts (any other dropped and named), every string redacted, the message too.
 * If the file cannot be opened the entries still go to the other streams (or stderr), and the process starts.
 */
export async function createLog(options: LogOptions): Promise<AppLog> {
  const streams: DestinationStream[] = [...(options.alsoTo ?? [])];
  let file: LogDestination | undefined;
  if (options.file) {
    try {
      file = await openRotatingFile(options.file);
      streams.push(file);
    } catch {
      // Reported below, once a logger exists to say it; with nowhere else to write, stderr takes the entries.
      if (streams.length === 0) streams.push(pino.destination({ dest: 2, sync: true }));
    }
  }
  const now = options.now ?? (() => new Date());
  const destination =
    streams.length === 1 && streams[0] ? streams[0] : pino.multistream(streams.map((stream) => ({ stream })));
  const log = pino(
    {
      level: 'info',
      base: { pid: process.pid },
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { log: (object) => loggableFields(object) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, safeArguments(args));
        },
      },
    },
    destination,
  );
  if (options.file && !file) log.warn(`the log folder ${options.file.dir} cannot be written`);
  return log;
}
