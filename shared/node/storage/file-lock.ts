import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { z } from 'zod';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';

/** What a lock file holds: who took it, for the message of whoever finds it taken. */
const LockOwnerSchema = z.object({ pid: z.number().int(), host: z.string(), since: z.string().catch('') });
type LockOwner = z.output<typeof LockOwnerSchema>;

export interface FileLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Paths this process holds: a second writer in the same process is refused like one in another process. */
const heldHere = new Set<string>();

/**
 * A single-writer lock beside a file: `<file>.lock`, created exclusively, naming its owner. A lock whose owner
 * is a dead process on this machine (a crash, SIGKILL) is stale and taken over; a live or remote owner wins.
 * `label` names the file in the store.locked error ("settings file"); by default, its file name.
 */
export async function acquireFileLock(
  lockPath: string,
  label = `file ${basename(lockPath).replace(/\.lock$/, '')}`,
): Promise<FileLock> {
  const locked = (owner: LockOwner | null) => lockedError(lockPath, label, owner);
  if (heldHere.has(lockPath)) throw locked({ pid: process.pid, host: hostname(), since: '' });
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  // Reserved before the file exists: a second writer of this process must never see our pid's lock unreserved.
  heldHere.add(lockPath);
  try {
    return await createLock(lockPath, me, locked);
  } catch (error) {
    heldHere.delete(lockPath);
    throw error;
  }
}

async function createLock(
  lockPath: string,
  me: LockOwner,
  locked: (owner: LockOwner | null) => AppFailure,
): Promise<FileLock> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await writeFile(lockPath, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      const releaseOnExit = () => releaseSync(lockPath);
      process.once('exit', releaseOnExit);
      return {
        path: lockPath,
        async release() {
          process.removeListener('exit', releaseOnExit);
          // Still marked held until the file is gone: otherwise another writer of this process would take our
          // pid's file for a stale one, and we would then delete its lock.
          try {
            if (ownedByMe(await readOwner(lockPath))) await unlink(lockPath).catch(() => {});
          } finally {
            heldHere.delete(lockPath);
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const seen = await readFile(lockPath, 'utf8').catch(() => null);
    // Released between our create and our read: try the create again.
    if (seen === null) continue;
    const owner = parseOwner(seen);
    if (owner && !isStale(owner)) throw locked(owner);
    // Unreadable and fresh: its owner created it and is still writing its name into it.
    if (!owner && (await ageMs(lockPath)) < unreadableGraceMs) throw locked(null);
    // Stale, or unreadable for long (the owner died while writing it): move it aside, then retry the create.
    const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    if (
      !(await rename(lockPath, aside).then(
        () => true,
        () => false,
      ))
    )
      continue;
    const moved = await readFile(aside, 'utf8').catch(() => null);
    if (moved !== seen) {
      // Another writer replaced the stale lock after we looked, and we moved its live one: give it back.
      await link(aside, lockPath).catch(() => {});
      await unlink(aside).catch(() => {});
      throw locked(parseOwner(moved ?? ''));
    }
    await unlink(aside).catch(() => {});
  }
  throw locked(null);
}

/** How long an empty lock file may be the moment between its exclusive create and its owner's write. */
const unreadableGraceMs = 2000;

async function ageMs(lockPath: string): Promise<number> {
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | null> {
  return parseOwner(await readFile(lockPath, 'utf8').catch(() => ''));
}

function parseOwner(text: string): LockOwner | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const owner = LockOwnerSchema.safeParse(json);
  return owner.success ? owner.data : null;
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
    if (ownedByMe(parseOwner(readFileSync(lockPath, 'utf8')))) unlinkSync(lockPath);
  } catch {
    // Already gone.
  }
}

function lockedError(lockPath: string, label: string, owner: LockOwner | null): AppFailure {
  const who = owner ? `process ${owner.pid} on ${owner.host}` : 'another process';
  return new AppFailure({
    code: AppErrorCode.storeLocked,
    message: `The ${label} is in use by ${who}.`,
    hint: 'Wait for that program to finish, or close it, and try again.',
    detail: { lockFile: lockPath, ...(owner ? { pid: owner.pid, host: owner.host } : {}) },
  });
}
