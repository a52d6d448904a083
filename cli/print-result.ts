import type { Result } from '../shared/common/result';
import { cliHint } from './cli-hints';
import { type CliIo, ExitCode } from './cli-io';
import { terminalSafe } from './terminal-text';

/**
 * --json prints the contract's value on success and the AppError on failure, both on stdout, so a
 * script parses one stream; without --json the human text goes to stdout and failures to stderr, with the
 * next step said as options of the command (cli-hints.ts).
 */
export function printResult<T>(
  result: Result<T>,
  json: boolean,
  io: CliIo,
  human: (value: T) => string,
): ExitCode {
  if (result.ok) {
    io.stdout(json ? `${JSON.stringify(result.value, null, 2)}\n` : human(result.value));
    return ExitCode.ok;
  }
  const { error } = result;
  if (json) {
    io.stdout(`${JSON.stringify(error, null, 2)}\n`);
  } else {
    const facts = [
      'subject',
      'issuer',
      'validFrom',
      'validTo',
      'pinnedFingerprint',
      'confirmedFingerprint',
      'fingerprint',
    ]
      .filter((key) => typeof error.detail?.[key] === 'string')
      .map((key) => `  ${key}: ${terminalSafe(String(error.detail?.[key]))}\n`)
      .join('');
    // A contract refusal names its fields: say which, or the admin cannot fix the command line.
    const issues = Array.isArray(error.detail?.issues)
      ? error.detail.issues.map((issue) => `  ${terminalSafe(String(issue))}\n`).join('')
      : '';
    // Messages, facts and hints may come from an agent or a server: no control sequence reaches the terminal.
    const hint = cliHint(error);
    io.stderr(
      `Error (${error.code}): ${terminalSafe(error.message)}\n${facts}${issues}${hint ? `Next step: ${terminalSafe(hint)}\n` : ''}`,
    );
  }
  return ExitCode.checkFailed;
}
