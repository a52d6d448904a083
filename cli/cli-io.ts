/** The streams a command writes to, injected so tests run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** All of standard input; only read by --password-stdin, so secrets never pass through argv. */
  readStdin?: () => Promise<string>;
}

/** Exit codes (docs/cli.md): scripts rely on them. */
export const ExitCode = { ok: 0, checkFailed: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake in the command line itself: exit 2, message on stderr, never a stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}
