import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { agentDataDir } from './agent-data-dir';
import { apiKeyFileName, readApiKey } from './api-key';
import { failureSentence } from './failure-sentence';

// The API key reaches a person only on a terminal: stderr of a service ends up in its logs (journald, the
// Windows event log), so there the agent says where the key is and `key show` prints it on demand.

export const keyCommandUsage = 'Usage: agent key show [--data DIR]\n';

/** Quoted for a POSIX shell, so the line can be pasted as it is (the default folder has spaces). */
const quoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** What the agent writes on stderr after creating or rotating the key: the key itself only for a terminal. */
export function newKeyNotice(dataDir: string, key: string, interactive: boolean): string {
  const file = join(dataDir, apiKeyFileName);
  if (interactive) return `New API key (stored in ${file}, mode 0600): ${key}\n`;
  const show = `key show --data ${quoted(dataDir)}`;
  return (
    `New API key stored in ${file} (mode 0600); not shown here because stderr is not a terminal. ` +
    `Show it with: connection-utility-agent ${show} (in a checkout: npm run --silent agent -- ${show})\n`
  );
}

/** `agent key show [--data DIR]`: the key on stdout, nothing else. Returns the exit code. */
export async function runKeyCommand(
  args: string[],
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    stderr.write(`${error instanceof Error ? error.message : String(error)}\n${keyCommandUsage}`);
    return 2;
  }
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'show') {
    stderr.write(keyCommandUsage);
    return 2;
  }
  const dataDir = agentDataDir(parsed.values.data);
  let key: string | null;
  try {
    key = await readApiKey(dataDir);
  } catch (error) {
    // The refusal of a file others can read carries the chmod line in its hint.
    const reason = failureSentence(error);
    stderr.write(`${reason}\n`);
    return 1;
  }
  if (key === null) {
    stderr.write(
      `There is no API key in ${dataDir} yet: start the agent once (with the same --data) to create it.\n`,
    );
    return 1;
  }
  stdout.write(`${key}\n`);
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: { data: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
}
