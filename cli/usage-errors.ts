import type { CommanderError } from 'commander';

// A word the parser did not expect could be a password typed in the wrong place: the messages below name an
// unknown option or command only when it has the shape of one, and never repeat a stray positional.

/** A long option, or a single-letter short one: a longer word after one dash could be anything. */
const optionName = /^(--[a-z][a-z0-9-]*|-[a-z])$/i;
const commandWord = /^[a-z][a-z0-9-]{0,40}$/;

/** What commander appends after an unknown option or command: a known name, safe to repeat. */
function suggestion(message: string): string {
  const match = /\(Did you mean ([^)]+)\?\)/.exec(message);
  return match ? ` (did you mean ${match[1]}?)` : '';
}

function quoted(message: string): string {
  return /'([^']*)'/.exec(message)?.[1] ?? '';
}

/** commander's message for a usage error, minus anything that could be a secret, without "error: ". */
export function describeCommanderError(error: CommanderError): string {
  const message = error.message.replace(/^error: /, '');
  switch (error.code) {
    case 'commander.excessArguments':
      return 'this command takes no positional arguments (options start with --)';
    case 'commander.unknownOption': {
      const [name = '', value] = quoted(message).split('=');
      if (!optionName.test(name)) return 'unknown option (not shown: it could be a secret)';
      // commander reports `--json=yes` this way too: the switch exists but takes no value.
      return value === undefined
        ? `unknown option '${name}'${suggestion(message)}`
        : `'${name}' takes no value, or is not an option of this command`;
    }
    case 'commander.unknownCommand': {
      const word = quoted(message);
      return commandWord.test(word)
        ? `unknown command '${word}'${suggestion(message)}`
        : 'unknown command (not shown: it could be a secret)';
    }
    case 'commander.invalidArgument':
      // "option '--tls <mode>' argument 'X' is invalid. Allowed choices are …": the value may be a secret typed
      // in the wrong place; the option and what it allows are enough to correct it.
      return (message.split('\n')[0] ?? message).replace(
        / argument '[^']*' is invalid/,
        ' got a value it does not take',
      );
    default:
      return message.split('\n')[0] ?? message;
  }
}
