import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileChooser, SaveFileRequest } from '../file-chooser';
import { contosoOnline, testHost } from '../fixtures/test-host';

// Rule 6: main chooses the paths it writes. The window's requests go through the real router, as over IPC.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  delete process.env.CU_WORKFLOW_ENGINE_ROUTES;
});

/** A data folder with one Microsoft Online connection, and a Save dialog that answers from `answers`. */
async function setUp(options: { answers?: (string | null)[]; noDialog?: boolean } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cu-settings-'));
  const asked: SaveFileRequest[] = [];
  const chooseFile: FileChooser = async (request) => {
    asked.push(request);
    return options.answers?.shift() ?? null;
  };
  const { call, close } = testHost({ userDataDir, ...(options.noDialog ? {} : { chooseFile }) });
  cleanups.push(close);
  const saved = await call('connections:save', contosoOnline);
  if (!saved.ok) throw new Error(saved.error.message);
  const register = () => call('we:register', { domain: 'contoso.test', agentUrl: 'http://agent:40002' });
  const stored = () => JSON.parse(readFileSync(join(userDataDir, 'settings.json'), 'utf8'));
  return { userDataDir, call, register, stored, asked };
}

const elsewhere = () => join(mkdtempSync(join(tmpdir(), 'cu-elsewhere-')), 'we', 'routes.json');

describe('settings:save (rule 6)', () => {
  it('refuses a request that names the routes file (input.invalid), and nothing is created there', async () => {
    const { call, register, userDataDir } = await setUp();
    const target = elsewhere();
    const result = await call('settings:save', { workflowEngineRoutesFile: target });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'input.invalid', detail: { channel: 'settings:save' } },
    });
    const registered = await register();
    expect(registered).toMatchObject({
      ok: true,
      value: { routesFile: join(userDataDir, 'workflow-engine', 'routes.json') },
    });
    expect(existsSync(join(target, '..'))).toBe(false);
  });

  it('keeps the routes file main chose when the window saves the other settings', async () => {
    const target = elsewhere();
    const { call, stored } = await setUp({ answers: [target] });
    expect(await call('settings:chooseRoutesFile', {})).toMatchObject({ ok: true });
    const saved = await call('settings:save', { remoteAgent: { host: 'idm.contoso.test', port: 40443 } });
    expect(saved).toMatchObject({
      ok: true,
      value: { routesFile: { path: target, source: 'settings' }, remoteAgent: { port: 40443 } },
    });
    expect(stored()).toMatchObject({ workflowEngineRoutesFile: target, remoteAgent: { port: 40443 } });
  });
});

describe('settings:chooseRoutesFile (rule 6)', () => {
  it('stores the file main’s Save dialog chose, and we:register writes the route there', async () => {
    const target = elsewhere();
    const { call, register, stored, asked, userDataDir } = await setUp({ answers: [target] });
    const chosen = await call('settings:chooseRoutesFile', {});
    expect(chosen).toMatchObject({
      ok: true,
      value: { outcome: 'chosen', settings: { routesFile: { path: target, source: 'settings' } } },
    });
    // The dialog opened on the file in use, so the admin sees where routes go today.
    expect(asked).toEqual([
      expect.objectContaining({ defaultPath: join(userDataDir, 'workflow-engine', 'routes.json') }),
    ]);
    expect(stored().workflowEngineRoutesFile).toBe(target);
    expect(await register()).toMatchObject({ ok: true, value: { routesFile: target } });
    expect(JSON.parse(readFileSync(target, 'utf8')).routes['contoso.test']).toMatchObject({
      agentUrl: 'http://agent:40002',
    });
  });

  it('changes nothing when the dialog is cancelled; useDefault forgets the chosen file', async () => {
    const target = elsewhere();
    const { call, stored, userDataDir } = await setUp({ answers: [target, null] });
    await call('settings:chooseRoutesFile', { useDefault: false });
    expect(await call('settings:chooseRoutesFile', {})).toMatchObject({
      ok: true,
      value: { outcome: 'cancelled', settings: { routesFile: { path: target } } },
    });
    expect(stored().workflowEngineRoutesFile).toBe(target);
    expect(await call('settings:chooseRoutesFile', { useDefault: true })).toMatchObject({
      ok: true,
      value: {
        outcome: 'default',
        settings: {
          routesFile: { path: join(userDataDir, 'workflow-engine', 'routes.json'), source: 'default' },
        },
      },
    });
    expect(stored()).not.toHaveProperty('workflowEngineRoutesFile');
  });

  it('refuses a chosen file that is not a routes file, and keeps the one in use', async () => {
    const secretFile = join(mkdtempSync(join(tmpdir(), 'cu-secret-')), '.git-credentials');
    const marker = 'ghp_q7ZxMARKER91kfTz';
    const { writeFileSync } = await import('node:fs');
    writeFileSync(secretFile, `https://alice:${marker}@github.example\n`);
    const { call } = await setUp({ answers: [secretFile] });
    const result = await call('settings:chooseRoutesFile', {});
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'we.routesInvalid', detail: { file: secretFile, reasons: ['not JSON'] } },
    });
    expect(JSON.stringify(result)).not.toContain('alice');
    expect(await call('settings:get', {})).toMatchObject({
      ok: true,
      value: { routesFile: { source: 'default' } },
    });
  });

  it('says how to choose instead where there is no dialog (the CLI)', async () => {
    const { call } = await setUp({ noDialog: true });
    expect(await call('settings:chooseRoutesFile', {})).toMatchObject({
      ok: false,
      error: { code: 'settings.noFileDialog', hint: expect.stringContaining('--routes') },
    });
  });

  it('refuses a request that carries a path', async () => {
    const { call, asked } = await setUp({ answers: ['/tmp/x.json'] });
    expect(await call('settings:chooseRoutesFile', { path: elsewhere() })).toMatchObject({
      ok: false,
      error: { code: 'input.invalid' },
    });
    expect(asked).toEqual([]);
  });
});
