import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../common/errors/app-error';
import { acquireFileLock } from '../storage/file-lock';
import { removeRoute, writeRoute } from './routes-file';

// Remove route (the fleet's repair of a route to a domain without a connection), on real files.

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

async function tempFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'cu-routes-rm-')), 'we', 'routes.json');
}

describe('removeRoute', () => {
  it('takes out only that domain (any case), keeping other routes, unknown fields and the mode', async () => {
    const file = await tempFile();
    await writeRoute({ file, domain: 'keep.test', agentUrl: 'http://a:40002', connectionId: id(1) });
    const document = JSON.parse(await readFile(file, 'utf8'));
    document.engine = { owner: 'workflow engine' };
    document.routes['Gone.TEST'] = {
      agentUrl: 'http://b:40002',
      connectionId: id(2),
      updatedAt: 'x',
      hops: 2,
    };
    await writeFile(file, JSON.stringify(document));
    await chmod(file, 0o640);

    const result = await removeRoute({ file, domain: 'gone.test' });

    expect(result).toEqual({
      routesFile: file,
      domain: 'gone.test',
      removed: { agentUrl: 'http://b:40002', connectionId: id(2) },
      routeCount: 1,
    });
    const after = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(after.routes)).toEqual(['keep.test']);
    expect(after.engine).toEqual({ owner: 'workflow engine' });
    expect((await stat(file)).mode & 0o777).toBe(0o640);
  });

  it('a domain without a route, or an absent file, changes nothing and creates nothing', async () => {
    const file = await tempFile();
    expect(await removeRoute({ file, domain: 'none.test' })).toMatchObject({ removed: null, routeCount: 0 });
    expect(existsSync(file)).toBe(false);
    await writeRoute({ file, domain: 'keep.test', agentUrl: 'http://a:40002', connectionId: id(1) });
    const before = await readFile(file, 'utf8');
    expect(await removeRoute({ file, domain: 'none.test' })).toMatchObject({ removed: null, routeCount: 1 });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('onlyIf, asked under the lock, keeps a route that changed since the caller looked', async () => {
    const file = await tempFile();
    await writeRoute({ file, domain: 'moved.test', agentUrl: 'http://new:40002', connectionId: id(1) });
    const before = await readFile(file, 'utf8');
    const result = await removeRoute({
      file,
      domain: 'moved.test',
      onlyIf: (route) => route.agentUrl === 'http://old:40002',
    });
    expect(result.removed).toBeNull();
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('waits for another writer’s lock and says so when it does not end', async () => {
    const file = await tempFile();
    await writeRoute({ file, domain: 'busy.test', agentUrl: 'http://a:40002', connectionId: id(1) });
    const lock = await acquireFileLock(`${file}.lock`);
    try {
      const error = await removeRoute({ file, domain: 'busy.test', lockWaitMs: 200 }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(AppFailure);
      expect((error as AppFailure).appError.code).toBe('we.routesBusy');
    } finally {
      await lock.release();
    }
    expect(JSON.parse(await readFile(file, 'utf8')).routes['busy.test']).toBeDefined();
  });

  it('a file that is not a routes file is reported and left alone', async () => {
    const file = await tempFile();
    await writeRoute({ file, domain: 'x.test', agentUrl: 'http://a:40002', connectionId: id(1) });
    await writeFile(file, '{"not":"routes"}');
    const error = await removeRoute({ file, domain: 'x.test' }).catch((caught: unknown) => caught);
    expect((error as AppFailure).appError.code).toBe('we.routesInvalid');
    expect(await readFile(file, 'utf8')).toBe('{"not":"routes"}');
  });
});
