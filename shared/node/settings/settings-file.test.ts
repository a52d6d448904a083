import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../common/settings';
import { readSettings, routesFileOf, writeSettings } from './settings-file';

const folder = () => mkdtempSync(join(tmpdir(), 'cu-settings-'));

describe('settings file', () => {
  it('gives the defaults when absent, and reads back what was written', async () => {
    const dir = folder();
    expect(await readSettings(dir)).toEqual({
      remoteAgent: { host: 'localhost', port: 40002, useTls: false, allowInsecure: false },
      microsoftOnline: { cloud: 'global' },
      trustSystemStore: true,
    });
    const settings = SettingsSchema.parse({
      workflowEngineRoutesFile: '/srv/we/routes.json',
      remoteAgent: { host: 'idm-host', port: 40443, useTls: true },
    });
    await writeSettings(dir, settings);
    expect(await readSettings(dir)).toEqual(settings);
  });

  it('reports a damaged file as settings.invalid, and Save sets it aside and starts again', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'settings.json'), '{"version": 1, "remoteAgent": {"port": "x"}}');
    await expect(readSettings(dir)).rejects.toMatchObject({ appError: { code: 'settings.invalid' } });
    await writeSettings(dir, SettingsSchema.parse({}));
    expect(await readSettings(dir)).toMatchObject({ remoteAgent: { port: 40002 } });
    expect(readdirSync(dir).some((name) => name.startsWith('settings.json.corrupt-'))).toBe(true);
  });

  it('reads a file from before the system-store setting as "on", and keeps an admin’s "off"', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ version: 1, remoteAgent: { host: 'idm-host', port: 40002, useTls: false } }),
    );
    expect(await readSettings(dir)).toMatchObject({
      remoteAgent: { host: 'idm-host' },
      trustSystemStore: true,
    });
    await writeSettings(dir, SettingsSchema.parse({ trustSystemStore: false }));
    expect(await readSettings(dir)).toMatchObject({ trustSystemStore: false });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({
      version: 2,
      trustSystemStore: false,
    });
  });

  it('says a settings file from a newer version is newer, and leaves it alone', async () => {
    const dir = folder();
    const newer = JSON.stringify({ version: 99, trustSystemStore: false, somethingNew: 1 });
    writeFileSync(join(dir, 'settings.json'), newer);
    await expect(readSettings(dir)).rejects.toMatchObject({
      appError: { code: 'settings.invalid', message: expect.stringMatching(/newer version/) },
    });
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(newer);
  });

  it('takes the routes file from the environment, then Settings, then the data folder', () => {
    const settings = SettingsSchema.parse({ workflowEngineRoutesFile: '/srv/we/routes.json' });
    expect(routesFileOf('/data', settings, { CU_WORKFLOW_ENGINE_ROUTES: '/env/routes.json' })).toEqual({
      path: '/env/routes.json',
      source: 'environment',
    });
    expect(routesFileOf('/data', settings, {})).toEqual({ path: '/srv/we/routes.json', source: 'settings' });
    expect(routesFileOf('/data', SettingsSchema.parse({}), {})).toEqual({
      path: join('/data', 'workflow-engine', 'routes.json'),
      source: 'default',
    });
  });

  it('refuses a relative routes path', () => {
    expect(SettingsSchema.safeParse({ workflowEngineRoutesFile: 'routes.json' }).success).toBe(false);
  });
});
