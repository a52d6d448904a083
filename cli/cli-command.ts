import type { Option } from 'commander';
import type { Router } from '../shared/node/ipc/router';
import type { CliIo, ExitCode } from './cli-io';
import type { OptionSpecs, ValuesOf } from './cli-options';

export interface CliContext {
  io: CliIo;
  router: Router;
}

/**
 * The words that select a command: a group and a verb (`ad test`), or one word for a command that stands on
 * its own (`diagnose`).
 */
export type CommandWords = readonly [group: string, verb: string] | readonly [command: string];

/** One command of the CLI, e.g. `ad test`; the table in commands/index.ts lists them all. */
export interface CliCommand {
  words: CommandWords;
  summary: string;
  /** Lines --help prints after the options: examples, notes. */
  help?: string;
  /** Fresh commander options for one parse. */
  options(): Option[];
  /** Reads the parsed option values (by commander's attribute names) and runs. */
  run(parsed: Record<string, unknown>, context: CliContext): Promise<ExitCode>;
}

export interface CommandDefinition<S extends OptionSpecs> {
  words: CommandWords;
  summary: string;
  help?: string;
  options: S;
  run(values: ValuesOf<S>, context: CliContext): Promise<ExitCode>;
}

/** A command whose run() receives its options typed as declared. */
export function defineCommand<S extends OptionSpecs>(definition: CommandDefinition<S>): CliCommand {
  const specs = Object.entries(definition.options);
  return {
    words: definition.words,
    summary: definition.summary,
    ...(definition.help ? { help: definition.help } : {}),
    options: () => specs.map(([, spec]) => spec.create()),
    run(parsed, context) {
      const values = Object.fromEntries(specs.map(([key, spec]) => [key, spec.read(parsed[spec.attribute])]));
      // Built key by key from the same specs that type ValuesOf<S>.
      return definition.run(values as ValuesOf<S>, context);
    },
  };
}
