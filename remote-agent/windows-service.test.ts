import { describe, expect, it } from 'vitest';
import type { AgentLaunch } from './systemd-unit';
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
