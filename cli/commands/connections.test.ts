import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionsListResponseSchema } from '../../shared/common/connections/requests';
import { ConnectionsExportSchema, ImportReportSchema } from '../../shared/common/connections/transfer';
import { createHandlers } from '../../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../../shared/node/ipc/node-host-dependencies';
import { createRouter } from '../../shared/node/ipc/router';
import { runCliInProcess } from '../run-cli-in-process';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function cli(userDataDir: string) {
  const deps = nodeHostDependencies({ host: 'cli', userDataDir });
  closers.push(() => deps.connectionStores.close());
  const router = createRouter(createHandlers(deps));
  return (...argv: string[]) => runCliInProcess(router, argv);
}

/** The window's side: the router the development host runs, keeping the store open between calls. */
function appRouter(userDataDir: string) {
  const deps = nodeHostDependencies({ host: 'devHost', userDataDir });
  closers.push(() => deps.connectionStores.close());
  return createRouter(createHandlers(deps));
}

const root = resolve(import.meta.dirname, '../..');

/** The CLI as `npm run cli` runs it (the bundle, built if stale), in a process of its own, on `userDataDir`. */
function cliProcess(userDataDir: string, ...argv: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    execFile(
      process.execPath,
      [join(root, 'cli/bin.mjs'), ...argv],
      { cwd: root, env: { ...process.env, CU_USER_DATA: userDataDir } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') fail(error);
        else done({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

const exportFile = (connections: unknown[]) => {
  const path = join(mkdtempSync(join(tmpdir(), 'cu-cli-file-')), 'export.json');
  writeFileSync(
    path,
    JSON.stringify({
      format: 'connection-utility/connections',
      version: 1,
      exportedAt: '2026-11-26T08:00:00Z',
      connections,
    }),
  );
  return path;
};

const adEntry = {
  kind: 'activeDirectory',
  id: '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a11',
  name: 'Contoso AD',
  domain: 'contoso.com',
  targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }],
  bindUser: 'CONTOSO\\svc-idm',
  createdAt: '2026-11-26T08:00:00.000Z',
  updatedAt: '2026-11-26T08:00:00.000Z',
};

describe('connection-utility connections', () => {
  it('import, list --json and export --file round-trip through the store', async () => {
    const run = cli(mkdtempSync(join(tmpdir(), 'cu-cli-')));
    const imported = await run('connections', 'import', '--file', exportFile([adEntry]), '--json');
    expect(imported.code).toBe(0);
    expect(ImportReportSchema.parse(JSON.parse(imported.stdout))).toEqual({
      imported: [{ id: adEntry.id, name: 'Contoso AD' }],
      skipped: [],
    });

    const listed = await run('connections', 'list', '--json');
    expect(listed.code).toBe(0);
    const list = ConnectionsListResponseSchema.parse(JSON.parse(listed.stdout));
    expect(list.connections).toEqual([
      { ...adEntry, trust: { pinnedFingerprints: [] }, allowInsecure: false, hasPassword: false },
    ]);

    const human = await run('connections', 'list');
    expect(human.stdout).toMatch(
      /Contoso AD\s+Microsoft Active Directory\s+contoso\.com\s+needed\s+never tested/,
    );

    const target = join(mkdtempSync(join(tmpdir(), 'cu-cli-out-')), 'out.json');
    const exported = await run('connections', 'export', '--file', target);
    expect(exported).toMatchObject({ code: 0, stdout: expect.stringContaining('Exported 1 connection(s)') });
    expect(ConnectionsExportSchema.parse(JSON.parse(readFileSync(target, 'utf8'))).connections).toHaveLength(
      1,
    );

    const toStdout = await run('connections', 'export');
    expect(ConnectionsExportSchema.parse(JSON.parse(toStdout.stdout)).connections[0]?.id).toBe(adEntry.id);
  });

  it('import exits 1 and names every skipped entry', async () => {
    const run = cli(mkdtempSync(join(tmpdir(), 'cu-cli-')));
    const { code, stdout } = await run(
      'connections',
      'import',
      '--file',
      exportFile([adEntry, adEntry, { name: 'x' }]),
    );
    expect(code).toBe(1);
    expect(stdout).toContain('Imported 1 connection(s); skipped 2.');
    expect(stdout).toContain('skipped #1 (Contoso AD): a connection with this id already exists');
    expect(stdout).toContain('skipped #2 (x): kind');
  });

  it('a file that is missing, not JSON or not an export is a failed check with the reason (exit 1)', async () => {
    const run = cli(mkdtempSync(join(tmpdir(), 'cu-cli-')));
    const notJson = join(mkdtempSync(join(tmpdir(), 'cu-cli-')), 'x.json');
    writeFileSync(notJson, '{ nope');
    const notExport = join(mkdtempSync(join(tmpdir(), 'cu-cli-')), 'y.json');
    writeFileSync(notExport, '{"connections":[]}');
    for (const [file, message] of [
      ['/nonexistent/export.json', 'could not be read'],
      [notJson, 'is not valid JSON'],
      [notExport, 'not a Connection Utility export'],
    ] as const) {
      const { code, stdout } = await run('connections', 'import', '--file', file, '--json');
      expect(code).toBe(1);
      expect(JSON.parse(stdout)).toMatchObject({
        code: 'input.invalid',
        message: expect.stringContaining(message),
      });
    }
    expect((await run('connections', 'import')).code).toBe(2);
  });

  it('import succeeds while the app has the store open, and the app lists the imported connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-cli-'));
    const app = appRouter(dir);
    const before = await app.invoke('connections:list', {});
    expect(before).toMatchObject({ ok: true, value: { connections: [] } });

    // The real CLI in its own process, as an admin runs it beside the open window.
    const imported = await cliProcess(
      dir,
      'connections',
      'import',
      '--file',
      exportFile([adEntry]),
      '--json',
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(ImportReportSchema.parse(JSON.parse(imported.stdout)).imported).toEqual([
      { id: adEntry.id, name: 'Contoso AD' },
    ]);

    const after = await app.invoke('connections:list', {});
    expect(after.ok && after.value.connections.map((c) => c.id)).toEqual([adEntry.id]);
    expect((await cli(dir)('connections', 'list')).code).toBe(0);
  }, 30_000);
});
