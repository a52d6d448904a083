import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AgentLaunch,
  defaultServiceUser,
  type ServiceSettings,
  systemdUnit,
  systemdWord,
  unitFileName,
} from './systemd-unit';

// The unit as systemd itself reads it: systemd-analyze verify (Debian package systemd) checks every line and
// that the executable exists, so the runtime is this very Node and the entry the real bin.mjs.

const analyze = '/usr/bin/systemd-analyze';
const realLaunch: AgentLaunch = {
  runtime: process.execPath,
  runtimeIsElectron: false,
  entry: join(import.meta.dirname, 'bin.mjs'),
};
const settings: ServiceSettings = {
  dataDir: '/var/lib/Connection Utility Remote Agent',
  port: 40002,
  host: '127.0.0.1',
  user: defaultServiceUser,
};

/** systemd-analyze verify on the unit, under its real file name in a folder of its own. */
function verify(unit: string): { status: number | null; stderr: string } {
  const folder = mkdtempSync(join(tmpdir(), 'cu-unit-'));
  const file = join(folder, unitFileName);
  writeFileSync(file, unit);
  const result = spawnSync(analyze, ['verify', '--man=no', file], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stderr: `${result.stderr}${result.error?.message ?? ''}` };
}

const lines = (unit: string) => unit.split('\n');

describe.runIf(process.platform === 'linux')('the unit passes systemd-analyze verify', () => {
  it('has systemd-analyze to ask (Debian package systemd, a test requirement)', () => {
    expect(existsSync(analyze), 'install it with: apt-get install systemd').toBe(true);
  });

  // An existing account: verify may look the user up, and the dedicated one does not exist on a test host.
  it('with a data folder with spaces, a custom port, host and user, without a word of complaint', () => {
    const unit = systemdUnit(realLaunch, {
      dataDir: '/srv/agents/Connection Utility Remote Agent',
      port: 8443,
      host: '0.0.0.0',
      user: 'root',
    });
    expect(verify(unit)).toEqual({ status: 0, stderr: '' });
    expect(unit).toContain('ReadWritePaths="/srv/agents/Connection Utility Remote Agent"');
    expect(unit).toContain(
      `ExecStart=${process.execPath} ${realLaunch.entry} --data "/srv/agents/Connection Utility Remote Agent" ` +
        '--port 8443 --host 0.0.0.0',
    );
  });

  it('finds an executable whose path holds spaces, %, $ and ; (each escaped its own way)', () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'cu-unit-')), 'app; 100% $HOME');
    mkdirSync(folder);
    const runtime = join(folder, 'Connection Utility');
    symlinkSync(process.execPath, runtime);
    const unit = systemdUnit(
      { ...realLaunch, runtime, runtimeIsElectron: true },
      { ...settings, dataDir: '/srv/odd "data" \\ 50% $x', port: 80, user: 'root' },
    );
    expect(verify(unit)).toEqual({ status: 0, stderr: '' });
    expect(lines(unit)).toContain('Environment=ELECTRON_RUN_AS_NODE=1');
  });

  it('with every serve option: the own certificate’s names, the Host check, repeated, quoted where needed', () => {
    const unit = systemdUnit(realLaunch, {
      ...settings,
      host: '0.0.0.0',
      user: 'root',
      tls: true,
      tlsSans: ['agent.corp.example', 'Agent Box', '10.0.0.5', '-odd'],
      allowedHosts: ['agent.corp.example', '::1'],
    });
    expect(verify(unit)).toEqual({ status: 0, stderr: '' });
    expect(lines(unit)).toContain(
      `ExecStart=${process.execPath} ${realLaunch.entry} --data "/var/lib/Connection Utility Remote Agent" ` +
        '--port 40002 --host 0.0.0.0 --tls --tls-san agent.corp.example --tls-san "Agent Box" ' +
        '--tls-san 10.0.0.5 --tls-san=-odd --allowed-host agent.corp.example --allowed-host ::1',
    );
  });

  it('with the admin’s certificate and key under folders with spaces, $ and %, and with --insecure-http', () => {
    const withCertificate = systemdUnit(realLaunch, {
      ...settings,
      host: 'agent.corp.example',
      user: 'root',
      tlsCert: '/etc/connection-utility-agent/agent cert.pem',
      tlsKey: '/etc/connection-utility-agent/$key 100%.pem',
      allowedHosts: ['agent.corp.example'],
    });
    expect(verify(withCertificate)).toEqual({ status: 0, stderr: '' });
    expect(lines(withCertificate)).toContain(
      `ExecStart=${process.execPath} ${realLaunch.entry} --data "/var/lib/Connection Utility Remote Agent" ` +
        '--port 40002 --host agent.corp.example --tls-cert "/etc/connection-utility-agent/agent cert.pem" ' +
        '--tls-key "/etc/connection-utility-agent/$$key 100%%.pem" --allowed-host agent.corp.example',
    );
    const plain = systemdUnit(realLaunch, { ...settings, host: '0.0.0.0', user: 'root', insecureHttp: true });
    expect(verify(plain)).toEqual({ status: 0, stderr: '' });
    expect(lines(plain)).toContain(
      `ExecStart=${process.execPath} ${realLaunch.entry} --data "/var/lib/Connection Utility Remote Agent" ` +
        '--port 40002 --host 0.0.0.0 --insecure-http',
    );
  });

  it('is not fooled: an unquoted path with a space is reported', () => {
    const broken = systemdUnit(realLaunch, { ...settings, user: 'root' }).replace(
      'ReadWritePaths="/var/lib/Connection Utility Remote Agent"',
      'ReadWritePaths=/var/lib/Connection Utility Remote Agent',
    );
    expect(verify(broken).stderr).toContain('not absolute');
  });
});

describe('the unit', () => {
  const unit = systemdUnit(realLaunch, settings);

  it('runs as the dedicated user by default, restarts on failure and starts at boot', () => {
    for (const line of [
      'User=connection-utility-agent',
      'Type=exec',
      'Restart=on-failure',
      'RestartSec=5s',
      'WantedBy=multi-user.target',
      'After=network-online.target',
    ])
      expect(lines(unit)).toContain(line);
  });

  it('holds every hardening line, and lets the agent write only its data folder', () => {
    for (const line of [
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'PrivateDevices=yes',
      'PrivateMounts=yes',
      'ReadWritePaths="/var/lib/Connection Utility Remote Agent"',
      'ProtectKernelTunables=yes',
      'ProtectKernelModules=yes',
      'ProtectKernelLogs=yes',
      'ProtectControlGroups=yes',
      'ProtectClock=yes',
      'ProtectHostname=yes',
      'RestrictSUIDSGID=yes',
      'RestrictRealtime=yes',
      'RestrictNamespaces=yes',
      'LockPersonality=yes',
      'SystemCallArchitectures=native',
      'SystemCallFilter=@system-service',
      'CapabilityBoundingSet=',
      'UMask=0077',
    ])
      expect(lines(unit)).toContain(line);
    expect(unit).not.toMatch(/^AmbientCapabilities=/m);
    // V8 writes machine code at run time: this one would stop the agent from starting.
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=/m);
  });

  it('starts the runtime on the entry with --data, --port and --host; Node needs no ELECTRON_RUN_AS_NODE', () => {
    expect(lines(unit)).toContain(
      `ExecStart=${process.execPath} ${realLaunch.entry} --data "/var/lib/Connection Utility Remote Agent" ` +
        '--port 40002 --host 127.0.0.1',
    );
    expect(unit).not.toContain('ELECTRON_RUN_AS_NODE');
  });

  it('keeps CAP_NET_BIND_SERVICE, and only it, for a port below 1024', () => {
    const privileged = lines(systemdUnit(realLaunch, { ...settings, port: 443 }));
    expect(privileged).toContain('CapabilityBoundingSet=CAP_NET_BIND_SERVICE');
    expect(privileged).toContain('AmbientCapabilities=CAP_NET_BIND_SERVICE');
    expect(privileged).not.toContain('CapabilityBoundingSet=');
  });

  it('makes home folders read-only, not hidden, when the data folder or the program lies in one', () => {
    const dataInHome = lines(systemdUnit(realLaunch, { ...settings, dataDir: '/home/alice/agent data' }));
    expect(dataInHome).toContain('ProtectHome=read-only');
    expect(dataInHome).not.toContain('ProtectHome=yes');
    expect(dataInHome).toContain('ReadWritePaths="/home/alice/agent data"');
    const programInHome = systemdUnit(
      { ...realLaunch, entry: '/root/checkout/remote-agent/bin.mjs' },
      settings,
    );
    expect(lines(programInHome)).toContain('ProtectHome=read-only');
    expect(programInHome).toContain('the agent lies under a');
    expect(lines(systemdUnit(realLaunch, { ...settings, dataDir: '/homestead/agent' }))).toContain(
      'ProtectHome=yes',
    );
  });
});

describe('the unit with the admin’s certificate', () => {
  const tls = { tlsCert: '/etc/cu/agent.crt', tlsKey: '/etc/cu/agent.key' };

  it('makes home folders read-only, not hidden, when the certificate or the key lies in one', () => {
    const unit = systemdUnit(realLaunch, { ...settings, ...tls, tlsKey: '/home/alice/agent.key' });
    expect(lines(unit)).toContain('ProtectHome=read-only');
    expect(unit).toContain('# ProtectHome=read-only, not yes: the TLS key lies under a');
    expect(lines(systemdUnit(realLaunch, { ...settings, ...tls }))).toContain('ProtectHome=yes');
  });

  it('refuses a certificate or key under /tmp, which the service’s own empty /tmp hides', () => {
    for (const file of ['/tmp/agent.crt', '/var/tmp/certs/agent.key'])
      expect(() =>
        systemdUnit(realLaunch, {
          ...settings,
          ...tls,
          ...(file.endsWith('.crt') ? { tlsCert: file } : { tlsKey: file }),
        }),
      ).toThrow(
        `The service gets an empty /tmp and /var/tmp of its own (PrivateTmp=yes), so it would not find ${file}. ` +
          'Keep the certificate and key elsewhere (e.g. /etc/connection-utility-agent) and run this again.',
      );
  });
});

describe('systemdWord', () => {
  it('leaves a plain word alone and quotes one with a space', () => {
    expect(systemdWord('/usr/bin/node')).toBe('/usr/bin/node');
    expect(systemdWord('/var/lib/a b')).toBe('"/var/lib/a b"');
    expect(systemdWord('')).toBe('""');
  });

  it('escapes quotes and backslashes, doubles % everywhere and $ only in arguments', () => {
    expect(systemdWord('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(systemdWord('/data/100%')).toBe('/data/100%%');
    expect(systemdWord('/opt/$app')).toBe('/opt/$app');
    expect(systemdWord('/opt/$app', 'argument')).toBe('/opt/$$app');
  });

  it('refuses a control character, which no quoting carries through a unit file', () => {
    expect(() => systemdWord('/srv/a\nb')).toThrow(/control character/);
  });

  it('refuses, with the next step, an executable path systemd would not run', () => {
    for (const runtime of ["/opt/o'brien/node", '/opt/"x"/node', '/opt/a\\b/node'])
      expect(() => systemdUnit({ ...realLaunch, runtime }, settings)).toThrow(
        /systemd runs no program whose path holds a quote or a backslash: .* Install the runtime under another/,
      );
  });
});
