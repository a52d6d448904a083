import { type Command, CommanderError } from 'commander';
import { packageVersion } from '../shared/node/app/package-version';
import type { Router } from '../shared/node/ipc/router';
import type { CliCommand } from './cli-command';
import { CliProgram, helpWidth } from './cli-help';
import { type CliIo, ExitCode, UsageError } from './cli-io';
import { cliCommands, cliGroups } from './commands/index';
import { describeCommanderError } from './usage-errors';

const programName = 'connection-utility';

const closingNotes = `
Every command takes --help. Secrets are read from stdin (--password-stdin, --secret-stdin,
--api-key-stdin) or a file, never from the command line. Settings come from the data folder
(CU_USER_DATA): the default Remote Agent, the Microsoft Online cloud, hosts and CA, and whether the
operating system's certificate store is trusted; options given on the command line win.
Exit codes: 0 ok, 1 the check failed, 2 usage error.
`;

interface Program {
  command: Command;
  /** The command line reached, for the "--help" pointer of a usage error: e.g. "ad test". */
  reached(): string;
  /** The exit code of the command that ran. */
  exitCode(): ExitCode;
}

function buildProgram(
  io: CliIo,
  run: (command: CliCommand, parsed: Record<string, unknown>) => Promise<ExitCode>,
): Program {
  let reached = '';
  let exitCode: ExitCode = ExitCode.ok;
  const program = new CliProgram(programName)
    .description('Set up and test the connections of an identity-management server without a window.')
    .configureHelp({ helpWidth })
    // Usage errors are reported by runCli (without anything that could be a secret), never by commander.
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} })
    .exitOverride()
    .version(packageVersion, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', 'show the help of a command group')
    .addHelpText('after', closingNotes);
  program.hook('preSubcommand', (_program, group) => {
    reached = group.name();
  });
  for (const group of cliGroups) {
    const groupCommand = program
      .command(group.name)
      .description(group.summary)
      .aliases(group.aliases ?? [])
      .helpOption('-h, --help', 'show this help');
    groupCommand.hook('preSubcommand', (_group, leaf) => {
      reached = `${group.name} ${leaf.name()}`;
    });
    for (const command of cliCommands) {
      const [groupName, verb] = command.words;
      if (groupName === group.name && verb !== undefined) addLeaf(groupCommand, verb, command);
    }
  }
  // Commands of one word (`diagnose`) after the groups: a leaf of the program itself.
  for (const command of cliCommands) {
    const [name, verb] = command.words;
    if (verb === undefined) addLeaf(program, name, command);
  }
  function addLeaf(parent: Command, name: string, command: CliCommand): void {
    const leaf = parent.command(name).description(command.summary).helpOption('-h, --help', 'show this help');
    for (const option of command.options()) leaf.addOption(option);
    if (command.help) leaf.addHelpText('after', `\n${command.help}`);
    leaf.action(async (_options, self: Command) => {
      exitCode = await run(command, self.opts());
    });
  }
  return { command: program, reached: () => reached, exitCode: () => exitCode };
}

function usageFailure(io: CliIo, message: string, reached: string): ExitCode {
  const help = [programName, reached, '--help'].filter(Boolean).join(' ');
  io.stderr(
    `${programName}: ${message}\nRun "${help}" for the ${reached ? 'options' : 'list of commands'}.\n`,
  );
  return ExitCode.usage;
}

export async function runCli(
  argv: readonly string[],
  context: { io: CliIo; router: Router },
): Promise<ExitCode> {
  const { io } = context;
  const program = buildProgram(io, (command, parsed) => command.run(parsed, context));
  if (argv.length === 0) {
    io.stdout(program.command.helpInformation());
    return ExitCode.usage;
  }
  try {
    await program.command.parseAsync([...argv], { from: 'user' });
    return program.exitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with 0; a group named without a command has had its help on stderr.
      if (error.exitCode === 0) return ExitCode.ok;
      if (error.code === 'commander.help') return ExitCode.usage;
      return usageFailure(io, describeCommanderError(error), program.reached());
    }
    if (error instanceof UsageError) return usageFailure(io, error.message, program.reached());
    throw error;
  }
}
