import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { exportFile, runCli } from '../support/cli-process';

const root = resolve(import.meta.dirname, '../..');
// Samba is left out: the run's own DC already holds the loopback LDAP and DNS ports.
const demoFlags = ['--no-samba', '--headless', '--no-build'];

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

interface RunningDemo {
  child: ChildProcess;
  output: () => string;
  exitCode: Promise<number | null>;
  /** True once every process writing to the demo's output (the demo itself, under npm and tsx) has ended. */
  outputClosed: () => boolean;
  agentUrl: string;
  emulatorUrl: string;
  dataDir: string;
  /** The data folder, the emulator's folder (its CA key) and the agent's (its API key). */
  folders: string[];
}

/** Waits for the demo to say it is ready, and reads the addresses and folders it printed. */
async function ready(child: ChildProcess): Promise<RunningDemo> {
  let output = '';
  let closed = false;
  const collect = (data: Buffer) => {
    output += data.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('close', () => {
    closed = true;
  });
  const exitCode = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  await expect.poll(() => output, { timeout: 60_000 }).toContain('demo ready');
  const dataDir = /Data folder: +(\S+)/.exec(output)?.[1] ?? '';
  const [, emulatorDir = '', agentDir = ''] = /Run folders: +(\S+) \(.*?\), (\S+) \(/.exec(output) ?? [];
  return {
    child,
    output: () => output,
    exitCode,
    outputClosed: () => closed,
    agentUrl: /Remote Agent: +(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '',
    emulatorUrl: /Entra emulator: +(https:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '',
    dataDir,
    folders: [dataDir, emulatorDir, agentDir],
  };
}

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

/** The demo, the agent and the emulator have all ended, whatever the launcher did meanwhile. */
async function expectEverythingStopped(demo: RunningDemo): Promise<void> {
  await expect.poll(demo.outputClosed, { timeout: 20_000 }).toBe(true);
  expect(await answers(`${demo.agentUrl}/api/health`)).toBe(false);
  expect(await answers(demo.emulatorUrl)).toBe(false);
}

test('npm run demo starts the emulator and a Remote Agent, takes CLI writes while open, and Ctrl+C stops everything', async () => {
  test.setTimeout(90_000);
  const demo = await ready(
    spawn(process.execPath, ['--import', 'tsx', 'tools/demo.ts', ...demoFlags], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const output = demo.output();
  expect(output).toContain('admin@contoso.test');
  expect(await answers(`${demo.agentUrl}/api/health`)).toBe(true);
  expect(demo.dataDir).toMatch(/cu-demo-/);
  for (const folder of demo.folders) expect(existsSync(folder), folder).toBe(true);

  // The ready-to-paste block: the data folder for the CLI, then commands to run as printed.
  expect(output).toContain(`\nexport CU_USER_DATA='${demo.dataDir}'\n`);
  expect(output).toContain('\nnpm run --silent cli -- connections list\n');
  // The README's next step: CLI commands against the demo's data folder while its window is open. SQLite keeps
  // connections.db-wal while any connection has the store open: here, the window listing its connections.
  await expect
    .poll(() => existsSync(join(demo.dataDir, 'connections.db-wal')), { timeout: 15_000 })
    .toBe(true);
  const imported = await runCli(
    demo.dataDir,
    'connections',
    'import',
    '--file',
    exportFile([demoEntry]),
    '--json',
  );
  expect(imported.code, `${imported.stdout}${imported.stderr}`).toBe(0);
  const listed = await runCli(demo.dataDir, 'connections', 'list', '--json');
  expect(JSON.parse(listed.stdout)).toMatchObject({ connections: [{ name: 'Imported beside the demo' }] });

  demo.child.kill('SIGINT');
  expect(await demo.exitCode).toBe(0);
  await expectEverythingStopped(demo);
  // They held a vault key, the agent's API key and the emulator's CA key.
  for (const folder of demo.folders) expect(existsSync(folder), `${folder} was left behind`).toBe(false);
});

// A signal to `npm run demo` itself (a service manager, `kill <pid of npm>`) reaches npm, which forwards it to
// `sh -c`, not to the demo under it; the demo must stop all the same.
for (const { signal, keep } of [
  { signal: 'SIGTERM', keep: true },
  { signal: 'SIGINT', keep: false },
] as const) {
  test(`${signal} to npm run demo${keep ? ' --keep' : ''} stops everything${keep ? ' and keeps the folders' : ''}`, async () => {
    test.setTimeout(90_000);
    // Its own process group, like a job in a terminal, so that a failed test can still end all of it.
    const npm = spawn('npm', ['run', '--silent', 'demo', '--', ...demoFlags, ...(keep ? ['--keep'] : [])], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let demo: RunningDemo | null = null;
    try {
      demo = await ready(npm);
      expect(await answers(`${demo.agentUrl}/api/health`)).toBe(true);
      npm.kill(signal);
      await expectEverythingStopped(demo);
      for (const folder of demo.folders) expect(existsSync(folder), folder).toBe(keep);
      if (keep) expect(demo.output()).toContain(`Kept (--keep): `);
    } finally {
      // npm may be gone while the demo under it is not: end whatever of the group is left, and its folders.
      try {
        if (npm.pid) process.kill(-npm.pid, 'SIGKILL');
      } catch {
        // Nothing of it is left.
      }
      for (const folder of demo?.folders ?? []) if (folder) rmSync(folder, { recursive: true, force: true });
    }
  });
}
