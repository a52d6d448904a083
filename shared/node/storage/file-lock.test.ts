import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireFileLock } from './file-lock';

const lockIn = async () => join(await mkdtemp(join(tmpdir(), 'cu-lock-')), 'file.lock');

describe('acquireFileLock', () => {
  it('lets exactly one of many simultaneous acquisitions in one process win', async () => {
    const path = await lockIn();
    for (let round = 0; round < 50; round += 1) {
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => acquireFileLock(path)));
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      expect(won).toHaveLength(1);
      await won[0]?.value.release();
    }
  });

  it('does not take a lock whose owner is still writing its name into it', async () => {
    const path = await lockIn();
    await writeFile(path, '');
    await expect(acquireFileLock(path)).rejects.toMatchObject({ appError: { code: 'store.locked' } });
  });

  it('takes over the lock of a process that no longer exists', async () => {
    const path = await lockIn();
    const { hostname } = await import('node:os');
    // Pid 2^22 + 1 is above Linux's pid_max default, so no process has it.
    await writeFile(path, JSON.stringify({ pid: 4_194_305, host: hostname(), since: '' }));
    const lock = await acquireFileLock(path);
    await lock.release();
  });

  it('names the file it guards and the process that holds it, never "the connection store"', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'cu-lock-')), 'routes.json.lock');
    // Our parent (the test runner) is alive on this machine: its lock is not stale.
    await writeFile(path, JSON.stringify({ pid: process.ppid, host: hostname(), since: '' }));
    await expect(acquireFileLock(path)).rejects.toMatchObject({
      appError: {
        code: 'store.locked',
        message: `The file routes.json is in use by process ${process.ppid} on ${hostname()}.`,
        detail: { lockFile: path, pid: process.ppid, host: hostname() },
      },
    });
    await expect(acquireFileLock(path, 'Workflow Engine routes file')).rejects.toMatchObject({
      appError: {
        message: expect.stringMatching(/^The Workflow Engine routes file is in use by process \d+/),
      },
    });
  });
});
