import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, win32 } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runAgentCommand } from './fixtures/agent-process';
import {
  type Account,
  type CommandResult,
  lookupUser,
  prepareDataFolder,
  runServiceCommand,
  type ServiceSystem,
  serviceCommandUsage,
  unreachable,
} from './service-command';
import { type AgentLaunch, systemdUnit, unitFileName, unitPath } from './systemd-unit';
import { windowsInstallLines, windowsPreamble } from './windows-service';

// `agent service …`: through the real command line for what changes nothing (--print, usage errors), and with
// a recording stand-in for the system for the steps that would install: no test writes to /etc/systemd.

const scratch = () => mkdtempSync(join(tmpdir(), 'cu-agent-service-'));

/** systemd's own check of a unit as `service install --print` wrote it. */
function expectSystemdAccepts(unit: string): void {
  const folder = scratch();
  writeFileSync(join(folder, unitFileName), unit);
  const verify = spawnSync('systemd-analyze', ['verify', '--man=no', join(folder, unitFileName)], {
    encoding: 'utf8',
  });
  expect({ status: verify.status, stderr: verify.stderr }).toEqual({ status: 0, stderr: '' });
}
const entry = join(import.meta.dirname, 'bin.mjs');
const launch: AgentLaunch = { runtime: process.execPath, runtimeIsElectron: false, entry };
const agentAccount: Account = { name: 'connection-utility-agent', uid: 990, gid: 990 };

interface Recorded {
  system: ServiceSystem;
  calls: string[];
  unit: () => string | undefined;
}

/** A system that records what the command does to it; `overrides` play the refusals. */
function recordingSystem(
  overrides: Partial<ServiceSystem> = {},
  unitFile = join(scratch(), unitFileName),
): Recorded {
  const calls: string[] = [];
  let installed = false;
  const system: ServiceSystem = {
    platform: 'linux',
    launch,
    unstableRuntime: null,
    unitPath: unitFile,
    isRoot: () => true,
    hasSystemctl: () => true,
    systemctl: (args, show): CommandResult => {
      calls.push(`systemctl ${args.join(' ')}${show ? ' (shown)' : ''}`);
      return { status: 0, output: '' };
    },
    lookupUser: (name) => (name === agentAccount.name || name === 'svc' ? { ...agentAccount, name } : null),
    prepareDataFolder: (dir) => {
      calls.push(`prepare ${dir}`);
      return null;
    },
    unreachable: () => null,
    unitExists: () => installed || existsSync(unitFile),
    writeUnit: (text) => {
      calls.push('write unit');
      writeFileSync(unitFile, text);
      installed = true;
    },
    removeUnit: () => {
      calls.push('remove unit');
    },
    ...overrides,
  };
  return { system, calls, unit: () => (existsSync(unitFile) ? readFileSync(unitFile, 'utf8') : undefined) };
}

function run(args: string[], system: ServiceSystem): { status: number; stdout: string; stderr: string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  err.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const status = runServiceCommand(args, out, err, system);
  return { status, stdout, stderr };
}

describe('agent service install --print, through the real command line', () => {
  it('prints exactly the unit for this runtime and entry, which systemd accepts, and changes nothing', () => {
    const dataDir = join(scratch(), 'Connection Utility Remote Agent');
    const unitBefore = existsSync(unitPath);
    const result = runAgentCommand([
      'service',
      'install',
      '--print',
      '--data',
      dataDir,
      '--port',
      '8443',
      '--host',
      '0.0.0.0',
      '--user',
      'root',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(systemdUnit(launch, { dataDir, port: 8443, host: '0.0.0.0', user: 'root' }));
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(unitPath)).toBe(unitBefore);

    expectSystemdAccepts(result.stdout);
  });

  it('carries the serve options into ExecStart, each --allowed-host as the agent compares it', () => {
    const dataDir = join(scratch(), 'Connection Utility Remote Agent');
    const result = runAgentCommand([
      'service',
      'install',
      '--print',
      '--data',
      dataDir,
      '--host',
      '0.0.0.0',
      '--tls',
      '--tls-san',
      'agent.corp.example',
      '--tls-san',
      'Agent Box',
      '--allowed-host',
      'Agent.Corp.Example',
      '--allowed-host',
      '[::1]',
      '--user',
      'root',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      systemdUnit(launch, {
        dataDir,
        port: 40002,
        host: '0.0.0.0',
        user: 'root',
        tls: true,
        tlsSans: ['agent.corp.example', 'Agent Box'],
        allowedHosts: ['agent.corp.example', '::1'],
      }),
    );
    expect(result.stdout.split('\n')).toContain(
      `ExecStart=${process.execPath} ${entry} --data "${dataDir}" --port 40002 --host 0.0.0.0 --tls ` +
        '--tls-san agent.corp.example --tls-san "Agent Box" --allowed-host agent.corp.example --allowed-host ::1',
    );
    expectSystemdAccepts(result.stdout);
  });

  it('refuses each contradictory serve option with the very sentence the agent stops with, before installing', () => {
    const insecure = '--insecure-http cannot go with --tls or --tls-cert';
    const together = '--tls-cert and --tls-key go together';
    const san = "--tls-san names the agent's own certificate: it goes with --tls, not --tls-cert";
    const certificate = ['--tls-cert', '/etc/cu/agent.crt', '--tls-key', '/etc/cu/agent.key'];
    const agentData = scratch();
    for (const [flags, sentence] of [
      [['--host', '0.0.0.0', '--tls', '--insecure-http'], insecure],
      [['--host', '0.0.0.0', ...certificate, '--insecure-http'], insecure],
      [['--tls-cert', '/etc/cu/agent.crt'], together],
      [['--tls', '--tls-key', '/etc/cu/agent.key'], together],
      [[...certificate, '--tls-san', 'agent.corp.example'], san],
      [['--tls-san', 'agent.corp.example'], san],
      [['--host', '0.0.0.0', '--insecure-http', '--tls-san', 'agent.corp.example'], san],
      [
        ['--allowed-host', 'http://agent.corp.example'],
        '--allowed-host takes a host name without port or scheme: http://agent.corp.example',
      ],
      [
        ['--allowed-host', 'agent.corp.example', '--allowed-host', 'agent.corp.example:443'],
        '--allowed-host takes a host name without port or scheme: agent.corp.example:443',
      ],
    ] as const) {
      const agent = runAgentCommand([...flags, '--port', '0', '--data', agentData]);
      expect({ status: agent.status, said: agent.stderr.split('\n')[0] }, flags.join(' ')).toEqual({
        status: 2,
        said: sentence,
      });
      const recorded = recordingSystem();
      const service = run(['install', '--data', '/srv/a', ...flags], recorded.system);
      expect(service, flags.join(' ')).toEqual({
        status: 2,
        stdout: '',
        stderr: `${sentence}\n${serviceCommandUsage}`,
      });
      expect(recorded.calls).toEqual([]);
    }
    // Nine real agents, each refusing before it binds.
  }, 60_000);

  it('names the usage error and exits 2 for missing --data, a bad port or an unknown action', () => {
    for (const [args, sentence] of [
      [['service', 'install', '--print'], 'service install needs --data DIR'],
      [['service', 'install', '--print', '--data', '/srv/a', '--port', '0'], '--port must be 1-65535'],
      [['service', 'restart'], 'Unknown service action "restart"'],
      [['service', 'install', '--data', '/srv/a', '--bogus'], "Unknown option '--bogus'"],
    ] as const) {
      const result = runAgentCommand(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(sentence);
      expect(result.stderr).toContain('Usage: agent service install --data DIR');
      expect(result.stdout).toBe('');
    }
  });
});

describe('agent service arguments', () => {
  it('refuses, with exit 2 and a sentence, what no service can use', () => {
    const { system, calls } = recordingSystem();
    for (const [args, sentence] of [
      [['install', '--data', '/srv/a', '--port', '70000'], '--port must be 1-65535'],
      [['install', '--data', '/srv/a', '--port', 'http'], '--port must be 1-65535'],
      [['install', '--data', '/srv/a', '--host', 'http://agent:1'], '--host takes an address or host name'],
      [['install', '--data', '/srv/a', '--user', 'bad user'], '--user takes an account name'],
      [['install', '--data', '/srv/a\nb'], '--data holds a control character'],
      [['uninstall', '--data', '/srv/a'], 'service uninstall takes no --data'],
      [['uninstall', '--tls'], 'service uninstall takes no --tls: it finds the installed service by name.'],
      [['status', '--allowed-host', 'a'], 'service status takes no --allowed-host'],
      [
        ['install', '--data', '/srv/a', '--tls', '--tls-san', 'a\tb'],
        "--tls-san holds a control character, which no service's command line carries: name another.",
      ],
      [
        ['install', '--data', '/srv/a', '--tls-cert', '/etc/a\nb', '--tls-key', '/etc/k'],
        "--tls-cert holds a control character, which no service's command line carries: name another.",
      ],
      [['status', '--print'], 'service status takes no --print'],
      [['install', 'now', '--data', '/srv/a'], 'Unexpected argument: now'],
      [[], 'Say what to do'],
    ] as const) {
      const result = run([...args], system);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(sentence);
      expect(result.stdout).toBe('');
    }
    expect(calls).toEqual([]);
  });

  it('--help shows the usage and exits 0', () => {
    const result = run(['--help'], recordingSystem().system);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toContain('agent service uninstall [--print]');
  });
});

describe('agent service install on Linux', () => {
  it('writes the unit, reloads systemd, then enables and starts it, and says where the key is', () => {
    const recorded = recordingSystem();
    const result = run(['install', '--data', '/srv/agent data', '--host', '0.0.0.0'], recorded.system);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(recorded.calls).toEqual([
      'prepare /srv/agent data',
      'write unit',
      'systemctl daemon-reload',
      `systemctl enable --now ${unitFileName}`,
    ]);
    expect(recorded.unit()).toBe(
      systemdUnit(launch, {
        dataDir: '/srv/agent data',
        port: 40002,
        host: '0.0.0.0',
        user: 'connection-utility-agent',
      }),
    );
    expect(result.stdout).toContain("sudo connection-utility-agent key show --data '/srv/agent data'");
    // Beyond loopback the agent serves HTTPS with its own certificate: the admin needs its fingerprint.
    expect(result.stdout).toContain("sudo connection-utility-agent fingerprint --data '/srv/agent data'");
    expect(result.stdout).toContain('journalctl -u connection-utility-agent');
  });

  it('with the admin’s certificate: carries it, checks the service user can read it, says where its fingerprint is', () => {
    const recorded = recordingSystem({
      unreachable: (account, dataDir, tlsFiles) => {
        recorded.calls.push(`reach ${account.name} ${dataDir} ${tlsFiles?.certFile} ${tlsFiles?.keyFile}`);
        return null;
      },
    });
    const result = run(
      [
        'install',
        '--data',
        '/srv/a',
        '--host',
        'agent.corp.example',
        '--tls-cert',
        '/etc/cu/agent cert.pem',
        '--tls-key',
        '/etc/cu/agent.key',
        '--allowed-host',
        'agent.corp.example',
      ],
      recorded.system,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(recorded.calls.slice(0, 3)).toEqual([
      'prepare /srv/a',
      'reach connection-utility-agent /srv/a /etc/cu/agent cert.pem /etc/cu/agent.key',
      'write unit',
    ]);
    expect(recorded.unit()?.split('\n')).toContain(
      `ExecStart=${process.execPath} ${entry} --data /srv/a --port 40002 --host agent.corp.example ` +
        '--tls-cert "/etc/cu/agent cert.pem" --tls-key /etc/cu/agent.key --allowed-host agent.corp.example',
    );
    expect(result.stdout).toContain(
      "Its certificate is /etc/cu/agent cert.pem: its fingerprint is in the agent's start-up line in the journal.",
    );
    expect(result.stdout).not.toContain('fingerprint --data');
  });

  it('names the fingerprint command only when the agent serves HTTPS with its own certificate', () => {
    const said = (...flags: string[]) =>
      run(['install', '--data', '/srv/a', ...flags], recordingSystem().system);
    const own = said('--tls');
    expect(own.status).toBe(0);
    expect(own.stdout).toContain('sudo connection-utility-agent fingerprint --data /srv/a');
    const plain = said('--host', '0.0.0.0', '--insecure-http');
    expect(plain.status).toBe(0);
    expect(plain.stdout).not.toContain('certificate');
  });

  it('refuses the service user’s unreadable key before writing the unit', () => {
    const recorded = recordingSystem({
      unreachable: (_account, _dataDir, tlsFiles) => `cannot read ${tlsFiles?.keyFile} (--tls-key)`,
    });
    const result = run(
      ['install', '--data', '/srv/a', '--tls-cert', '/etc/cu/a.crt', '--tls-key', '/etc/cu/a.key'],
      recorded.system,
    );
    expect(result).toMatchObject({
      status: 1,
      stderr: 'The service was not installed: cannot read /etc/cu/a.key (--tls-key)\n',
    });
    expect(recorded.unit()).toBeUndefined();
  });

  it('replacing an installed unit restarts the service, so the new settings take effect', () => {
    const recorded = recordingSystem();
    expect(run(['install', '--data', '/srv/a'], recorded.system).status).toBe(0);
    recorded.calls.length = 0;
    const again = run(['install', '--data', '/srv/a', '--port', '40010'], recorded.system);
    expect(again.status).toBe(0);
    expect(recorded.calls).toEqual([
      'prepare /srv/a',
      'write unit',
      'systemctl daemon-reload',
      `systemctl enable --now ${unitFileName}`,
      `systemctl restart ${unitFileName}`,
    ]);
    expect(recorded.unit()).toContain('--port 40010');
    expect(again.stdout).toMatch(/^Replaced .* and restarted it/);
  });

  it('without root: the sudo line to run, nothing written', () => {
    const recorded = recordingSystem({ isRoot: () => false });
    const result = run(
      ['install', '--data', '/srv/agent data', '--port', '8080', '--user', 'svc'],
      recorded.system,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "needs root: run sudo connection-utility-agent service install --data '/srv/agent data' --port 8080 " +
        '--host 127.0.0.1 --user svc',
    );
    expect(recorded.calls).toEqual([]);
    expect(recorded.unit()).toBeUndefined();
  });

  it('without root: the sudo line carries the serve options, quoted for the shell', () => {
    const recorded = recordingSystem({ isRoot: () => false });
    const result = run(
      [
        'install',
        '--data',
        '/srv/a',
        '--host',
        '0.0.0.0',
        '--tls',
        '--tls-san',
        'Agent Box',
        '--tls-san=-odd',
        '--allowed-host',
        'agent.corp.example',
        '--allowed-host',
        '10.0.0.5',
      ],
      recorded.system,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'needs root: run sudo connection-utility-agent service install --data /srv/a --port 40002 --host 0.0.0.0 ' +
        "--tls --tls-san 'Agent Box' --tls-san=-odd --allowed-host agent.corp.example --allowed-host 10.0.0.5\n",
    );
    const withCertificate = run(
      ['install', '--data', '/srv/a', '--tls-cert', "/etc/o'brien/a.crt", '--tls-key', '/etc/cu/a.key'],
      recorded.system,
    );
    expect(withCertificate.stderr).toContain(
      "--host 127.0.0.1 --tls-cert '/etc/o'\\''brien/a.crt' --tls-key /etc/cu/a.key\n",
    );
    expect(recorded.calls).toEqual([]);
  });

  it('without systemctl: says so and what to do instead, nothing written', () => {
    const recorded = recordingSystem({ hasSystemctl: () => false });
    const result = run(['install', '--data', '/srv/a'], recorded.system);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^systemctl was not found: this host does not run systemd\. .*--print/);
    expect(recorded.calls).toEqual([]);
  });

  it('without the service user: the useradd line to create it, nothing written', () => {
    const recorded = recordingSystem({ lookupUser: () => null });
    const result = run(['install', '--data', '/srv/a'], recorded.system);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'there is no user connection-utility-agent for the service to run as. Create it with ' +
        '"useradd --system --no-create-home --shell /usr/sbin/nologin connection-utility-agent"',
    );
    expect(recorded.unit()).toBeUndefined();
  });

  it('--print with a missing user still prints the unit, and says to create the user first', () => {
    const recorded = recordingSystem({ lookupUser: () => null });
    const result = run(['install', '--print', '--data', '/srv/a'], recorded.system);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('User=connection-utility-agent');
    expect(result.stderr).toMatch(/^Before installing: there is no user connection-utility-agent/);
    expect(recorded.calls).toEqual([]);
  });

  it('stops before writing when the data folder or the program is out of the user’s reach', () => {
    for (const overrides of [
      { prepareDataFolder: () => 'the data folder /srv/a belongs to another user' },
      { unreachable: () => 'connection-utility-agent cannot reach /srv/a' },
    ]) {
      const recorded = recordingSystem(overrides);
      const result = run(['install', '--data', '/srv/a'], recorded.system);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^The service was not installed: .*\/srv\/a/);
      expect(recorded.unit()).toBeUndefined();
    }
  });

  it('reports a failing systemctl with its output and where to look', () => {
    const recorded = recordingSystem({
      systemctl: (args) => ({ status: args[0] === 'enable' ? 1 : 0, output: 'Failed to enable unit' }),
    });
    const result = run(['install', '--data', '/srv/a'], recorded.system);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'systemctl enable --now connection-utility-agent.service failed (exit 1)',
    );
    expect(result.stderr).toContain('journalctl -u connection-utility-agent');
  });

  it('refuses a runtime in an AppImage mount, which is gone once the app closes', () => {
    const recorded = recordingSystem({ unstableRuntime: 'The runtime lives in the AppImage mount.' });
    const result = run(['install', '--print', '--data', '/srv/a'], recorded.system);
    expect(result).toMatchObject({
      status: 1,
      stdout: '',
      stderr: 'The runtime lives in the AppImage mount.\n',
    });
  });

  it('refuses a runtime systemd would not run, with the reason', () => {
    const recorded = recordingSystem({ launch: { ...launch, runtime: "/opt/o'brien/node" } });
    const result = run(['install', '--print', '--data', '/srv/a'], recorded.system);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('systemd runs no program whose path holds a quote or a backslash');
  });
});

describe('agent service uninstall and status on Linux', () => {
  it('--print lists what it would run and runs nothing', () => {
    const recorded = recordingSystem();
    const result = run(['uninstall', '--print'], recorded.system);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      `systemctl disable --now ${unitFileName}\nrm -f ${recorded.system.unitPath}\nsystemctl daemon-reload\n`,
    );
    expect(recorded.calls).toEqual([]);
  });

  it('stops and disables, removes the unit, then reloads systemd; the data folder stays', () => {
    const recorded = recordingSystem({ unitExists: () => true });
    const result = run(['uninstall'], recorded.system);
    expect(result.status).toBe(0);
    expect(recorded.calls).toEqual([
      `systemctl disable --now ${unitFileName}`,
      'remove unit',
      'systemctl daemon-reload',
    ]);
    expect(result.stdout).toContain('Its data folder (API key, connections, logs) stays');
  });

  it('with nothing installed says so and touches nothing', () => {
    const recorded = recordingSystem({ unitExists: () => false });
    const result = run(['uninstall'], recorded.system);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('There is no connection-utility-agent service to remove');
    expect(recorded.calls).toEqual([]);
  });

  it('without root: the sudo line, nothing removed', () => {
    const recorded = recordingSystem({ isRoot: () => false, unitExists: () => true });
    const result = run(['uninstall'], recorded.system);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('needs root: run sudo connection-utility-agent service uninstall');
    expect(recorded.calls).toEqual([]);
  });

  it('status shows systemctl status and exits with its code (3: stopped)', () => {
    const recorded = recordingSystem({
      systemctl: (args, show) => {
        recorded.calls.push(`systemctl ${args.join(' ')}${show ? ' (shown)' : ''}`);
        return { status: 3, output: '' };
      },
    });
    expect(run(['status'], recorded.system).status).toBe(3);
    expect(recorded.calls).toEqual([`systemctl status --no-pager ${unitFileName} (shown)`]);
  });
});

describe('agent service on Windows and elsewhere', () => {
  const windowsLaunch: AgentLaunch = {
    runtime: 'C:\\Program Files\\Connection Utility\\Connection Utility.exe',
    runtimeIsElectron: true,
    entry: 'C:\\Program Files\\Connection Utility\\resources\\remote-agent\\agent.mjs',
  };
  const windows = () => recordingSystem({ platform: 'win32', launch: windowsLaunch });

  it('install --print prints the caveats and the sc.exe lines, and runs nothing', () => {
    const recorded = windows();
    const dataDir = 'C:\\ProgramData\\Connection Utility Remote Agent';
    const result = run(['install', '--print', '--data', dataDir, '--port', '40002'], recorded.system);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe(
      `${[
        ...windowsPreamble,
        ...windowsInstallLines(windowsLaunch, { dataDir, port: 40002, host: '127.0.0.1' }),
      ].join('\n')}\n`,
    );
    expect(recorded.calls).toEqual([]);
  });

  it('install --print carries the serve options into binPath=, a relative certificate made absolute', () => {
    const dataDir = 'C:\\ProgramData\\Connection Utility Remote Agent';
    const result = run(
      [
        'install',
        '--print',
        '--data',
        dataDir,
        '--host',
        '0.0.0.0',
        '--tls-cert',
        'certs\\agent cert.pem',
        '--tls-key',
        'C:\\certs\\agent.key',
        '--allowed-host',
        'agent.corp.example',
      ],
      windows().system,
    );
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const tlsCert = win32.resolve('certs\\agent cert.pem');
    expect(result.stdout).toBe(
      `${[
        ...windowsPreamble,
        ...windowsInstallLines(windowsLaunch, {
          dataDir,
          port: 40002,
          host: '0.0.0.0',
          tlsCert,
          tlsKey: 'C:\\certs\\agent.key',
          allowedHosts: ['agent.corp.example'],
        }),
      ].join('\n')}\n`,
    );
    expect(result.stdout).toContain(
      ` --host 0.0.0.0 --tls-cert \\"${tlsCert}\\" --tls-key C:\\certs\\agent.key --allowed-host agent.corp.example"`,
    );
    expect(result.stdout).toContain('icacls.exe C:\\certs\\agent.key /grant "NT AUTHORITY\\LocalService:R"');
  });

  it('refuses a certificate path or a --tls-san the Command Prompt would act on', () => {
    const path = run(
      ['install', '--print', '--data', 'C:\\a', '--tls-cert', 'C:\\R&D\\a.crt', '--tls-key', 'C:\\k'],
      windows().system,
    );
    expect(path.status).toBe(1);
    expect(path.stderr).toBe(
      'C:\\R&D\\a.crt holds a character the Command Prompt would act on (% ! ^ & | < > "): install the app, ' +
        'or choose the data folder and the certificate files, under a path without one.\n',
    );
    const name = run(
      ['install', '--print', '--data', 'C:\\a', '--tls', '--tls-san', 'a&b'],
      windows().system,
    );
    expect(name.status).toBe(1);
    expect(name.stderr).toBe(
      '--tls-san a&b holds a character the Command Prompt would act on (% ! ^ & | < > "): ' +
        'name the host without it.\n',
    );
  });

  it('without --print says that only --print works there, exit 1', () => {
    for (const action of ['install', 'uninstall']) {
      const result = run(
        [action, ...(action === 'install' ? ['--data', 'C:\\agent'] : [])],
        windows().system,
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`On Windows, service ${action} only prints the commands`);
      expect(result.stderr).toContain('--print');
    }
    expect(run(['status'], windows().system).stderr).toContain('sc.exe query ConnectionUtilityAgent');
  });

  it('refuses a path the Command Prompt would act on', () => {
    const result = run(['install', '--print', '--data', 'C:\\R&D agent'], windows().system);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('C:\\R&D agent holds a character the Command Prompt would act on');
  });

  it('on macOS says what it supports, exit 1', () => {
    const result = run(
      ['install', '--print', '--data', '/srv/a'],
      recordingSystem({ platform: 'darwin' }).system,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The service commands know systemd (Linux)');
  });
});

describe.runIf(process.platform === 'linux')('the real system steps', () => {
  const me = { name: 'me', uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

  it('looks users up, and finds no user that is not there', () => {
    expect(lookupUser('root')).toEqual({ name: 'root', uid: 0, gid: 0 });
    expect(lookupUser('no-such-user-cu-agent')).toBeNull();
  });

  it('creates the data folder private to the service user, its parents open to traverse', () => {
    const account = me;
    const parent = join(scratch(), 'var lib');
    const dir = join(parent, 'Connection Utility Remote Agent');
    expect(prepareDataFolder(dir, account)).toBeNull();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(dir).uid).toBe(account.uid);
    expect(statSync(parent).mode & 0o005).toBe(0o005);
  });

  it('refuses a folder with files of another owner, with the chown line', () => {
    const dir = join(scratch(), 'agent data');
    mkdirSync(dir);
    writeFileSync(join(dir, 'api-key'), 'x\n', { mode: 0o600 });
    const stranger = { name: 'svc', uid: 54321, gid: 54321 };
    expect(prepareDataFolder(dir, stranger)).toContain(`Hand it over with "chown -R svc: '${dir}'"`);
  });

  it('finds the runtime, the entry and a data folder the user can use', () => {
    expect(unreachable(launch, {}, me, scratch())).toBeNull();
  });

  it('names a --tls-key that is not there, and passes once it is', () => {
    const certs = scratch();
    const certFile = join(certs, 'agent.crt');
    const keyFile = join(certs, 'agent.key');
    writeFileSync(certFile, 'certificate\n');
    const check = () => unreachable(launch, {}, me, scratch(), { certFile, keyFile });
    expect(check()).toBe(`there is no file ${keyFile} (--tls-key): name the one that holds the key.`);
    writeFileSync(keyFile, 'key\n', { mode: 0o600 });
    expect(check()).toBeNull();
  });

  /** The user nobody, with an app entry and a data folder it can reach (root only: it chmods for another user). */
  const openToNobody = () => {
    const nobody = lookupUser('nobody');
    if (!nobody) throw new Error('this machine has no user nobody');
    const open = scratch();
    chmodSync(open, 0o755);
    const openEntry = join(open, 'agent.mjs');
    writeFileSync(openEntry, '', { mode: 0o644 });
    const shared = join(open, 'shared data');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    return { nobody, open, openEntry, shared };
  };

  it.runIf(process.getuid?.() === 0)(
    'runs the check as the service user: names the folder it cannot enter',
    () => {
      const { nobody, openEntry, shared } = openToNobody();
      expect(unreachable({ ...launch, entry: openEntry }, {}, nobody, shared)).toBeNull();
      const closed = scratch();
      chmodSync(closed, 0o700);
      const sentence = unreachable({ ...launch, entry: openEntry }, {}, nobody, closed);
      expect(sentence).toBe(
        `nobody cannot reach ${closed}: give it read access to the app and to every folder above it ` +
          '(or install the app under /opt), and choose a data folder it can reach.',
      );
    },
  );

  it.runIf(process.getuid?.() === 0)(
    'names the certificate and the key the service user cannot read, with the line that lets it',
    () => {
      const { nobody, open, openEntry, shared } = openToNobody();
      const certs = join(open, 'tls files');
      mkdirSync(certs, { mode: 0o755 });
      const certFile = join(certs, 'agent cert.pem');
      const keyFile = join(certs, 'agent.key');
      writeFileSync(certFile, 'certificate\n', { mode: 0o600 });
      writeFileSync(keyFile, 'key\n', { mode: 0o600 });
      const check = () =>
        unreachable({ ...launch, entry: openEntry }, {}, nobody, shared, { certFile, keyFile });
      /** Runs the line the sentence gives, as the admin would paste it. */
      const follow = (sentence: string | null) => {
        const line = /Let it with "(.*)" \(/.exec(sentence ?? '')?.[1] ?? 'false';
        expect(spawnSync('sh', ['-c', line]).status).toBe(0);
      };
      const forCertificate = check();
      expect(forCertificate).toBe(
        `nobody cannot read ${certFile} (--tls-cert). Let it with "chmod 0644 '${certFile}'" ` +
          '(and let it enter every folder above it), and run this again.',
      );
      follow(forCertificate);
      const forKey = check();
      expect(forKey).toBe(
        `nobody cannot read ${keyFile} (--tls-key). Let it with "chown nobody: '${keyFile}' && chmod 0600 ` +
          `'${keyFile}'" (and let it enter every folder above it), and run this again.`,
      );
      follow(forKey);
      expect(check()).toBeNull();
      expect(statSync(keyFile)).toMatchObject({ uid: nobody.uid });
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    },
  );
});
