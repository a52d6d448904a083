import type { Option } from 'commander';
import type { Router } from '../shared/node/ipc/router';
import type { CliIo, ExitCode } from './cli-io';
import type { OptionSpecs, ValuesOf } from './cli-options';

export interface CliContext {
  io: CliIo;
  router: Router;
}

/** One command of the CLI, e.g. `ad test`; the table in commands/index.ts lists them all. */
export interface CliCommand {
  /** The group and the verb that select it. */
  words: readonly [group: string, verb: string];
  summary: string;
  /** Lines --help prints after the options: examples, notes. */
  help?: string;
  /** Fresh commander options for one parse. */
  options(): Option[];
  /** Reads the parsed option values (by commander's attribute names) and runs. */
  run(parsed: Record<string, unknown>, context: CliContext): Promise<ExitCode>;
}

export interface CommandDefinition<S extends OptionSpecs> {
  words: readonly [group: string, verb: string];
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
