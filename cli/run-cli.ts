import { parseArgs } from 'node:util';
import type { Router } from '../shared/node/ipc/router';
import type { CliCommand } from './cli-command';
import { type CliIo, ExitCode, UsageError } from './cli-io';
import { cliCommands } from './commands/index';

const programName = 'connection-utility';

export function helpText(commands: readonly CliCommand[] = cliCommands): string {
  const width = Math.max(...commands.map((command) => command.usage.length));
  return [
    `Usage: ${programName} <command> [options]`,
    '',
    'Set up and test the connections of an identity-management server without a window.',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  --json     print the result (or the error) as JSON on stdout',
    '  --help     show this help, or a command\'s usage with "<command> --help"',
    '  --no-system-trust  (commands that connect) trust only the public roots and --ca/--pin for this run,',
    "             not the operating system's certificate store that Settings trust by default",
    '',
    'Secrets are read from stdin (--password-stdin) or a file, never from the command line.',
    'Exit codes: 0 ok, 1 the check failed, 2 usage error.',
    '',
  ].join('\n');
}

/** parseArgs echoes a stray positional verbatim; that word could be a mistyped password, so it is left out. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return 'this command takes no positional arguments';
  }
  return error instanceof Error ? error.message : String(error);
}

function findCommand(argv: readonly string[]): CliCommand | undefined {
  return cliCommands.find((command) => command.words.every((word, index) => argv[index] === word));
}

export async function runCli(
  argv: readonly string[],
  context: { io: CliIo; router: Router },
): Promise<ExitCode> {
  const { io } = context;
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(helpText());
    return argv.length === 0 ? ExitCode.usage : ExitCode.ok;
  }
  const command = findCommand(argv);
  try {
    if (!command) {
      const words = argv.filter((arg) => !arg.startsWith('-')).join(' ');
      throw new UsageError(`unknown command "${words || argv.join(' ')}"`);
    }
    const rest = argv.slice(command.words.length);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`Usage: ${programName} ${command.usage}\n\n${command.summary}\n`);
      return ExitCode.ok;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: command.options,
        allowPositionals: false,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(describeParseError(error));
    }
    return await command.run({ values: parsed.values, positionals: parsed.positionals }, context);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${programName}: ${error.message}\nRun "${programName} --help" for the list of commands.\n`);
      return ExitCode.usage;
    }
    throw error;
  }
}
