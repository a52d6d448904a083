import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../shared/common/settings';
import { contosoOnline, testHost } from '../../shared/node/ipc/fixtures/test-host';
import { writeSettings } from '../../shared/node/settings/settings-file';
import { runCliInProcess } from '../run-cli-in-process';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  delete process.env.CU_WORKFLOW_ENGINE_ROUTES;
});

/** A data folder holding one Microsoft Online connection for contoso.test; the CLI and its router over it. */
async function setUp() {
  const { userDataDir, router, close } = testHost({ host: 'cli' });
  closers.push(close);
  const saved = await router.invoke('connections:save', contosoOnline);
  if (!saved.ok) throw new Error(saved.error.message);
  return {
    userDataDir,
    router,
    connectionId: saved.value.id,
    cli: (...argv: string[]) => runCliInProcess(router, argv),
  };
}

const routesIn = (file: string) => JSON.parse(readFileSync(file, 'utf8')).routes;

describe('we register', () => {
  it('writes the route of the domain’s connection into --routes and says so', async () => {
    const { cli, connectionId } = await setUp();
    const file = join(mkdtempSync(join(tmpdir(), 'cu-we-file-')), 'routes.json');
    const run = await cli(
      'we',
      'register',
      '--domain',
      'Contoso.TEST',
      '--agent-url',
      'http://host-7:40002/',
      '--routes',
      file,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`OK: ${file} routes contoso.test to http://host-7:40002`);
    expect(routesIn(file)['contoso.test']).toMatchObject({ agentUrl: 'http://host-7:40002', connectionId });
  });

  it('uses CU_WORKFLOW_ENGINE_ROUTES over Settings, and Settings over the default', async () => {
    const { cli, router, userDataDir } = await setUp();
    const fromSettings = join(mkdtempSync(join(tmpdir(), 'cu-we-set-')), 'routes.json');
    const fromEnv = join(mkdtempSync(join(tmpdir(), 'cu-we-env-')), 'routes.json');

    let run = await cli(
      'we',
      'register',
      '--domain',
      'contoso.test',
      '--agent-url',
      'http://a:40002',
      '--json',
    );
    expect(JSON.parse(run.stdout).routesFile).toBe(join(userDataDir, 'workflow-engine', 'routes.json'));

    // As the app's Settings dialog stores it: chosen in main's own Save dialog, never sent by a window.
    await writeSettings(userDataDir, SettingsSchema.parse({ workflowEngineRoutesFile: fromSettings }));
    expect(await router.invoke('settings:get', {})).toMatchObject({
      ok: true,
      value: { routesFile: { path: fromSettings, source: 'settings' } },
    });
    run = await cli('we', 'register', '--domain', 'contoso.test', '--agent-url', 'http://b:40002', '--json');
    expect(JSON.parse(run.stdout).routesFile).toBe(fromSettings);

    process.env.CU_WORKFLOW_ENGINE_ROUTES = fromEnv;
    run = await cli('we', 'register', '--domain', 'contoso.test', '--agent-url', 'http://c:40002', '--json');
    expect(JSON.parse(run.stdout)).toMatchObject({
      routesFile: fromEnv,
      route: { agentUrl: 'http://c:40002' },
    });
    expect(routesIn(fromSettings)['contoso.test'].agentUrl).toBe('http://b:40002');
  });

  it('--routes is relative to the working folder, and wins over CU_WORKFLOW_ENGINE_ROUTES', async () => {
    const { cli } = await setUp();
    const cwd = mkdtempSync(join(tmpdir(), 'cu-we-cwd-'));
    process.env.CU_WORKFLOW_ENGINE_ROUTES = join(cwd, 'from-env.json');
    const before = process.cwd();
    process.chdir(cwd);
    try {
      const run = await cli(
        'we',
        'register',
        '--domain',
        'contoso.test',
        '--agent-url',
        'http://d:1',
        '--routes',
        'we/routes.json',
        '--json',
      );
      expect(JSON.parse(run.stdout)).toMatchObject({ routesFile: join(cwd, 'we', 'routes.json') });
    } finally {
      process.chdir(before);
    }
    expect(routesIn(join(cwd, 'we', 'routes.json'))['contoso.test'].agentUrl).toBe('http://d:1');
    expect(() => readFileSync(join(cwd, 'from-env.json'))).toThrow();
  });

  it('refuses a domain without a Microsoft Online connection, and a URL that is not one', async () => {
    const { cli } = await setUp();
    const file = join(mkdtempSync(join(tmpdir(), 'cu-we-bad-')), 'routes.json');
    const unknown = await cli(
      'we',
      'register',
      '--domain',
      'fabrikam.test',
      '--agent-url',
      'http://a:1',
      '--routes',
      file,
      '--json',
    );
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ code: 'we.unknownConnection' });
    const badUrl = await cli(
      'we',
      'register',
      '--domain',
      'contoso.test',
      '--agent-url',
      'ftp://a',
      '--routes',
      file,
    );
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain('agentUrl');
    expect(() => readFileSync(file)).toThrow();
  });
});
