import { type ConnectionView, interactiveAuthModes } from '../../../../shared/common/connections/connection';

/** Only Microsoft Online stages run on the agent host: an AD connection has no Remote Agent to ask. */
export function canAskAgent(connection: ConnectionView): boolean {
  return connection.kind === 'microsoftOnline';
}

/**
 * Asked by default when the agent can hold the connection at all: one that signs in interactively (browser,
 * device code) is never given to an agent, so its host has nothing of this connection to run.
 */
export function askAgentByDefault(connection: ConnectionView): boolean {
  return (
    connection.kind === 'microsoftOnline' &&
    !(interactiveAuthModes as readonly string[]).includes(connection.authMode)
  );
}
