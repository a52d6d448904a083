import type { Connection } from '../../common/connections/connection';
import { httpsOrigin } from '../agent/agent-tls';

// How a credential expiry names what it is about, so that a save can tell whether the record still names it.

/** A domain controller as its certificate's expiry names it. */
export function directorySource(target: { host: string; port: number }): string {
  return `${target.host}:${target.port}`;
}

/** The https origin of the connection's saved Remote Agent; null when it speaks plain HTTP (no certificate). */
export function agentOriginFor(connection: Connection): string | null {
  if (connection.kind !== 'microsoftOnline' || !connection.remoteAgent.useTls) return null;
  return httpsOrigin(connection.remoteAgent);
}
