import { describe, expect, it } from 'vitest';
import { runAgentCommand } from './fixtures/agent-process';

// The agent's own command line, as an admin installing it meets it first.
const run = (...args: string[]) => runAgentCommand(args);

describe('connection-utility-agent command line', () => {
  it('--help lists every option within 100 columns and exits 0 without starting', () => {
    const { status, stdout } = run('--help');
    expect(status).toBe(0);
    for (const option of [
      '--host',
      '--port',
      '--data',
      '--tls-cert',
      '--tls-key',
      '--rotate-key',
      '--no-system-trust',
      '--allowed-host',
      '--tls',
      '--tls-san',
      '--insecure-http',
      'fingerprint',
      'key show',
      'service install',
      'service uninstall',
      'service status',
      '--print',
      '--user',
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain('default 127.0.0.1: this computer only;');
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('an unknown option is a usage error (exit 2) that names it and shows the usage', () => {
    const { status, stderr, stdout } = run('--bogus');
    expect(status).toBe(2);
    expect(stderr).toContain("Unknown option '--bogus'");
    expect(stderr).toMatch(/^Usage: agent /m);
    expect(stdout).toBe('');
  });

  it('a service action it does not know is a usage error (exit 2) with the service usage', () => {
    const { status, stderr, stdout } = run('service', 'start');
    expect(status).toBe(2);
    expect(stderr).toContain('Unknown service action "start"');
    expect(stderr).toMatch(/^Usage: agent service install --data DIR/m);
    expect(stdout).toBe('');
  });
});

describe('the agent never serves plain HTTP beyond loopback by accident', () => {
  it('--host 0.0.0.0 with --insecure-http and --tls refuses to start with a sentence, before binding', () => {
    const { status, stdout, stderr } = run('--host', '0.0.0.0', '--port', '0', '--tls', '--insecure-http');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--insecure-http cannot go with --tls or --tls-cert');
  });
});
