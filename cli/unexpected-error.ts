import { redact } from '../shared/node/logs/redact';

/**
 * The line the CLI prints for an error no handler expected. What was thrown may quote a request or a server's
 * answer, so its message is redacted as the log's would be; the error id matches the one in the answer.
 */
export function unexpectedErrorLine(error: unknown, facts: { channel: string; errorId: string }): string {
  const message = error instanceof Error ? String(redact(error.message)) : 'non-error';
  return `internal error ${facts.errorId} in ${facts.channel}: ${message}\n`;
}
