import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export interface FileLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Paths this process holds: a second writer in the same process is refused like one in another process. */
const heldHere = new Set<string>();

/**
 * A single-writer lock beside a file: `<file>.lock`, created exclusively, naming its owner. A lock whose owner
 * is a dead process on this machine (a crash, SIGKILL) is stale and taken over; a live or remote owner wins.
 */
export async function acquireFileLock(lockPath: string): Promise<FileLock> {
  if (heldHere.has(lockPath)) throw lockedError(lockPath, { pid: process.pid, host: hostname(), since: '' });
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await writeFile(lockPath, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      heldHere.add(lockPath);
      const releaseOnExit = () => releaseSync(lockPath);
      process.once('exit', releaseOnExit);
      return {
        path: lockPath,
        async release() {
          process.removeListener('exit', releaseOnExit);
          heldHere.delete(lockPath);
          if (ownedByMe(await readOwner(lockPath))) await unlink(lockPath).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(lockPath);
    if (owner && !isStale(owner)) throw lockedError(lockPath, owner);
    // Stale or unreadable (the owner died while writing it): move it aside atomically, then retry the create.
    await rename(lockPath, `${lockPath}.stale-${process.pid}`).catch(() => {});
    await unlink(`${lockPath}.stale-${process.pid}`).catch(() => {});
  }
  throw lockedError(lockPath, null);
}

async function readOwner(lockPath: string): Promise<LockOwner | null> {
  try {
    const value = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.host === 'string'
      ? { pid: value.pid, host: value.host, since: String(value.since ?? '') }
      : null;
  } catch {
    return null;
  }
}

function ownedByMe(owner: LockOwner | null): boolean {
  return owner?.pid === process.pid && owner.host === hostname();
}

function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  // Our own pid but not held here (checked on entry): left by an earlier process that had the same pid.
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive but someone else's process; only ESRCH proves it is gone.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function releaseSync(lockPath: string): void {
  try {
    const owner = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
    if (owner.pid === process.pid) unlinkSync(lockPath);
  } catch {
    // Already gone.
  }
}

function lockedError(lockPath: string, owner: LockOwner | null): AppFailure {
  const who = owner ? `process ${owner.pid} on ${owner.host}` : 'another process';
  return new AppFailure({
    code: AppErrorCode.storeLocked,
    message: `The connection store is in use by ${who}.`,
    hint: 'Close the other Connection Utility window or command and try again.',
    detail: { lockFile: lockPath, ...(owner ? { pid: owner.pid, host: owner.host } : {}) },
  });
}
