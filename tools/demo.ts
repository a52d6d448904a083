import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Emulator, startEntraEmulator } from '../e2e/fixtures/entra-emulator/emulator';
import { defaultSeed } from '../e2e/fixtures/entra-emulator/seed';
import { type RemoteAgentProcess, startRemoteAgent } from '../e2e/fixtures/online-stack';
import { type SambaDc, startSambaDc } from '../e2e/fixtures/samba/samba-dc';
import { findElectronBinary } from '../scripts/electron-binary';
import { ensureSystemPackages, sambaRequirements } from '../scripts/system-packages';
import { SettingsSchema } from '../shared/common/settings';
import { createConnectionStoreProvider } from '../shared/node/connections/connection-store-provider';
import { agentBinding } from '../shared/node/connections/secret-binding';
import { writeSettings } from '../shared/node/settings/settings-file';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { watchLauncher } from './demo-launcher-watch';
import { launchRendererHost } from './renderer-host';

// `npm run demo`: everything the Microsoft Online procedure talks to, on loopback, and the app pointed at it.

const usage = `Usage: npm run demo -- [--no-samba] [--headless] [--no-build] [--user-data DIR] [--keep]

Starts a Samba AD DC (root on Debian), the Entra emulator and a Remote Agent on loopback, points a fresh data
folder at them (addresses, CA, agent key) and opens the app (Electron if installed, else the development host).
Ctrl+C (or a signal to npm) stops everything it started and deletes its temporary folders, which hold a vault
key, the agent's API key and a CA key; --keep leaves them for a look afterwards. A --user-data folder is never
deleted.
`;

const root = resolve(import.meta.dirname, '..');
const say = (text: string) => process.stdout.write(`${text}\n`);
/** How long the app gets to quit on SIGTERM before it is killed. */
const appGraceMs = 5000;

/** A value for the pasted shell line: single-quoted (PowerShell and POSIX shells alike read it literally). */
const quoted = (value: string) => `'${value.replaceAll("'", process.platform === 'win32' ? "''" : "'\\''")}'`;
const exportLine = (name: string, value: string) =>
  process.platform === 'win32' ? `$env:${name} = ${quoted(value)}` : `export ${name}=${quoted(value)}`;

/** `secret | command`: the CLI takes passwords on stdin only. These are the run's throw-away accounts. */
const piped = (secret: string, command: string) =>
  process.platform === 'win32'
    ? `${quoted(secret)} | ${command}`
    : `printf '%s' ${quoted(secret)} | ${command}`;

interface Account {
  upn: string;
  password: string;
}

/** The ready-to-paste lines: where the data folder is, and commands that work against this run. */
function cliBlock(run: {
  userDataDir: string;
  samba: SambaDc | null;
  entraAdmin: Account | undefined;
}): string[] {
  const cli = 'npm run --silent cli --';
  const sambaCa = process.platform === 'win32' ? '$env:CU_DEMO_SAMBA_CA' : '"$CU_DEMO_SAMBA_CA"';
  const sambaUser = run.samba?.users[0];
  const { entraAdmin } = run;
  return [
    exportLine('CU_USER_DATA', run.userDataDir),
    ...(run.samba ? [exportLine('CU_DEMO_SAMBA_CA', run.samba.tls.caPath)] : []),
    `${cli} connections list`,
    `${cli} agent status`,
    ...(entraAdmin
      ? [
          piped(
            entraAdmin.password,
            `${cli} entra test --domain ${entraAdmin.upn.split('@')[1]} --user ${entraAdmin.upn} --password-stdin`,
          ),
        ]
      : []),
    ...(sambaUser
      ? [
          piped(
            sambaUser.password,
            `${cli} ad test --host ${run.samba?.host} --ca ${sambaCa} --user ${sambaUser.upn} --password-stdin`,
          ),
        ]
      : []),
  ];
}

/** Thrown into the start-up when a stop began meanwhile: nothing more is started, what was is stopped. */
class StopRequested extends Error {}

interface Stop {
  /** What is stopped, for the line printed when stopping it fails. */
  what: string;
  run(): Promise<void>;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Removes a folder of this run; returns why it is still there, or null. It looks again a moment after each try,
 * since a helper of a process that has just exited may still write there, making the folder again.
 */
async function removeFolder(dir: string): Promise<string | null> {
  let reason = 'something made it again after it was deleted';
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    try {
      await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
    } catch (error) {
      reason =
        (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    }
    await sleep(250);
    if (!existsSync(dir)) return null;
  }
  return reason;
}

/** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves once it has exited. */
async function endProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Points the data folder at the run: Settings, and for the development host the agent's key in its store. */
async function prepareDataFolder(run: {
  userDataDir: string;
  emulator: Emulator;
  agent: RemoteAgentProcess;
  storeAgentKey: boolean;
}): Promise<void> {
  const { userDataDir, emulator, agent } = run;
  const caPem = await readFile(emulator.caFile, 'utf8');
  await writeSettings(
    userDataDir,
    SettingsSchema.parse({
      remoteAgent: { host: '127.0.0.1', port: agent.port, useTls: false },
      microsoftOnline: { cloud: 'global', authorityHost: emulator.url, graphHost: emulator.url, caPem },
    }),
  );
  if (!run.storeAgentKey) return;
  // The development host seals with the data folder's key file, so the key can be stored for it here.
  const stores = createConnectionStoreProvider({
    dir: userDataDir,
    vault: () => KeyFileVault.open(userDataDir),
  });
  try {
    await (await stores.forWriting()).saveAgentKey(
      agentBinding({ host: '127.0.0.1', port: agent.port, useTls: false }),
      agent.apiKey,
    );
  } finally {
    await stores.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'no-samba': { type: 'boolean', default: false },
      headless: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'user-data': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    say(usage);
    return;
  }

  // Run last to first, so a folder is removed after whatever used it has stopped.
  const stops: Stop[] = [];
  const kept: string[] = [];
  const problems: string[] = [];
  let stopping = false;
  const stillStarting = () => {
    if (stopping) throw new StopRequested();
  };
  /** A temporary folder of this run, its removal registered before anything is put in it (unless --keep). */
  const temporary = (prefix: string) => {
    stillStarting();
    const dir = mkdtempSync(join(tmpdir(), prefix));
    if (values.keep) kept.push(dir);
    else
      stops.push({
        what: `the folder ${dir}`,
        run: async () => {
          const reason = await removeFolder(dir);
          if (reason)
            problems.push(`Left behind: ${dir} (${reason}); it holds secrets of this run, delete it.`);
        },
      });
    return dir;
  };
  /**
   * Starts something whose stop is registered before it starts: a stop during the start waits for it to finish,
   * then stops it, so nothing is left running or holding a folder.
   */
  const started = async <T>(what: string, start: () => Promise<T>, stop: (it: T) => Promise<void>) => {
    stillStarting();
    const starting = start();
    let settledYet = false;
    const outcome = starting.then(
      (it) => ({ it }),
      () => null,
    );
    void outcome.then(() => {
      settledYet = true;
    });
    stops.push({
      what,
      run: async () => {
        if (!settledYet) say(`Waiting for ${what} to finish starting, to stop it…`);
        const settled = await outcome;
        if (settled) await stop(settled.it);
      },
    });
    const it = await starting;
    stillStarting();
    return it;
  };
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('Stopping everything the demo started…');
    // Popped one by one: a stop the start-up registers meanwhile still runs.
    for (let stop = stops.pop(); stop; stop = stops.pop()) {
      await stop.run().catch((error: unknown) => {
        problems.push(
          `Could not stop ${stop?.what}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
    if (kept.length > 0) say(`Kept (--keep): ${kept.join(', ')}`);
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    process.exit(problems.length > 0 ? 1 : code);
  };
  // 'on', not 'once': tsx's preflight exits the process as soon as no SIGINT listener of ours is left.
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  process.on('SIGHUP', () => void stopAll(0));
  // A signal sent to `npm run demo` itself never gets here (see watchLauncher); npm ending does.
  watchLauncher(() => {
    say('The command that started the demo has ended.');
    void stopAll(0);
  });
  // A crash would otherwise leave the agent and the app running, and the folders behind.
  const crashed = (error: unknown) => {
    process.stderr.write(`The demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    void stopAll(1);
  };
  process.on('uncaughtException', crashed);
  process.on('unhandledRejection', crashed);

  try {
    const userDataDir = values['user-data'] ?? temporary('cu-demo-');
    say(`Data folder for this run: ${userDataDir}`);
    let samba: SambaDc | null = null;
    if (values['no-samba']) say('Samba: skipped (--no-samba).');
    else if (process.getuid?.() !== 0)
      say('Samba: skipped — starting an AD domain controller needs root (Debian).');
    else if (!ensureSystemPackages(sambaRequirements, (line) => say(`Samba: ${line}`)))
      say('Samba: not installed.');
    else {
      const dir = temporary('cu-samba-');
      say(`Starting a Samba AD DC on loopback in ${dir} (about 10 s)…`);
      samba = await started(
        'the Samba AD DC',
        () =>
          startSambaDc({
            realm: 'CONTOSO.TEST',
            adminPassword: `Adm1n-${randomBytes(6).toString('hex')}!`,
            dir,
          }),
        (dc) => dc.stop(),
      );
    }

    const emulatorDir = temporary('cu-demo-entra-');
    say(`Starting the Entra emulator in ${emulatorDir}…`);
    const emulator = await started(
      'the Entra emulator',
      () => startEntraEmulator({ seed: defaultSeed, outDir: emulatorDir }),
      (it) => it.stop(),
    );
    const agentDir = temporary('cu-agent-');
    say(`Starting a Remote Agent in ${agentDir}…`);
    const agent = await started(
      'the Remote Agent',
      () => startRemoteAgent({ dataDir: agentDir }),
      (it) => it.stop(),
    );

    const electron = findElectronBinary(root);
    // As a start of its own: a stop meanwhile lets the writes finish before the folder is removed.
    await started(
      'the data folder set-up',
      () => prepareDataFolder({ userDataDir, emulator, agent, storeAgentKey: !electron }),
      async () => {},
    );

    if (!values['no-build']) {
      say('Building the app…');
      execFileSync(
        process.execPath,
        [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
        {
          cwd: root,
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
    }
    let opened: string;
    if (electron) {
      stillStarting();
      const app: ChildProcess = spawn(electron, [root], {
        cwd: root,
        env: { ...process.env, CU_USER_DATA: userDataDir },
        stdio: 'inherit',
      });
      // Chromium writes to the data folder until it has exited: the folder is removed only after that.
      stops.push({ what: 'the app', run: () => endProcess(app, appGraceMs) });
      // The last resort if the demo ends some other way: an app left open would keep writing to the folder.
      process.once('exit', () => {
        if (app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
      });
      app.once('exit', () => void stopAll(0));
      opened = 'Electron';
    } else {
      const headless = values.headless || !process.env.DISPLAY;
      const host = await started(
        'the development host',
        () => launchRendererHost({ userDataDir, headless }),
        (it) => it.close(),
      );
      host.browser.once('disconnected', () => void stopAll(0));
      opened = `the development host at ${host.url} (${headless ? 'headless: no display' : 'headed'})`;
    }

    const tenant = emulator.tenants[0];
    const lines = [
      '',
      `Connection Utility demo — the app is open in ${opened}.`,
      `  Data folder:        ${userDataDir}${values['user-data'] ? '' : values.keep ? ' (kept after the demo: --keep)' : ' (deleted when the demo stops)'}`,
      samba
        ? `  Active Directory:   domain ${samba.domain}, domain controller 127.0.0.1 (LDAPS 636), DNS server ${samba.dnsServer}\n` +
          `                      service account ${samba.users[0]?.upn} / ${samba.users[0]?.password}`
        : '  Active Directory:   none (no Samba) — the Microsoft Online wizard still runs without a DC.',
      `  Entra emulator:     ${emulator.url} (preset in Settings with its CA)`,
      `  Tenant:             ${tenant?.domain} (${tenant?.tenantId}), verified: ${tenant?.verifiedDomains.join(', ')}`,
      ...(tenant?.users ?? []).map(
        (user) => `    ${user.scenario.padEnd(28)} ${user.upn} / ${user.password}`,
      ),
      `  Remote Agent:       ${agent.url}  (Swagger: ${agent.url}/swagger)`,
      `  Agent API key:      ${agent.apiKey}${electron ? '  (paste it on the Remote Agent tab)' : '  (already stored for the app)'}`,
      `  Workflow Engine:    ${join(userDataDir, 'workflow-engine', 'routes.json')}`,
      `  Run folders:        ${emulatorDir} (emulator CA and keys), ${agent.dataDir} (agent data and key)` +
        (samba ? `, ${samba.dir} (the DC's database, secrets and TLS key)` : ''),
      `                      ${values.keep ? 'kept after the demo (--keep)' : 'deleted when the demo stops, as is a data folder it made (--keep keeps them)'}`,
      '',
      'For the command line, paste this into another shell (in this folder): the CLI reads the Remote Agent, the',
      'Entra hosts and the emulator’s CA from the data folder’s Settings.',
      '',
      ...cliBlock({
        userDataDir,
        samba,
        entraAdmin: tenant?.users.find((user) => user.scenario === 'globalAdmin'),
      }),
      '',
      '(The CLI may write while the window is open; the window shows the change within a second.)',
      '',
      'Walk the procedure: New Connection... → Microsoft Active Directory, then → Microsoft Online; double-click it →',
      'Remote Agent → 1. Update Remote Agent → 2. Test AAD Connection → Update Agent in WE. Ctrl+C stops everything.',
      'These accounts exist only inside the emulator and this run.',
    ];
    say(lines.join('\n'));
    say('demo ready');
  } catch (error) {
    // A stop began during the start-up: it stops whatever was started, and ends the process.
    if (stopping) return;
    process.stderr.write(
      `The demo could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await stopAll(1);
  }
}

await main();
