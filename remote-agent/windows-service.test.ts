import { describe, expect, it } from 'vitest';
import { type AgentLaunch, serviceOptions } from './systemd-unit';
import {
  unsafeForCmd,
  windowsArgument,
  windowsInstallLines,
  windowsServiceCommandLine,
  windowsUninstallLines,
} from './windows-service';

// The sc.exe lines as an administrator pastes them. Checked here on Linux only: untested on Windows itself.

const launch: AgentLaunch = {
  runtime: String.raw`C:\Program Files\Connection Utility\Connection Utility.exe`,
  runtimeIsElectron: true,
  entry: String.raw`C:\Program Files\Connection Utility\resources\remote-agent\agent.mjs`,
};
const settings = {
  dataDir: String.raw`C:\ProgramData\Connection Utility Remote Agent`,
  port: 40002,
  host: '0.0.0.0',
};

/** How the Windows C runtime splits a command line into arguments (its documented rules), for round trips. */
function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inQuotes = false;
  let started = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line.charAt(index);
    if (character === '\\') {
      let count = 0;
      while (line.charAt(index) === '\\') {
        count += 1;
        index += 1;
      }
      if (line.charAt(index) === '"') {
        current += '\\'.repeat(Math.floor(count / 2));
        if (count % 2 === 1) current += '"';
        else inQuotes = !inQuotes;
      } else {
        current += '\\'.repeat(count);
        index -= 1;
      }
      started = true;
    } else if (character === '"') {
      inQuotes = !inQuotes;
      started = true;
    } else if (/\s/.test(character) && !inQuotes) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += character;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

describe('the Windows service lines', () => {
  it('creates the service with the exact sc.exe line for a runtime and data folder with spaces', () => {
    const [create] = windowsInstallLines(launch, settings);
    expect(create).toBe(
      String.raw`sc.exe create ConnectionUtilityAgent binPath= "\"C:\Program Files\Connection Utility\Connection Utility.exe\" \"C:\Program Files\Connection Utility\resources\remote-agent\agent.mjs\" --data \"C:\ProgramData\Connection Utility Remote Agent\" --port 40002 --host 0.0.0.0" start= auto DisplayName= "Connection Utility Remote Agent" obj= "NT AUTHORITY\LocalService"`,
    );
  });

  it('gives the Electron runtime ELECTRON_RUN_AS_NODE through the service’s Environment value, then describes, sets restarts and starts', () => {
    expect(windowsInstallLines(launch, settings).slice(1)).toEqual([
      String.raw`reg.exe add "HKLM\SYSTEM\CurrentControlSet\Services\ConnectionUtilityAgent" /v Environment /t REG_MULTI_SZ /d "ELECTRON_RUN_AS_NODE=1" /f`,
      'sc.exe description ConnectionUtilityAgent "Holds the Microsoft Online connections of the identity-management server and signs in with them."',
      'sc.exe failure ConnectionUtilityAgent reset= 86400 actions= restart/5000/restart/5000/restart/60000',
      'sc.exe start ConnectionUtilityAgent',
    ]);
  });

  it('sets no environment for Node, and runs as the given account', () => {
    const lines = windowsInstallLines(
      { ...launch, runtimeIsElectron: false },
      settings,
      'NT AUTHORITY\\LocalService',
    );
    expect(lines.join('\n')).not.toContain('ELECTRON_RUN_AS_NODE');
    expect(lines[0]).toMatch(/ obj= "NT AUTHORITY\\LocalService"$/);
  });

  it('the binPath= value comes apart into exactly the runtime, the entry and the options, both times it is split', () => {
    for (const [runtime, dataDir] of [
      [launch.runtime, settings.dataDir],
      ['C:\\node\\node.exe', 'C:\\'],
      [launch.runtime, 'C:\\data "x"\\trail\\'],
    ] as const) {
      const withPaths = { ...launch, runtime };
      const line = windowsInstallLines(withPaths, { ...settings, dataDir })[0] ?? '';
      const scArgs = splitCommandLine(line);
      expect(scArgs.slice(0, 4)).toEqual(['sc.exe', 'create', 'ConnectionUtilityAgent', 'binPath=']);
      expect(scArgs[4]).toBe(windowsServiceCommandLine(withPaths, { ...settings, dataDir }));
      expect(splitCommandLine(scArgs[4] ?? '')).toEqual([
        runtime,
        launch.entry,
        '--data',
        dataDir,
        '--port',
        '40002',
        '--host',
        '0.0.0.0',
      ]);
    }
  });

  it('carries every serve option into binPath=, repeated ones in order, Windows paths with spaces quoted', () => {
    const withFlags = {
      ...settings,
      tls: true,
      tlsSans: ['agent.corp.example', 'Agent Box', '10.0.0.5'],
      allowedHosts: ['agent.corp.example', '10.0.0.5'],
    };
    const [create] = windowsInstallLines(launch, withFlags);
    expect(create).toBe(
      String.raw`sc.exe create ConnectionUtilityAgent binPath= "\"C:\Program Files\Connection Utility\Connection Utility.exe\" \"C:\Program Files\Connection Utility\resources\remote-agent\agent.mjs\" --data \"C:\ProgramData\Connection Utility Remote Agent\" --port 40002 --host 0.0.0.0 --tls --tls-san agent.corp.example --tls-san \"Agent Box\" --tls-san 10.0.0.5 --allowed-host agent.corp.example --allowed-host 10.0.0.5" start= auto DisplayName= "Connection Utility Remote Agent" obj= "NT AUTHORITY\LocalService"`,
    );
    const withCertificate = {
      ...settings,
      tlsCert: String.raw`C:\ProgramData\Connection Utility Remote Agent\certs\agent cert.pem`,
      tlsKey: String.raw`C:\certs\agent.key`,
    };
    expect(windowsServiceCommandLine({ ...launch, runtime: 'C:\\node\\node.exe' }, withCertificate)).toBe(
      String.raw`C:\node\node.exe "C:\Program Files\Connection Utility\resources\remote-agent\agent.mjs" --data "C:\ProgramData\Connection Utility Remote Agent" --port 40002 --host 0.0.0.0 --tls-cert "C:\ProgramData\Connection Utility Remote Agent\certs\agent cert.pem" --tls-key C:\certs\agent.key`,
    );
    expect(windowsServiceCommandLine(launch, { ...settings, host: '127.0.0.1', insecureHttp: true })).toMatch(
      / --host 127\.0\.0\.1 --insecure-http$/,
    );
    // Both times the line is split (by sc.exe, then by the runtime), the options come out as they went in.
    for (const flags of [withFlags, withCertificate]) {
      const scArgs = splitCommandLine(windowsInstallLines(launch, flags)[0] ?? '');
      expect(splitCommandLine(scArgs[4] ?? '').slice(2)).toEqual(serviceOptions(flags));
    }
    expect(serviceOptions(withCertificate).slice(6)).toEqual([
      '--tls-cert',
      withCertificate.tlsCert,
      '--tls-key',
      withCertificate.tlsKey,
    ]);
  });

  it('with the admin’s certificate, lets the service’s account read it and its key before starting', () => {
    const tls = {
      ...settings,
      tlsCert: String.raw`C:\certs\agent cert.pem`,
      tlsKey: String.raw`C:\certs\agent.key`,
    };
    expect(windowsInstallLines(launch, tls).slice(-3)).toEqual([
      String.raw`icacls.exe "C:\certs\agent cert.pem" /grant "NT AUTHORITY\LocalService:R"`,
      String.raw`icacls.exe C:\certs\agent.key /grant "NT AUTHORITY\LocalService:R"`,
      'sc.exe start ConnectionUtilityAgent',
    ]);
    expect(windowsInstallLines(launch, tls, String.raw`.\agentsvc`).slice(-3, -1)).toEqual([
      String.raw`icacls.exe "C:\certs\agent cert.pem" /grant .\agentsvc:R`,
      String.raw`icacls.exe C:\certs\agent.key /grant .\agentsvc:R`,
    ]);
    expect(windowsInstallLines(launch, settings).join('\n')).not.toContain('icacls');
  });

  it('quotes an argument only when it must', () => {
    expect(windowsArgument('40002')).toBe('40002');
    expect(windowsArgument('C:\\a b\\')).toBe('"C:\\a b\\\\"');
    expect(windowsArgument('say "hi"')).toBe(String.raw`"say \"hi\""`);
    expect(windowsArgument('')).toBe('""');
  });

  it('removes the service by stopping then deleting it', () => {
    expect(windowsUninstallLines()).toEqual([
      'sc.exe stop ConnectionUtilityAgent',
      'sc.exe delete ConnectionUtilityAgent',
    ]);
  });

  it('flags a path the Command Prompt would act on', () => {
    expect(unsafeForCmd([launch.runtime, String.raw`C:\Program Files (x86)\x`])).toBeNull();
    expect(unsafeForCmd([launch.runtime, String.raw`C:\R&D\agent`])).toBe(String.raw`C:\R&D\agent`);
    expect(unsafeForCmd([String.raw`C:\100%\agent`])).toBe(String.raw`C:\100%\agent`);
  });
});
