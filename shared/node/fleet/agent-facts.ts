import type { ConnectionView } from '../../common/connections/connection';
import type { TestHistoryEntry } from '../../common/connections/test-history';
import type { FleetAgent } from '../../common/fleet/fleet';
import { httpsOrigin } from '../agent/agent-tls';
import type { AgentTarget } from './agent-target';
import { type FleetConnection, targetOfConnection } from './fleet-connections';

/**
 * The last test through each agent (by url), as the store recorded it: per connection, the newest entry of its
 * test history that ran on the agent; a connection without any history yet (tested before the history existed)
 * counts with its last test. The newest over the agent's connections wins.
 */
export function lastTestsByAgent(
  connections: readonly FleetConnection[],
  historyOf: (connectionId: string) => readonly TestHistoryEntry[],
): Map<string, NonNullable<FleetAgent['lastTest']>> {
  const last = new Map<string, NonNullable<FleetAgent['lastTest']>>();
  for (const connection of connections) {
    const history = historyOf(connection.id);
    const agentRuns = history.filter((entry) => entry.source === 'agent');
    const newest = agentRuns.at(-1);
    const test = history.length
      ? newest && {
          ok: newest.ok,
          at: newest.at,
          ...(newest.code ? { code: newest.code } : {}),
          summary: newest.summary,
        }
      : connection.lastTest;
    if (!test) continue;
    const url = targetOfConnection(connection).url;
    const known = last.get(url);
    if (!known || Date.parse(test.at) > Date.parse(known.at)) last.set(url, test);
  }
  return last;
}

/**
 * When the agent's HTTPS certificate expires, as the latest handshake recorded on any connection showed it (see
 * expiry-agent-certificate.ts); null for plain HTTP or when nothing was recorded.
 */
export function certificateExpiryOf(
  agent: AgentTarget,
  connections: readonly ConnectionView[],
): FleetAgent['certificateExpiresAt'] {
  if (!agent.useTls) return null;
  const origin = httpsOrigin(agent);
  let latest: { notAfter: string; checkedAt: string } | null = null;
  for (const connection of connections) {
    for (const expiry of connection.expiries ?? []) {
      const { notAfter } = expiry;
      if (expiry.what !== 'agentCertificate' || expiry.source !== origin) continue;
      if (notAfter === null || notAfter === 'never') continue;
      if (!latest || Date.parse(expiry.checkedAt) > Date.parse(latest.checkedAt))
        latest = { notAfter, checkedAt: expiry.checkedAt };
    }
  }
  return latest?.notAfter ?? null;
}
