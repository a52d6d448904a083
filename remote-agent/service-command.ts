import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join, posix, win32 } from 'node:path';
import { parseArgs } from 'node:util';
import { allowedHostName } from './allowed-hosts';
import { checkServeFlags, type ServeTransport, serveFlagOptions } from './serve-flags';
import {
  type AgentLaunch,
  defaultServiceUser,
  hasControlCharacter,
  linuxServiceName,
  type ServiceSettings,
  serviceOptions,
  systemdUnit,
  unitFileName,
  unitPath,
} from './systemd-unit';
import {
  unsafeForCmd,
  windowsInstallLines,
  windowsPreamble,
  windowsServiceName,
  windowsUninstallLines,
} from './windows-service';

// `agent service install|uninstall|status`: the agent started at boot by the system's service manager, with
// the same runtime and entry as the command that installs it. Everything that touches the system goes through
// ServiceSystem, so the steps and their order are tested without ever writing to /etc/systemd.

export const serviceCommandUsage =
  'Usage: agent service install --data DIR [--port 40002] [--host 127.0.0.1] [--user NAME] [--print]\n' +
  '                             [--tls] [--tls-san NAME]... [--tls-cert FILE --tls-key FILE]\n' +
  '                             [--insecure-http] [--allowed-host NAME]...\n' +
  '       agent service uninstall [--print]\n' +
  '       agent service status\n';

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

export interface CommandResult {
  status: number;
  output: string;
}

/** The system as the command sees it; hostSystem() is the real one. */
export interface ServiceSystem {
  platform: NodeJS.Platform;
  launch: AgentLaunch;
  /** Why the runtime cannot be started by a service (an AppImage's temporary mount); null when it can. */
  unstableRuntime: string | null;
  unitPath: string;
  isRoot(): boolean;
  hasSystemctl(): boolean;
  /** `show`: the output goes straight to the terminal (status), else it is returned. */
  systemctl(args: string[], show?: boolean): CommandResult;
  lookupUser(name: string): Account | null;
  /** Creates the data folder for `account`, or says why it cannot be used; null when ready. */
  prepareDataFolder(dir: string, account: Account): string | null;
  /** What `account` cannot reach of the runtime, the entry, the data folder and the TLS files; null when all. */
  unreachable(account: Account, dataDir: string, tlsFiles?: TlsFiles): string | null;
  unitExists(): boolean;
  writeUnit(text: string): void;
  removeUnit(): void;
}

/** --tls-cert and --tls-key, which the service's user must be able to read. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

type Request =
  | { action: 'help' }
  | {
      action: 'install';
      settings: ServiceSettings;
      transport: ServeTransport;
      userGiven: boolean;
      print: boolean;
    }
  | { action: 'uninstall'; print: boolean }
  | { action: 'status' };

/** Quoted for a POSIX shell, so a printed line can be pasted as it is (the default folder name has spaces). */
const shellWord = (text: string) =>
  /^[\w./:=@-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;

/** `agent service …`. Returns the exit code: 2 for a usage error, 1 when the system refuses. */
export function runServiceCommand(
  args: string[],
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
  system: ServiceSystem = hostSystem(),
): number {
  const request = parseRequest(args, system.platform);
  if (typeof request === 'string') {
    stderr.write(`${request}\n${serviceCommandUsage}`);
    return 2;
  }
  const say = (text: string) => stderr.write(`${text}\n`);
  switch (request.action) {
    case 'help':
      stdout.write(serviceCommandUsage);
      return 0;
    case 'install':
      if (system.platform === 'win32') return printWindowsInstall(request, system, stdout, say);
      if (system.platform !== 'linux') return unsupported(system.platform, say);
      return installLinux(request, system, stdout, say);
    case 'uninstall':
      if (system.platform === 'win32') {
        if (!request.print) return windowsPrintOnly('uninstall', say);
        stdout.write(`${[...windowsPreamble.slice(0, 2), ...windowsUninstallLines()].join('\n')}\n`);
        return 0;
      }
      if (system.platform !== 'linux') return unsupported(system.platform, say);
      return uninstallLinux(request.print, system, stdout, say);
    case 'status':
      if (system.platform === 'win32') {
        say(`On Windows, ask the Service Control Manager: sc.exe query ${windowsServiceName}`);
        return 1;
      }
      if (system.platform !== 'linux') return unsupported(system.platform, say);
      if (!system.hasSystemctl()) return noSystemctl(say);
      // 0 running, 3 stopped, 4 not installed: systemctl's own codes, for scripts.
      return system.systemctl(['status', '--no-pager', unitFileName], true).status;
  }
}

function parseRequest(args: string[], platform: NodeJS.Platform): Request | string {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  if (values.help) return { action: 'help' };
  if (rest.length) return `Unexpected argument: ${rest.join(' ')}`;
  const given = (
    [
      'data',
      'port',
      'host',
      'user',
      ...(Object.keys(serveFlagOptions) as (keyof typeof serveFlagOptions)[]),
    ] as const
  ).filter((name) => values[name] !== undefined && values[name] !== false);
  if (action === 'uninstall' || action === 'status') {
    if (given.length)
      return `service ${action} takes no --${given[0]}: it finds the installed service by name.`;
    if (action === 'status')
      return values.print ? 'service status takes no --print: it changes nothing anyway.' : { action };
    return { action, print: values.print === true };
  }
  if (action !== 'install')
    return action === undefined
      ? 'Say what to do: service install, service uninstall or service status.'
      : `Unknown service action "${action}": use install, uninstall or status.`;

  if (values.data === undefined)
    return (
      'service install needs --data DIR: the folder the service keeps its API key and connections in ' +
      '(e.g. /var/lib/connection-utility-agent).'
    );
  if (hasControlCharacter(values.data)) return '--data holds a control character: name another folder.';
  const port = values.port ?? '40002';
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
    return `--port must be 1-65535 for a service (a fixed port its clients can find), not ${port}.`;
  const host = allowedHostName(values.host ?? '127.0.0.1');
  if (host === null)
    return `--host takes an address or host name without port or scheme (e.g. 0.0.0.0), not ${values.host}.`;
  // The agent's own check, so the service refuses with the very sentence the agent would stop with at boot.
  const checked = checkServeFlags(host, values);
  if (typeof checked === 'string') return checked;
  const { flags, transport } = checked;
  for (const [name, value] of [
    ['--tls-cert', flags.tlsCert],
    ['--tls-key', flags.tlsKey],
    ...flags.tlsSans.map((san) => ['--tls-san', san] as const),
  ] as const)
    if (value !== undefined && hasControlCharacter(value))
      return `${name} holds a control character, which no service's command line carries: name another.`;
  const user = values.user ?? defaultServiceUser;
  const userPattern = platform === 'win32' ? /^[^"]+$/ : /^[a-z_][a-z0-9_-]{0,31}$/i;
  if (!userPattern.test(user) || hasControlCharacter(user))
    return `--user takes an account name (e.g. ${platform === 'win32' ? 'NT AUTHORITY\\LocalService' : defaultServiceUser}), not ${user}.`;
  const paths = platform === 'win32' ? win32 : posix;
  return {
    action: 'install',
    settings: {
      dataDir: paths.resolve(values.data),
      port: Number(port),
      host,
      user,
      ...flags,
      // The service starts in another folder than this command: relative paths are this command's.
      ...(flags.tlsCert && flags.tlsKey
        ? { tlsCert: paths.resolve(flags.tlsCert), tlsKey: paths.resolve(flags.tlsKey) }
        : {}),
    },
    transport,
    userGiven: values.user !== undefined,
    print: values.print === true,
  };
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      user: { type: 'string' },
      ...serveFlagOptions,
      print: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
}

function installLinux(
  request: Extract<Request, { action: 'install' }>,
  system: ServiceSystem,
  stdout: NodeJS.WritableStream,
  say: (text: string) => void,
): number {
  const { settings } = request;
  if (system.unstableRuntime) {
    say(system.unstableRuntime);
    return 1;
  }
  let unit: string;
  try {
    unit = systemdUnit(system.launch, settings);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    return 1;
  }
  if (request.print) {
    stdout.write(unit);
    if (!system.lookupUser(settings.user)) say(`Before installing: ${missingUser(settings.user)}`);
    return 0;
  }
  if (!system.hasSystemctl()) return noSystemctl(say);
  if (!system.isRoot()) {
    const again = [
      'sudo connection-utility-agent service install',
      ...serviceOptions(settings),
      ...(request.userGiven ? ['--user', settings.user] : []),
    ]
      .map((word, index) => (index === 0 ? word : shellWord(word)))
      .join(' ');
    say(`Installing the service writes ${system.unitPath} and needs root: run ${again}`);
    return 1;
  }
  const account = system.lookupUser(settings.user);
  if (!account) {
    say(`The service was not installed: ${missingUser(settings.user)} Then run this again.`);
    return 1;
  }
  const tlsFiles =
    settings.tlsCert && settings.tlsKey
      ? { certFile: settings.tlsCert, keyFile: settings.tlsKey }
      : undefined;
  const refusal =
    system.prepareDataFolder(settings.dataDir, account) ??
    system.unreachable(account, settings.dataDir, tlsFiles);
  if (refusal) {
    say(`The service was not installed: ${refusal}`);
    return 1;
  }
  // A running service keeps its old command line through enable --now: a replaced unit takes a restart.
  const replacing = system.unitExists();
  system.writeUnit(unit);
  const steps = [
    ['daemon-reload'],
    ['enable', '--now', unitFileName],
    ...(replacing ? [['restart', unitFileName]] : []),
  ];
  for (const step of steps) {
    const result = system.systemctl(step);
    if (result.status !== 0) {
      say(
        `systemctl ${step.join(' ')} failed (exit ${result.status}): ${result.output.trim()}\n` +
          `${system.unitPath} is written; see journalctl -u ${linuxServiceName}, fix it and run this again.`,
      );
      return 1;
    }
  }
  const data = shellWord(settings.dataDir);
  const { transport } = request;
  stdout.write(
    `${replacing ? 'Replaced' : 'Installed'} ${system.unitPath} and ${replacing ? 're' : ''}started it: the agent runs as ${account.name} on ` +
      `${settings.host}:${settings.port}, now and at every boot.\n` +
      `Its log: journalctl -u ${linuxServiceName} (and ${join(settings.dataDir, 'logs')}).\n` +
      `Its API key, once it has started: sudo connection-utility-agent key show --data ${data}\n` +
      (transport.scheme !== 'https'
        ? ''
        : transport.certificate === 'generated'
          ? `Its certificate's fingerprint: sudo connection-utility-agent fingerprint --data ${data}\n`
          : `Its certificate is ${settings.tlsCert}: its fingerprint is in the agent's start-up line in the journal.\n`),
  );
  return 0;
}

function uninstallLinux(
  print: boolean,
  system: ServiceSystem,
  stdout: NodeJS.WritableStream,
  say: (text: string) => void,
): number {
  if (print) {
    stdout.write(
      `systemctl disable --now ${unitFileName}\nrm -f ${shellWord(system.unitPath)}\nsystemctl daemon-reload\n`,
    );
    return 0;
  }
  if (!system.hasSystemctl()) return noSystemctl(say);
  if (!system.isRoot()) {
    say(
      `Removing the service deletes ${system.unitPath} and needs root: run sudo connection-utility-agent service uninstall`,
    );
    return 1;
  }
  if (!system.unitExists()) {
    stdout.write(`There is no ${linuxServiceName} service to remove (no ${system.unitPath}).\n`);
    return 0;
  }
  const stopped = system.systemctl(['disable', '--now', unitFileName]);
  if (stopped.status !== 0) {
    say(
      `systemctl disable --now ${unitFileName} failed (exit ${stopped.status}): ${stopped.output.trim()}\n` +
        `Nothing was removed; stop it with systemctl stop ${linuxServiceName} and run this again.`,
    );
    return 1;
  }
  system.removeUnit();
  const reloaded = system.systemctl(['daemon-reload']);
  if (reloaded.status !== 0)
    say(`systemctl daemon-reload failed: ${reloaded.output.trim()} Run it yourself.`);
  stdout.write(
    `Stopped and removed the ${linuxServiceName} service. Its data folder (API key, connections, logs) stays ` +
      'where it was: delete it yourself if no agent will use it again.\n',
  );
  return reloaded.status === 0 ? 0 : 1;
}

function printWindowsInstall(
  request: Extract<Request, { action: 'install' }>,
  system: ServiceSystem,
  stdout: NodeJS.WritableStream,
  say: (text: string) => void,
): number {
  if (!request.print) return windowsPrintOnly('install', say);
  const { launch } = system;
  const { settings } = request;
  const account = request.userGiven ? settings.user : undefined;
  const cmdActsOn = 'holds a character the Command Prompt would act on (% ! ^ & | < > ")';
  const unsafe = unsafeForCmd([
    launch.runtime,
    launch.entry,
    settings.dataDir,
    ...(account ? [account] : []),
    ...(settings.tlsCert && settings.tlsKey ? [settings.tlsCert, settings.tlsKey] : []),
  ]);
  if (unsafe !== null) {
    say(
      `${unsafe} ${cmdActsOn}: install the app, or choose the data folder and the certificate files, under ` +
        'a path without one.',
    );
    return 1;
  }
  const unsafeName = unsafeForCmd(settings.tlsSans ?? []);
  if (unsafeName !== null) {
    say(`--tls-san ${unsafeName} ${cmdActsOn}: name the host without it.`);
    return 1;
  }
  stdout.write(`${[...windowsPreamble, ...windowsInstallLines(launch, settings, account)].join('\n')}\n`);
  return 0;
}

function windowsPrintOnly(action: 'install' | 'uninstall', say: (text: string) => void): number {
  say(
    `On Windows, service ${action} only prints the commands: run connection-utility-agent service ${action} ` +
      '--print (with the same options) and run its lines in a Command Prompt opened as administrator.',
  );
  return 1;
}

function unsupported(platform: NodeJS.Platform, say: (text: string) => void): number {
  say(
    `The service commands know systemd (Linux) and print sc.exe lines for Windows; on ${platform}, have your ` +
      'service manager run the agent with --data, --port, --host and its serve options (docs/remote-agent.md).',
  );
  return 1;
}

function noSystemctl(say: (text: string) => void): number {
  say(
    'systemctl was not found: this host does not run systemd. Have its own service manager start the agent, ' +
      'using the unit that service install --print shows as the model.',
  );
  return 1;
}

const missingUser = (user: string) =>
  `there is no user ${user} for the service to run as. Create it with ` +
  `"useradd --system --no-create-home --shell /usr/sbin/nologin ${user}", or name another with --user.`;

/** The real system: this process's runtime and entry, systemctl, the user database and the file system. */
export function hostSystem(): ServiceSystem {
  // From source the entry is bin.mjs, which loads the TypeScript itself; bundled, it is agent.mjs, this file.
  const entry = import.meta.filename.endsWith('.ts')
    ? join(import.meta.dirname, 'bin.mjs')
    : import.meta.filename;
  const launch: AgentLaunch = {
    runtime: process.execPath,
    runtimeIsElectron: process.versions.electron !== undefined,
    entry,
  };
  const runtimeEnv = launch.runtimeIsElectron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  return {
    platform: process.platform,
    launch,
    unstableRuntime:
      process.env.APPIMAGE || /\/\.mount_[^/]+\//.test(launch.runtime)
        ? `The runtime ${launch.runtime} lives in the AppImage's temporary mount, gone once the app closes. ` +
          'Install the .deb instead, or copy resources/remote-agent out of the app and run ' +
          'node agent.mjs service install … with Node ^22.16.0 || >=24.0.0.'
        : null,
    unitPath,
    isRoot: () => process.getuid?.() === 0,
    hasSystemctl: () =>
      [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin'].some((folder) => {
        try {
          accessSync(join(folder, 'systemctl'), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
    systemctl: (args, show = false) => {
      const result = spawnSync('systemctl', args, { encoding: 'utf8', stdio: show ? 'inherit' : 'pipe' });
      return {
        status: result.status ?? 1,
        output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`,
      };
    },
    lookupUser,
    prepareDataFolder,
    unreachable: (account, dataDir, tlsFiles) => unreachable(launch, runtimeEnv, account, dataDir, tlsFiles),
    unitExists: () => existsSync(unitPath),
    writeUnit: (text) => writeFileSync(unitPath, text, { mode: 0o644 }),
    removeUnit: () => rmSync(unitPath, { force: true }),
  };
}

/** The account from the user database (getent also asks LDAP and the like), else from /etc/passwd. */
export function lookupUser(name: string): Account | null {
  const getent = spawnSync('getent', ['passwd', name], { encoding: 'utf8' });
  const lines = getent.error ? readFileSync('/etc/passwd', 'utf8') : getent.stdout;
  for (const line of lines.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined)
      return { name, uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

export function prepareDataFolder(dir: string, account: Account): string | null {
  const handOver = () => {
    chownSync(dir, account.uid, account.gid);
    chmodSync(dir, 0o700);
    return null;
  };
  if (!existsSync(dir)) {
    // The folders above stay open to traverse; only the data folder itself is private.
    mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
    mkdirSync(dir, { mode: 0o700 });
    return handOver();
  }
  const stats = statSync(dir);
  if (!stats.isDirectory()) return `${dir} is not a folder: name another with --data.`;
  if (stats.uid === account.uid) return null;
  if (readdirSync(dir).length === 0) return handOver();
  return (
    `the data folder ${dir} belongs to another user (uid ${stats.uid}), so ${account.name} could not use its ` +
    `API key. Hand it over with "chown -R ${account.name}: ${shellWord(dir)}" and run this again.`
  );
}

/**
 * Runs the runtime itself as `account`, as systemd will, to check it can read the entry and the TLS files and use
 * the data folder. Unix permissions only: the unit's sandbox hides nothing these need.
 */
export function unreachable(
  launch: AgentLaunch,
  runtimeEnv: NodeJS.ProcessEnv,
  account: Account,
  dataDir: string,
  tlsFiles?: TlsFiles,
): string | null {
  // Exit 3: the path it prints cannot be reached; 4: it is not there at all.
  const probe =
    "const fs = require('node:fs'); const [entry, data, ...tls] = process.argv.slice(1);" +
    'for (const [path, mode] of [[entry, fs.constants.R_OK], [data, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK],' +
    '  ...tls.map((file) => [file, fs.constants.R_OK])])' +
    "  try { fs.accessSync(path, mode); } catch (e) { process.stdout.write(path); process.exit(e.code === 'ENOENT' ? 4 : 3); }";
  const tls = tlsFiles ? [tlsFiles.certFile, tlsFiles.keyFile] : [];
  const result = spawnSync(launch.runtime, ['-e', probe, launch.entry, dataDir, ...tls], {
    uid: account.uid,
    gid: account.gid,
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...runtimeEnv },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status === 0) return null;
  const what = result.status === 3 || result.status === 4 ? result.stdout : launch.runtime;
  if (tlsFiles && (what === tlsFiles.certFile || what === tlsFiles.keyFile))
    return tlsFileRefusal(account, what, what === tlsFiles.keyFile, result.status === 4);
  return (
    `${account.name} cannot reach ${what}: give it read access to the app and to every folder above it ` +
    '(or install the app under /opt), and choose a data folder it can reach.'
  );
}

/** Why the service could not read --tls-cert or --tls-key, with the line that lets it. */
function tlsFileRefusal(account: Account, file: string, isKey: boolean, missing: boolean): string {
  const option = isKey ? '--tls-key' : '--tls-cert';
  if (missing)
    return `there is no file ${file} (${option}): name the one that holds the ${isKey ? 'key' : 'certificate'}.`;
  const path = shellWord(file);
  // The key stays private to the service's user; the certificate is public.
  const handOver = isKey ? `chown ${account.name}: ${path} && chmod 0600 ${path}` : `chmod 0644 ${path}`;
  return (
    `${account.name} cannot read ${file} (${option}). Let it with "${handOver}" (and let it enter every ` +
    'folder above it), and run this again.'
  );
}
