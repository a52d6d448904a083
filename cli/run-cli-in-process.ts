import type { Router } from '../shared/node/ipc/router';
import type { ExitCode } from './cli-io';
import { runCli } from './run-cli';

export interface CliRun {
  code: ExitCode;
  stdout: string;
  stderr: string;
}

/** Runs the CLI against a router in this process, capturing its streams: how the tests drive the CLI. */
export async function runCliInProcess(
  router: Router,
  argv: readonly string[],
  stdin?: string,
  /** Sees stderr as it is written: a test answering what the CLI asks a person (a sign-in address). */
  onStderr?: (text: string) => void,
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    router,
    io: {
      stdout: (text) => out.push(text),
      stderr: (text) => {
        err.push(text);
        onStderr?.(text);
      },
      ...(stdin === undefined ? {} : { readStdin: async () => stdin }),
    },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
