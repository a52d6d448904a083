import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { exportFile, runCli } from '../support/cli-process';

const demoEntry = {
  kind: 'activeDirectory',
  id: '7e3f1c2a-9b4d-4e6f-8a1b-2c3d4e5f6a7b',
  name: 'Imported beside the demo',
  domain: 'contoso.test',
  targets: [{ host: 'dc1.contoso.test', port: 636, tls: 'ldaps' }],
  bindUser: 'svc-idm@contoso.test',
  createdAt: '2026-11-26T08:00:00.000Z',
  updatedAt: '2026-11-26T08:00:00.000Z',
};

// `npm run demo` starts what it promises, prints the accounts, and Ctrl+C stops all of it. (Samba is left out
// here: the run's own DC already holds the loopback LDAP and DNS ports.)
test('npm run demo starts the emulator and a Remote Agent, takes CLI writes while open, and Ctrl+C stops everything', async () => {
  test.setTimeout(90_000);
  const root = resolve(import.meta.dirname, '../..');
  const demo = spawn(
    process.execPath,
    ['--import', 'tsx', 'tools/demo.ts', '--no-samba', '--headless', '--no-build'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  demo.stdout.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const exited = new Promise<number | null>((done) => demo.once('exit', (code) => done(code)));
  await expect.poll(() => output, { timeout: 60_000 }).toContain('demo ready');

  expect(output).toContain('admin@contoso.test');
  const agentUrl = /Remote Agent: +(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
  const health = await fetch(`${agentUrl}/api/health`);
  expect(health.status).toBe(200);
  const dataDir = /Data folder: +(\S+)/.exec(output)?.[1] ?? '';
  expect(dataDir).toMatch(/cu-demo-/);

  expect(output).toContain(`CU_USER_DATA="${dataDir}" npm run --silent cli --`);
  // The README's next step: CLI commands against the demo's data folder while its window is open. SQLite keeps
  // connections.db-wal while any connection has the store open: here, the window listing its connections.
  await expect.poll(() => existsSync(join(dataDir, 'connections.db-wal')), { timeout: 15_000 }).toBe(true);
  const imported = await runCli(
    dataDir,
    'connections',
    'import',
    '--file',
    exportFile([demoEntry]),
    '--json',
  );
  expect(imported.code, `${imported.stdout}${imported.stderr}`).toBe(0);
  const listed = await runCli(dataDir, 'connections', 'list', '--json');
  expect(JSON.parse(listed.stdout)).toMatchObject({ connections: [{ name: 'Imported beside the demo' }] });

  demo.kill('SIGINT');
  expect(await exited).toBe(0);
  await expect(fetch(`${agentUrl}/api/health`)).rejects.toThrow();
});
