import type { ParseArgsConfig } from 'node:util';
import type { Router } from '../shared/node/ipc/router';
import type { CliIo, ExitCode } from './cli-io';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface CliContext {
  io: CliIo;
  router: Router;
}

export interface ParsedCommandLine {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** One command of the CLI; later issues add theirs to the table in commands/index.ts. */
export interface CliCommand {
  /** The words that select it, e.g. ['app', 'info']. */
  words: readonly string[];
  summary: string;
  usage: string;
  options: OptionsConfig;
  run(args: ParsedCommandLine, context: CliContext): Promise<ExitCode>;
}
