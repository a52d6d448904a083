import { join } from 'node:path';
import { type DestinationStream, pino } from 'pino';
import { type AppLog, createLog } from '../shared/node/logs/create-log';

/**
 * The agent's log: `logs/agent.<n>.log` in its data folder, rotated, and the same lines on stderr for whatever
 * runs the service (stdout carries only the start-up line). The app's allow-list applies: only the known facts
 * of a request are written, never a body, a header or whatever else a caller passes.
 */
export function createAgentLog(
  dataDir: string,
  stderr: DestinationStream = pino.destination({ dest: 2, sync: true }),
): Promise<AppLog> {
  return createLog({ file: { dir: join(dataDir, 'logs'), name: 'agent' }, alsoTo: [stderr] });
}
