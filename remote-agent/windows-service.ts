import { type AgentLaunch, agentArguments, hasControlCharacter, type ServiceSettings } from './systemd-unit';

// The Remote Agent as a Windows service, as the lines an administrator runs: untested on Windows here, so the
// agent prints them (service install --print) rather than running them.
//
// ELECTRON_RUN_AS_NODE reaches the service through its registry value `Environment` (REG_MULTI_SZ, one
// NAME=value a line) under HKLM\SYSTEM\CurrentControlSet\Services\<name>: the Service Control Manager puts it in
// the environment of the process it starts. A wrapper script could not do it: cmd.exe cannot be a service either.

export const windowsServiceName = 'ConnectionUtilityAgent';
const displayName = 'Connection Utility Remote Agent';
const description =
  'Holds the Microsoft Online connections of the identity-management server and signs in with them.';
const registryKey = `HKLM\\SYSTEM\\CurrentControlSet\\Services\\${windowsServiceName}`;

/**
 * Characters cmd.exe acts on even inside the binPath= value (its escaped inner quotes switch cmd's quoting off
 * and on), so a path holding one cannot be pasted safely.
 */
const cmdSpecial = /[%!^&|<>"]/;

/** One argument as the Windows C runtime (and so Node, Electron and sc.exe) splits a command line. */
export function windowsArgument(value: string): string {
  if (value !== '' && !/[\s"]/.test(value)) return value;
  let quoted = '"';
  let backslashes = 0;
  for (const character of value) {
    if (character === '\\') {
      backslashes += 1;
      continue;
    }
    // Backslashes count only before a quote: doubled there, and the quote itself escaped.
    quoted +=
      character === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${character}`;
    backslashes = 0;
  }
  return `${quoted}${'\\'.repeat(backslashes * 2)}"`;
}

/** The first value that cmd.exe would mangle, or null when all can be pasted. */
export function unsafeForCmd(values: readonly string[]): string | null {
  return values.find((value) => cmdSpecial.test(value) || hasControlCharacter(value)) ?? null;
}

/** The command line the service runs: runtime, entry and the agent's options, serve options included. */
export function windowsServiceCommandLine(
  launch: AgentLaunch,
  settings: Omit<ServiceSettings, 'user'>,
): string {
  return [launch.runtime, ...agentArguments(launch, settings)].map(windowsArgument).join(' ');
}

/**
 * Without --user the service runs as LocalService, not sc.exe's own default LocalSystem: a network-facing service
 * that holds secrets gets the least account Windows has for it.
 */
export const windowsDefaultAccount = 'NT AUTHORITY\\LocalService';

/**
 * The lines that register, configure and start the service, for a Command Prompt run as administrator.
 * `account` is the sc.exe obj=.
 */
export function windowsInstallLines(
  launch: AgentLaunch,
  settings: Omit<ServiceSettings, 'user'>,
  account: string = windowsDefaultAccount,
): string[] {
  const create =
    `sc.exe create ${windowsServiceName} binPath= ${windowsArgument(windowsServiceCommandLine(launch, settings))} ` +
    `start= auto DisplayName= "${displayName}" obj= ${windowsArgument(account)}`;
  return [
    create,
    ...(launch.runtimeIsElectron
      ? [`reg.exe add "${registryKey}" /v Environment /t REG_MULTI_SZ /d "ELECTRON_RUN_AS_NODE=1" /f`]
      : []),
    `sc.exe description ${windowsServiceName} "${description}"`,
    // Restarted 5 s after each of the first two failures and a minute after later ones; the count resets daily.
    `sc.exe failure ${windowsServiceName} reset= 86400 actions= restart/5000/restart/5000/restart/60000`,
    // The service's account must read the admin's certificate and key, which an administrator's files may not let.
    ...(settings.tlsCert && settings.tlsKey
      ? [settings.tlsCert, settings.tlsKey].map(
          (file) => `icacls.exe ${windowsArgument(file)} /grant ${windowsArgument(`${account}:R`)}`,
        )
      : []),
    `sc.exe start ${windowsServiceName}`,
  ];
}

export const windowsUninstallLines = (): string[] => [
  `sc.exe stop ${windowsServiceName}`,
  `sc.exe delete ${windowsServiceName}`,
];

/**
 * What `--print` shows before the lines: where to run them, and the limit they share with every plain program
 * registered with sc.exe.
 */
export const windowsPreamble: readonly string[] = [
  'rem The Remote Agent as a Windows service. Run these lines in a Command Prompt opened as administrator',
  'rem (not PowerShell, which passes the quotes inside binPath= differently). Untested on Windows so far.',
  'rem Windows waits up to 30 s for a service program to report to the Service Control Manager; Node and the',
  "rem app's runtime never do, so sc.exe start ends in error 1053 unless a service host (e.g. WinSW or NSSM)",
  'rem runs the same command line. See "Running as a service" in docs/remote-agent.md.',
];
