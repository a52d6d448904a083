import type { ServeFlags } from './serve-flags';

// The Remote Agent as a systemd service: the unit file's text, and nothing that touches the system, so every
// line can be checked (and fed to systemd-analyze verify) without installing anything.

export const linuxServiceName = 'connection-utility-agent';
export const unitFileName = `${linuxServiceName}.service`;
export const unitPath = `/etc/systemd/system/${unitFileName}`;
/** The account the unit runs as unless --user names another: a system user of its own, nothing else's. */
export const defaultServiceUser = 'connection-utility-agent';

/** How the agent is started: the same runtime and entry as the command that installs it. */
export interface AgentLaunch {
  /** Absolute path of the runtime: Node, or the app's own Electron executable. */
  runtime: string;
  /** An Electron runtime runs as plain Node only with ELECTRON_RUN_AS_NODE=1. */
  runtimeIsElectron: boolean;
  /** Absolute path of the agent's entry: the bundled agent.mjs, or remote-agent/bin.mjs in a checkout. */
  entry: string;
}

/** What the service starts the agent with; the serve options as checkServeFlags returned them, when given. */
export interface ServiceSettings extends Partial<ServeFlags> {
  dataDir: string;
  port: number;
  host: string;
  user: string;
}

/** One option with its value; `--name=value` when the value starts with a dash, which would read as an option. */
const option = (name: string, value: string) =>
  value.startsWith('-') ? [`${name}=${value}`] : [name, value];

/** The options a service passes to the agent, in the order of its usage. */
export function serviceOptions(settings: Omit<ServiceSettings, 'user'>): string[] {
  return [
    ...['--data', settings.dataDir, '--port', String(settings.port), '--host', settings.host],
    ...(settings.tls ? ['--tls'] : []),
    ...(settings.tlsSans ?? []).flatMap((name) => option('--tls-san', name)),
    ...(settings.tlsCert && settings.tlsKey
      ? [...option('--tls-cert', settings.tlsCert), ...option('--tls-key', settings.tlsKey)]
      : []),
    ...(settings.insecureHttp ? ['--insecure-http'] : []),
    ...(settings.allowedHosts ?? []).flatMap((name) => option('--allowed-host', name)),
  ];
}

/** The agent's entry and its options, as a service starts it (after the runtime). */
export function agentArguments(launch: AgentLaunch, settings: Omit<ServiceSettings, 'user'>): string[] {
  return [launch.entry, ...serviceOptions(settings)];
}

/** Whether `text` holds a control character (newline, tab, NUL…), which no unit file or command line carries. */
export const hasControlCharacter = (text: string): boolean =>
  [...text].some((character) => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f);

/** Folders ProtectHome= covers. */
const homeFolders = ['/home', '/root', '/run/user'];
const underHome = (path: string) => homeFolders.some((home) => path === home || path.startsWith(`${home}/`));

/**
 * One word of a systemd setting: double-quoted unless plain, with `\` and `"` escaped for systemd's unquoting and
 * `%` doubled so no specifier is expanded. Arguments of ExecStart= also get `$` doubled (no variable
 * substitution); the executable must not, as systemd takes its path without substituting, and systemd refuses
 * an executable path holding a quote or a backslash whatever the escaping.
 */
export function systemdWord(value: string, role: 'executable' | 'path' | 'argument' = 'path'): string {
  if (hasControlCharacter(value))
    throw new Error(`${JSON.stringify(value)} holds a control character, which no unit file can carry.`);
  if (role === 'executable' && /["'\\]/.test(value))
    throw new Error(
      `systemd runs no program whose path holds a quote or a backslash: ${value}. ` +
        'Install the runtime under another folder and run this again.',
    );
  let escaped = value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%');
  if (role === 'argument') escaped = escaped.replaceAll('$', '$$$$');
  // Quotes only where a word needs them, so the usual ExecStart= stays readable.
  return /^[\w%$+=:,./@-]+$/.test(escaped) ? escaped : `"${escaped}"`;
}

/** Binding a port below 1024 takes CAP_NET_BIND_SERVICE; any other needs no capability at all. */
const privilegedPort = (port: number) => port > 0 && port < 1024;

/** Folders PrivateTmp= replaces with an empty one of the service's own. */
const underTmp = (path: string) =>
  ['/tmp', '/var/tmp'].some((tmp) => path === tmp || path.startsWith(`${tmp}/`));

/** The unit file for `launch` with `settings`, ending with a newline. Throws a sentence for a path systemd refuses. */
export function systemdUnit(launch: AgentLaunch, settings: ServiceSettings): string {
  for (const file of [settings.tlsCert, settings.tlsKey])
    if (file !== undefined && underTmp(file))
      throw new Error(
        `The service gets an empty /tmp and /var/tmp of its own (PrivateTmp=yes), so it would not find ${file}. ` +
          'Keep the certificate and key elsewhere (e.g. /etc/connection-utility-agent) and run this again.',
      );
  const execStart = [
    systemdWord(launch.runtime, 'executable'),
    ...agentArguments(launch, settings).map((word) => systemdWord(word, 'argument')),
  ].join(' ');
  const inHome = (
    [
      ['the data folder', settings.dataDir],
      ['the runtime', launch.runtime],
      ['the agent', launch.entry],
      ['the TLS certificate', settings.tlsCert],
      ['the TLS key', settings.tlsKey],
    ] as const
  )
    .filter(([, path]) => path !== undefined && underHome(path))
    .map(([what]) => what);
  const capability = privilegedPort(settings.port) ? 'CAP_NET_BIND_SERVICE' : '';
  return [
    '# Written by `connection-utility-agent service install`; remove it with `service uninstall`.',
    '[Unit]',
    'Description=Connection Utility Remote Agent',
    // A --host naming one address can only be bound once the network has brought it up.
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=exec',
    `User=${settings.user}`,
    ...(launch.runtimeIsElectron ? ['Environment=ELECTRON_RUN_AS_NODE=1'] : []),
    `ExecStart=${execStart}`,
    'SyslogIdentifier=connection-utility-agent',
    'Restart=on-failure',
    'RestartSec=5s',
    // The agent makes its files 0600 itself; this covers anything else it might create.
    'UMask=0077',
    '',
    '# Everything read-only but the data folder; no way to gain privileges; no devices, kernel knobs or',
    '# other processes. MemoryDenyWriteExecute= stays off: V8 compiles JavaScript to machine code as it runs.',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    ...(inHome.length
      ? [
          `# ProtectHome=read-only, not yes: ${inHome.join(' and ')} ${inHome.length > 1 ? 'lie' : 'lies'} under a`,
          '# home folder. yes would hide it, and systemd cannot reopen a path inside a hidden folder; read-only',
          '# keeps it visible, and ReadWritePaths= still makes the data folder writable inside it.',
          'ProtectHome=read-only',
        ]
      : ['ProtectHome=yes']),
    `ReadWritePaths=${systemdWord(settings.dataDir)}`,
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'PrivateMounts=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'ProtectProc=invisible',
    'RestrictSUIDSGID=yes',
    'RestrictRealtime=yes',
    'RestrictNamespaces=yes',
    'LockPersonality=yes',
    'RemoveIPC=yes',
    // AF_NETLINK: the C library asks the kernel for the host's addresses when resolving names.
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
    'SystemCallArchitectures=native',
    'SystemCallFilter=@system-service',
    // A call outside the filter fails with EPERM, which Node handles, rather than killing the agent.
    'SystemCallErrorNumber=EPERM',
    ...(capability
      ? [
          `# Port ${settings.port} is below 1024: binding it is the one privilege the agent keeps.`,
          `CapabilityBoundingSet=${capability}`,
          `AmbientCapabilities=${capability}`,
        ]
      : ['CapabilityBoundingSet=']),
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
