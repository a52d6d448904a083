import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';

// `npm run demo` starts what it promises, prints the accounts, and Ctrl+C stops all of it. (Samba is left out
// here: the run's own DC already holds the loopback LDAP and DNS ports.)
test('npm run demo starts the emulator and a Remote Agent, and Ctrl+C stops everything', async () => {
  test.setTimeout(90_000);
  const root = resolve(import.meta.dirname, '../..');
  const demo = spawn(
    process.execPath,
    ['--import', 'tsx', 'e2e/host/demo.ts', '--no-samba', '--headless', '--no-build'],
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

  demo.kill('SIGINT');
  expect(await exited).toBe(0);
  await expect(fetch(`${agentUrl}/api/health`)).rejects.toThrow();
});
