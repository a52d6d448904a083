import { describe, expect, it } from 'vitest';
import { AppInfoSchema } from '../shared/common/app-info';
import { createHandlers } from '../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../shared/node/ipc/node-host-dependencies';
import { createRouter } from '../shared/node/ipc/router';
import { runCliInProcess } from './run-cli-in-process';

function run(...argv: string[]) {
  const router = createRouter(
    createHandlers(nodeHostDependencies({ host: 'cli', userDataDir: '/tmp/cu-cli' })),
  );
  return runCliInProcess(router, argv);
}

describe('connection-utility CLI', () => {
  it('--help lists every command and exits 0', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('app info [--json]');
    expect(stdout).toContain('Exit codes: 0 ok, 1 the check failed, 2 usage error.');
  });

  it('no arguments prints the help and exits 2', async () => {
    const { code, stdout } = await run();
    expect(code).toBe(2);
    expect(stdout).toContain('Usage: connection-utility');
  });

  it('app info --json prints the app:info contract', async () => {
    const { code, stdout, stderr } = await run('app', 'info', '--json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const info = AppInfoSchema.parse(JSON.parse(stdout));
    expect(info).toMatchObject({ host: 'cli', userDataDir: '/tmp/cu-cli', versions: { electron: null } });
  });

  it('app info without --json prints readable lines', async () => {
    const { code, stdout } = await run('app', 'info');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Connection Utility \d+\.\d+\.\d+/);
    expect(stdout).toContain('Data folder: /tmp/cu-cli');
  });

  it('a command --help prints its usage and exits 0', async () => {
    const { code, stdout } = await run('app', 'info', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: connection-utility app info [--json]');
  });

  it.each([
    [['nope'], 'unknown command "nope"'],
    [['app', 'info', '--bogus'], "Unknown option '--bogus'"],
    [['app', 'info', '--json=yes'], "'--json' does not take an argument"],
  ])('%j is a usage error (exit 2) that says what is wrong', async (argv, message) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('connection-utility --help');
  });

  it('never echoes a stray word, which could be a mistyped password', async () => {
    const { code, stderr } = await run('app', 'info', 'Sup3r-Secret!');
    expect(code).toBe(2);
    expect(stderr).not.toContain('Sup3r-Secret!');
    const withValue = await run('app', 'info', '--password=Sup3r-Secret!');
    expect(withValue.code).toBe(2);
    expect(withValue.stderr).not.toContain('Sup3r-Secret!');
  });
});
