import { type DestinationStream, type Logger, pino } from 'pino';
import { loggableFields } from '../shared/node/logs/log-fields';

/**
 * The agent's log (stderr; stdout carries only the start-up line), with the app's allow-list: only the known
 * facts of a request are written, never a body, a header or whatever else a caller passes.
 */
export function createAgentLog(destination: DestinationStream = pino.destination(2)): Logger {
  return pino({ level: 'info', formatters: { log: (object) => loggableFields(object) } }, destination);
}
