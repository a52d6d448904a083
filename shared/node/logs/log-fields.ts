import { redact } from './redact';

/**
 * The facts the app and the Remote Agent log, by field name. An allow-list rather than a block-list: a field that
 * is not here (a request, a record, an error's extra properties, a secret under a name nobody thought of) is
 * dropped, and only its name is kept so the gap shows in the log.
 */
const loggedFields = new Set([
  // The router's trace of each IPC call, and unexpected errors (electron/main.ts).
  'channel',
  'outcome',
  'handlerCalled',
  'errorCode',
  'ms',
  'errorId',
  // Start-up (electron/main.ts).
  'version',
  'electron',
  'backend',
  // The Remote Agent (remote-agent/server.ts, remote-agent/main.ts).
  'method',
  'url',
  'status',
  'code',
  'dataDir',
]);

type Fact = string | number | boolean | null;

const isFact = (value: unknown): value is Fact =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** A field name fit to write; a computed key could be anything. */
const plainName = (name: string) => (/^[A-Za-z][\w.-]{0,39}$/.test(name) ? name : '?');

/** An error as its class and redacted message: never its stack, cause or other properties (AppError detail…). */
function errorFacts(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: plainName(error.name), message: String(redact(error.message)) };
  return { name: 'non-error', message: typeof error === 'string' ? String(redact(error)) : typeof error };
}

/** The allow-listed fields of a log entry, string values redacted; `dropped` names the fields left out. */
export function loggableFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    // pino's own name for an error field is err; both are kept the same way.
    if (name === 'error' || name === 'err') kept.error = errorFacts(value);
    else if (loggedFields.has(name) && isFact(value)) kept[name] = redact(value);
    else dropped.push(plainName(name));
  }
  if (dropped.length > 0) kept.dropped = dropped.slice(0, 20);
  return kept;
}
