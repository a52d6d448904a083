import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEntraEmulator } from '../e2e/fixtures/entra-emulator/emulator';
import { defaultSeed } from '../e2e/fixtures/entra-emulator/seed';
import { startRemoteAgent } from '../e2e/fixtures/online-stack';
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
            `${cli} aad test --domain ${entraAdmin.upn.split('@')[1]} --user ${entraAdmin.upn} --password-stdin`,
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
  const stops: (() => Promise<unknown>)[] = [];
  const kept: string[] = [];
  /** A temporary folder of this run: removed when the demo stops, unless --keep. */
  const temporary = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    if (values.keep) kept.push(dir);
    else
      stops.push(async () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
    return dir;
  };
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('Stopping everything the demo started…');
    for (const stop of stops.reverse()) await stop().catch(() => {});
    if (kept.length > 0) say(`Kept (--keep): ${kept.join(', ')}`);
    process.exit(code);
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

  try {
    let samba: SambaDc | null = null;
    if (values['no-samba']) say('Samba: skipped (--no-samba).');
    else if (process.getuid?.() !== 0)
      say('Samba: skipped — starting an AD domain controller needs root (Debian).');
    else if (!ensureSystemPackages(sambaRequirements, (line) => say(`Samba: ${line}`)))
      say('Samba: not installed.');
    else {
      say('Starting a Samba AD DC on loopback (about 10 s)…');
      samba = await startSambaDc({
        realm: 'CONTOSO.TEST',
        adminPassword: `Adm1n-${randomBytes(6).toString('hex')}!`,
      });
      stops.push(() => samba?.stop() ?? Promise.resolve());
    }

    const emulatorDir = temporary('cu-demo-entra-');
    const emulator = await startEntraEmulator({ seed: defaultSeed, outDir: emulatorDir });
    stops.push(() => emulator.stop());
    const agent = await startRemoteAgent();
    if (values.keep) kept.push(agent.dataDir);
    stops.push(async () => {
      await agent.stop();
      if (!values.keep)
        rmSync(agent.dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    });

    const userDataDir = values['user-data'] ?? temporary('cu-demo-');
    const caPem = readFileSync(emulator.caFile, 'utf8');
    await writeSettings(
      userDataDir,
      SettingsSchema.parse({
        remoteAgent: { host: '127.0.0.1', port: agent.port, useTls: false },
        microsoftOnline: { cloud: 'global', authorityHost: emulator.url, graphHost: emulator.url, caPem },
      }),
    );
    const electron = findElectronBinary(root);
    if (!electron) {
      // The development host seals with the data folder's key file, so the key can be stored for it here.
      const stores = createConnectionStoreProvider({
        dir: userDataDir,
        vault: () => KeyFileVault.open(userDataDir),
      });
      await (await stores.forWriting()).saveAgentKey(
        agentBinding({ host: '127.0.0.1', port: agent.port, useTls: false }),
        agent.apiKey,
      );
      await stores.close();
    }

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
      const app: ChildProcess = spawn(electron, [root], {
        cwd: root,
        env: { ...process.env, CU_USER_DATA: userDataDir },
        stdio: 'inherit',
      });
      stops.push(async () => void app.kill('SIGTERM'));
      app.once('exit', () => void stopAll(0));
      opened = 'Electron';
    } else {
      const headless = values.headless || !process.env.DISPLAY;
      const host = await launchRendererHost({ userDataDir, headless });
      stops.push(() => host.close());
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
      `  Run folders:        ${emulatorDir} (emulator CA and keys), ${agent.dataDir} (agent data and key)`,
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
    process.stderr.write(
      `The demo could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await stopAll(1);
  }
}

await main();
