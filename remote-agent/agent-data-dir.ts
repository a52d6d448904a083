import { dirname, join, resolve } from 'node:path';
import { defaultUserDataDir } from '../shared/node/paths/user-data-dir';

/**
 * The agent's data folder: `--data`, else CU_AGENT_DATA, else "Connection Utility Remote Agent" beside the
 * app's data folder. The agent and `key show` both ask here, so they always name the same api-key file.
 */
export function agentDataDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(
    option ?? env.CU_AGENT_DATA ?? join(dirname(defaultUserDataDir(env)), 'Connection Utility Remote Agent'),
  );
}
