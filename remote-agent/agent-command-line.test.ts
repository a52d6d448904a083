import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The agent's own command line, as an admin installing it meets it first.
const main = join(import.meta.dirname, 'main.ts');
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8', timeout: 30_000 });

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
});
