import { secretKey } from '../../common/secret-names';
import { redact } from './redact';

/**
 * The facts the app and the Remote Agent log, by field name. An allow-list rather than a block-list: a field that
 * is not here (a request, a record, an error's extra properties, a secret under a name nobody thought of) is
 * dropped, and only its name is kept so the gap shows in the log (see listableName).
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

/**
 * Whether a dropped field's name may be written. A computed key can be anything, a secret too: only a short
 * identifier that does not name a secret is listed; any other name is only counted.
 */
const listableName = (name: string) => /^[A-Za-z_][A-Za-z0-9_]{0,30}$/.test(name) && !secretKey.test(name);

/** Names listed under `dropped` at most; the others are counted under `droppedUnlisted`. */
const maxListed = 20;

/**
 * The allow-listed fields of a log entry, string values redacted. `dropped` names the fields left out whose names
 * are fit to write, `droppedUnlisted` counts the others.
 */
export function loggableFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  let unlisted = 0;
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    // create-log.ts moves pino's own name for an error, err, here before pino sees it.
    if (name === 'error') kept.error = errorFacts(value);
    else if (loggedFields.has(name) && isFact(value)) kept[name] = redact(value);
    else if (listableName(name) && dropped.length < maxListed) dropped.push(name);
    else unlisted += 1;
  }
  if (dropped.length > 0) kept.dropped = dropped;
  if (unlisted > 0) kept.droppedUnlisted = unlisted;
  return kept;
}
