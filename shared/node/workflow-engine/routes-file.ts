import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AppError, AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import {
  type Route,
  type RoutesFile,
  RoutesFileSchema,
  routesFileVersion,
  type WeRegisterResult,
} from '../../common/workflow-engine/routes';
import { acquireFileLock, type FileLock } from '../storage/file-lock';
import { writeFileAtomically } from '../storage/write-file-atomically';

export interface WriteRouteInput {
  file: string;
  domain: string;
  agentUrl: string;
  connectionId: string;
  now?: () => Date;
  /** How long to wait for another writer of the file (the Workflow Engine, another window) to finish. */
  lockWaitMs?: number;
}

/**
 * Sets one domain's route in the Workflow Engine's routes file and leaves everything else as it was: other
 * routes, fields we do not know, the file's mode. The file belongs to the Workflow Engine, so a file we cannot
 * read is reported and left alone, never replaced.
 */
export async function writeRoute(input: WriteRouteInput): Promise<WeRegisterResult> {
  const { file, domain } = input;
  await mkdir(dirname(file), { recursive: true }).catch((error: unknown) => {
    throw ioFailure(file, error);
  });
  const lock = await waitForLock(file, input.lockWaitMs ?? 5000);
  try {
    const { document, mode } = await readRoutes(file);
    const old = document.routes[domain];
    const updatedAt = (input.now?.() ?? new Date()).toISOString();
    const route = { agentUrl: input.agentUrl, connectionId: input.connectionId, updatedAt };
    const next: RoutesFile = { ...document, routes: { ...document.routes, [domain]: { ...old, ...route } } };
    try {
      await writeFileAtomically(file, `${JSON.stringify(next, null, 2)}\n`, mode);
    } catch (error) {
      throw ioFailure(file, error);
    }
    return {
      routesFile: file,
      domain,
      route,
      previous: old ? { agentUrl: old.agentUrl, connectionId: old.connectionId } : null,
      routeCount: Object.keys(next.routes).length,
    };
  } finally {
    await lock.release();
  }
}

export interface RemoveRouteInput {
  file: string;
  domain: string;
  /**
   * Asked under the lock with the route as it is then: false leaves it (someone changed it since the caller
   * looked). Absent: the domain's route goes, whatever it says.
   */
  onlyIf?: (route: Route) => boolean;
  lockWaitMs?: number;
}

export interface RemoveRouteResult {
  routesFile: string;
  domain: string;
  /** The route taken out; null when the file had none for the domain (or onlyIf kept it), and nothing was written. */
  removed: { agentUrl: string; connectionId: string } | null;
  routeCount: number;
}

/**
 * Takes one domain's route out of the routes file (any spelling of the domain's case) and leaves everything
 * else as it was, with the same lock, atomic write and mode as writeRoute. An absent file stays absent.
 */
export async function removeRoute(input: RemoveRouteInput): Promise<RemoveRouteResult> {
  const { file } = input;
  const domain = input.domain.toLowerCase();
  const holds = (routes: RoutesFile['routes']) =>
    Object.keys(routes).some((key) => key.toLowerCase() === domain);
  // Nothing to take out (the file or its folder may not even exist): no lock, no write.
  const before = (await readRoutes(file)).document.routes;
  if (!holds(before)) {
    return { routesFile: file, domain, removed: null, routeCount: Object.keys(before).length };
  }
  const lock = await waitForLock(file, input.lockWaitMs ?? 5000);
  try {
    const { document, mode } = await readRoutes(file);
    const keys = Object.keys(document.routes).filter((key) => key.toLowerCase() === domain);
    const [first] = keys;
    const route = first === undefined ? undefined : document.routes[first];
    const count = Object.keys(document.routes).length;
    if (!route || (input.onlyIf && !keys.every((key) => input.onlyIf?.(document.routes[key] as Route)))) {
      return { routesFile: file, domain, removed: null, routeCount: count };
    }
    const routes = Object.fromEntries(
      Object.entries(document.routes).filter(([key]) => key.toLowerCase() !== domain),
    );
    try {
      await writeFileAtomically(file, `${JSON.stringify({ ...document, routes }, null, 2)}\n`, mode);
    } catch (error) {
      throw ioFailure(file, error);
    }
    return {
      routesFile: file,
      domain,
      removed: { agentUrl: route.agentUrl, connectionId: route.connectionId },
      routeCount: Object.keys(routes).length,
    };
  } finally {
    await lock.release();
  }
}

/** The routes file as it is now; an absent file has no routes. */
export async function readRoutes(file: string): Promise<{ document: RoutesFile; mode: number }> {
  let text: string;
  let mode = 0o644;
  try {
    text = await readFile(file, 'utf8');
    mode = (await stat(file)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { document: { version: routesFileVersion, routes: {} }, mode };
    }
    throw ioFailure(file, error);
  }
  const checked = parseRoutes(text);
  if (typeof checked === 'string') throw invalid(file, checked);
  return { document: checked, mode };
}

/**
 * The document, or why it is not one in words of our own. The file may be anything the admin's account can read
 * (a credentials file chosen by mistake), so no reason quotes it: not V8's parse message, not a key from it.
 */
function parseRoutes(text: string): RoutesFile | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not a JSON object';
  const { version, routes } = raw as { version?: unknown; routes?: unknown };
  if (typeof version === 'number' && version > routesFileVersion) {
    return `written for a newer routes file version than this utility writes (${routesFileVersion})`;
  }
  if (
    version !== routesFileVersion ||
    typeof routes !== 'object' ||
    routes === null ||
    Array.isArray(routes)
  ) {
    return 'not a routes file (version or routes missing)';
  }
  const checked = RoutesFileSchema.safeParse(raw);
  return checked.success ? checked.data : 'a route is not { agentUrl, connectionId, updatedAt }';
}

async function waitForLock(file: string, waitMs: number): Promise<FileLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await acquireFileLock(`${file}.lock`);
    } catch (error) {
      const busy = error instanceof AppFailure && error.appError.code === AppErrorCode.storeLocked;
      if (!busy) throw ioFailure(file, error);
      if (Date.now() >= deadline) {
        throw new AppFailure({
          code: AppErrorCode.weRoutesBusy,
          message: 'Another program is writing the Workflow Engine routes file.',
          hint: 'Try again in a moment. If this persists, check for a stale lock file.',
          detail: { file, lockFile: `${file}.lock`, waitedMs: waitMs },
        });
      }
      await sleep(25 + Math.random() * 50);
    }
  }
}

function invalid(file: string, reason: string): AppFailure {
  const error: AppError = {
    code: AppErrorCode.weRoutesInvalid,
    message: 'The Workflow Engine routes file cannot be read, so it was left unchanged.',
    hint: `Repair ${file} (expected { "version": 1, "routes": { … } }) or choose another file in Settings.`,
    detail: { file, reasons: [reason] },
  };
  return new AppFailure(error);
}

function ioFailure(file: string, error: unknown): AppFailure {
  const errno = (error as NodeJS.ErrnoException).code ?? 'unknown';
  return new AppFailure({
    code: AppErrorCode.weRoutesIoFailed,
    message: 'The Workflow Engine routes file could not be written.',
    hint:
      errno === 'EACCES' || errno === 'EPERM'
        ? 'Your account may not write there: run as a user who may, or choose another file in Settings.'
        : errno === 'ENOSPC'
          ? 'The disk is full. Free some space and try again; nothing was changed.'
          : 'Check the path in Settings and try again; nothing was changed.',
    detail: { file, errno },
  });
}
