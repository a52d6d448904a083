import { describe, expect, it } from 'vitest';
import { AppInfoSchema } from '../shared/common/app-info';
import { packageVersion } from '../shared/node/app/package-version';
import { createHandlers } from '../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../shared/node/ipc/node-host-dependencies';
import { createRouter } from '../shared/node/ipc/router';
import { cliCommands, cliGroups } from './commands/index';
import { runCliInProcess } from './run-cli-in-process';

function run(...argv: string[]) {
  const router = createRouter(
    createHandlers(nodeHostDependencies({ host: 'cli', userDataDir: '/tmp/cu-cli' })),
  );
  return runCliInProcess(router, argv);
}

const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

describe('connection-utility CLI', () => {
  it('--help lists every command with its group, and exits 0', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    for (const command of cliCommands) {
      expect(stdout).toMatch(new RegExp(`^  ${command.words.join(' ')} \\[options\\]`, 'm'));
    }
    expect(stdout).toContain('Exit codes: 0 ok, 1 the check failed, 2 usage error.');
  });

  it('no help is wider than 100 columns: the top level, each group, each command', async () => {
    const helps = [
      await run('--help'),
      ...(await Promise.all(cliGroups.map((group) => run(group.name, '--help')))),
      ...(await Promise.all(cliCommands.map((command) => run(...command.words, '--help')))),
    ];
    for (const help of helps) {
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: connection-utility /);
      expect(widest(help.stdout)).toBeLessThanOrEqual(100);
    }
  });

  it('no arguments prints the help and exits 2', async () => {
    const { code, stdout } = await run();
    expect(code).toBe(2);
    expect(stdout).toContain('Usage: connection-utility');
  });

  it('a group without its command prints the group’s help on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await run('ad');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/test \[options\] +Connect to a domain controller/);
  });

  it('--version prints the package version', async () => {
    expect(await run('--version')).toMatchObject({ code: 0, stdout: `${packageVersion}\n` });
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

  it('a command --help prints its usage and options and exits 0', async () => {
    const { code, stdout } = await run('ad', 'test', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: connection-utility ad test [options]');
    expect(stdout).toMatch(/--host <host> +the domain controller: a name or an address \(required\)/);
    // Wrapped to the help's width: compare with the line breaks folded.
    expect(stdout.replace(/\s+/g, ' ')).toContain('(choices: "ldaps", "starttls", default: "ldaps")');
    expect(stdout).toContain('--dns-server <ip[:port]>');
  });

  it('entra is the Microsoft identity group, and aad still reaches it', async () => {
    const entra = await run('entra', 'test', '--help');
    const aad = await run('aad', 'test', '--help');
    expect(entra.code).toBe(0);
    expect(entra.stdout).toContain('Usage: connection-utility entra test [options]');
    expect(aad).toMatchObject({ code: 0, stdout: entra.stdout });
    expect((await run('--help')).stdout).toMatch(/^ {2}entra test \[options\]/m);
  });

  it.each([
    [['nope'], "unknown command 'nope'", 'connection-utility --help'],
    [['ad', 'tset'], "unknown command 'tset' (did you mean test?)", 'connection-utility ad --help'],
    [['app', 'info', '--bogus'], "unknown option '--bogus'", 'connection-utility app info --help'],
    [['app', 'info', '--json=yes'], "'--json' takes no value", 'connection-utility app info --help'],
    [['connections', 'import'], "required option '--file <file>' not specified", 'connections import --help'],
    [
      ['ad', 'test', '--host', 'dc1', '--user', 'u', '--password-stdin', '--tls', 'plain'],
      "option '--tls <mode>' got a value it does not take. Allowed choices are ldaps, starttls.",
      'connection-utility ad test --help',
    ],
    [
      ['entra', 'test', '--domain', 'contoso.test', '--device-code', '--cloud', 'mars'],
      'Allowed choices are global, usgov, china.',
      'connection-utility entra test --help',
    ],
    [
      ['agent', 'status', '--port', '40k'],
      "option '--port <port>' got a value it does not take. It needs a whole number.",
      'connection-utility agent status --help',
    ],
    [
      ['agent', 'status', '--port', '99999'],
      "option '--port <port>' got a value it does not take. It must be at most 65535.",
      'connection-utility agent status --help',
    ],
    [
      ['entra', 'test', '--domain', 'contoso.test'],
      'choose one sign-in: --browser, --cert/--key, --secret-stdin, --device-code or --password-stdin',
      'connection-utility entra test --help',
    ],
  ])('%j is a usage error (exit 2) that says what is wrong', async (argv, message, help) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain(help);
  });

  it.each([
    [['app', 'info', 'Sup3r-Secret!']],
    [['app', 'info', '--password=Sup3r-Secret!']],
    [['app', 'info', '-Sup3r-Secret!']],
    [['ad', 'test', '--host', 'dc1', '--user', 'u', '--password-stdin', 'Sup3r-Secret!']],
    [['Sup3r-Secret!']],
    // A password typed after an option that takes a choice or a number.
    [['ad', 'test', '--host', 'dc1', '--user', 'u', '--password-stdin', '--tls', 'Sup3r-Secret!']],
    [['agent', 'status', '--port', 'Sup3r-Secret!']],
  ])('never echoes a stray word, which could be a mistyped password: %j', async (argv) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stdout + stderr).not.toContain('Sup3r');
    expect(stderr).toMatch(
      /not shown|takes no positional arguments|takes no value|got a value it does not take/,
    );
  });
});
