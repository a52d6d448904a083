import { parseArgs } from 'node:util';
import { readAgentFingerprint } from './agent-certificate';
import { agentCertificateFiles } from './agent-certificate-files';
import { agentDataDir } from './agent-data-dir';
import { failureSentence } from './failure-sentence';

// The admin compares this with what the utility shows before trusting the agent's self-made certificate.

export const fingerprintCommandUsage = 'Usage: agent fingerprint [--data DIR]\n';

/** `agent fingerprint [--data DIR]`: the SHA-256 fingerprint of the agent's own certificate. Returns the exit code. */
export async function runFingerprintCommand(
  args: string[],
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let dataOption: string | undefined;
  try {
    const parsed = parseArgs({ args, options: { data: { type: 'string' } }, strict: true });
    dataOption = parsed.values.data;
  } catch (error) {
    stderr.write(`${error instanceof Error ? error.message : String(error)}\n${fingerprintCommandUsage}`);
    return 2;
  }
  const dataDir = agentDataDir(dataOption);
  let fingerprint: string | null;
  try {
    fingerprint = await readAgentFingerprint(dataDir);
  } catch (error) {
    const reason = failureSentence(error);
    stderr.write(`${agentCertificateFiles(dataDir).certFile} could not be read: ${reason}\n`);
    return 1;
  }
  if (fingerprint === null) {
    stderr.write(
      `There is no agent certificate in ${dataDir} yet: start the agent once with --tls (and the same --data) ` +
        'to create it.\n',
    );
    return 1;
  }
  stdout.write(`${fingerprint}\n`);
  return 0;
}
