import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

interface DemoOutput {
  child: ChildProcess;
  output: () => string;
  exitCode: Promise<number | null>;
  /** True once every process writing to the demo's output (the demo itself, under npm and tsx) has ended. */
  outputClosed: () => boolean;
}

interface RunningDemo extends DemoOutput {
  agentUrl: string;
  emulatorUrl: string;
  dataDir: string;
  /** The data folder, the emulator's folder (its CA key) and the agent's (its API key). */
  folders: string[];
}

/** Collects what the demo prints, from the start. */
function watch(child: ChildProcess): DemoOutput {
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
  return { child, output: () => output, exitCode, outputClosed: () => closed };
}

/** Waits for a line matching `pattern` and returns its first group. */
async function line(demo: DemoOutput, pattern: RegExp): Promise<string> {
  await expect.poll(() => pattern.test(demo.output()), { timeout: 60_000 }).toBe(true);
  return pattern.exec(demo.output())?.[1] ?? '';
}

/** Waits for the demo to say it is ready, and reads the addresses and folders it printed. */
async function ready(child: ChildProcess): Promise<RunningDemo> {
  const demo = watch(child);
  await line(demo, /(demo ready)/);
  const output = demo.output();
  const dataDir = /Data folder: +(\S+)/.exec(output)?.[1] ?? '';
  const [, emulatorDir = '', agentDir = ''] = /Run folders: +(\S+) \(.*?\), (\S+) \(/.exec(output) ?? [];
  return {
    ...demo,
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

/** The demo run directly (as `npm run demo` execs it), in a process group of its own for the clean-up below. */
function startDemo(env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'tools/demo.ts', ...demoFlags], {
    cwd: root,
    detached: true,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** After a test, pass or fail: whatever of the demo's group is left, and the folders it named. */
function cleanUp(child: ChildProcess, folders: string[]): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Nothing of it is left.
  }
  for (const folder of folders) if (folder) rmSync(folder, { recursive: true, force: true });
}

/** The processes (other than this one) whose command line names `text`. */
function processesNaming(text: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && entry !== String(process.pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    });
}

test('Ctrl+C while the demo starts stops the Remote Agent being started and leaves none of its folders', async () => {
  test.skip(process.platform !== 'linux', 'looks for the agent process in /proc');
  test.setTimeout(60_000);
  const demo = watch(startDemo());
  const folders: string[] = [];
  try {
    // Printed before the agent is spawned; its start (tsx, then Fastify) takes a second or more.
    const agentDir = await line(demo, /Starting a Remote Agent in (\S+)…/);
    folders.push(
      agentDir,
      /Data folder for this run: (\S+)/.exec(demo.output())?.[1] ?? '',
      /Starting the Entra emulator in (\S+)…/.exec(demo.output())?.[1] ?? '',
    );
    for (const folder of folders) expect(existsSync(folder), folder).toBe(true);
    demo.child.kill('SIGINT');
    expect(await demo.exitCode).toBe(0);
    await expect.poll(demo.outputClosed, { timeout: 20_000 }).toBe(true);
    expect(demo.output()).not.toContain('demo ready');
    expect(processesNaming(agentDir), 'a Remote Agent of the demo is still running').toEqual([]);
    // They held a vault key, the emulator's CA key and the agent's API key.
    for (const folder of folders) expect(existsSync(folder), `${folder} was left behind`).toBe(false);
  } finally {
    cleanUp(demo.child, folders);
  }
});

type FakeAppMode = 'slow-quit' | 'ignores-sigterm' | 'helper-lingers';

/**
 * The program of the stand-in Electron below; serialised into its file, so it uses nothing from this module. Like
 * Chromium it writes to its data folder (making it again if it is gone) while open and while it quits.
 */
function fakeApp(mode: FakeAppMode): void {
  const fs = process.getBuiltinModule('node:fs');
  const dir = process.env.CU_USER_DATA ?? '';
  const write = (name: string) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/${name}`, String(Date.now()));
  };
  // A helper (GPU, network service) writing all along, and for a while after the app has exited: longer than
  // the demo's retries. Started with the app, so it is already writing when the demo starts deleting.
  const helper = () => {
    const helperFs = process.getBuiltinModule('node:fs');
    const folder = process.env.CU_USER_DATA ?? '';
    const app = process.ppid;
    let until = Number.POSITIVE_INFINITY;
    const timer = setInterval(() => {
      if (until === Number.POSITIVE_INFINITY && process.ppid !== app) until = Date.now() + 8000;
      if (Date.now() > until) return clearInterval(timer);
      helperFs.mkdirSync(folder, { recursive: true });
      helperFs.writeFileSync(`${folder}/Cookies`, String(Date.now()));
    }, 20);
  };
  write('Preferences');
  if (mode === 'helper-lingers') {
    process
      .getBuiltinModule('node:child_process')
      .spawn(process.execPath, ['-e', `(${helper})()`], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  setInterval(() => {
    if (mode === 'ignores-sigterm') write('Cookies');
  }, 100);
  process.on('SIGTERM', () => {
    process.stdout.write('fake app: quitting\n');
    if (mode === 'ignores-sigterm') return;
    if (mode === 'helper-lingers') process.exit(0);
    setTimeout(() => {
      write('Local State');
      process.exit(0);
    }, 1000);
  });
  process.stdout.write('fake app: open\n');
}

/** A folder holding an `electron` executable for ELECTRON_OVERRIDE_DIST_PATH (read by scripts/electron-binary.ts). */
function fakeElectron(mode: FakeAppMode): string {
  const dir = mkdtempSync(join(tmpdir(), 'cu-fake-electron-'));
  writeFileSync(join(dir, 'electron'), `#!${process.execPath}\n(${fakeApp})(${JSON.stringify(mode)});\n`, {
    mode: 0o755,
  });
  return dir;
}

// Electron is not downloaded on every machine; a stand-in for its binary shows the order of the stop: the data
// folder (a vault key) is removed only after the app has exited, and a folder that cannot be removed is named.
for (const { mode, title } of [
  { mode: 'slow-quit', title: 'waits for the app to quit before it deletes the data folder' },
  { mode: 'ignores-sigterm', title: 'kills an app that does not quit, then deletes the data folder' },
] as const) {
  test(`Ctrl+C ${title}`, async () => {
    test.setTimeout(90_000);
    const electronDir = fakeElectron(mode);
    let demo: RunningDemo | null = null;
    const child = startDemo({ ELECTRON_OVERRIDE_DIST_PATH: electronDir });
    try {
      demo = await ready(child);
      expect(demo.output()).toContain('the app is open in Electron');
      await line(demo, /(fake app: open)/);
      child.kill('SIGINT');
      expect(await demo.exitCode).toBe(0);
      // The app writes to the same output: closed means it has exited too.
      await expectEverythingStopped(demo);
      expect(demo.output()).toContain('fake app: quitting');
      for (const folder of demo.folders) expect(existsSync(folder), `${folder} was left behind`).toBe(false);
    } finally {
      cleanUp(child, [...(demo?.folders ?? []), electronDir]);
    }
  });
}

test('Ctrl+C names a data folder it could not delete, and exits with 1', async () => {
  test.setTimeout(90_000);
  const electronDir = fakeElectron('helper-lingers');
  let demo: RunningDemo | null = null;
  const child = startDemo({ ELECTRON_OVERRIDE_DIST_PATH: electronDir });
  try {
    demo = await ready(child);
    await line(demo, /(fake app: open)/);
    child.kill('SIGINT');
    expect(await demo.exitCode).toBe(1);
    await expectEverythingStopped(demo);
    expect(demo.output()).toContain(`Left behind: ${demo.dataDir} (`);
    expect(existsSync(demo.dataDir)).toBe(true);
    // The others were not in the helper's way.
    for (const folder of demo.folders.slice(1)) expect(existsSync(folder), folder).toBe(false);
  } finally {
    cleanUp(child, [...(demo?.folders ?? []), electronDir]);
  }
});
