import type { FleetAgent } from '../../common/fleet/fleet';
import type { AgentEndpoint } from '../agent/agent-client';
import { agentBinding, agentOriginOf } from '../connections/secret-binding';

/** One Remote Agent as the fleet names it: its origin spelled as routes and keys spell it. */
export interface AgentTarget {
  /** scheme://host:port, lower-case host, IPv6 in brackets. */
  url: string;
  host: string;
  port: number;
  useTls: boolean;
}

/** Where the utility learned of an agent. */
export type AgentSource = FleetAgent['sources'][number];

/** The target of a saved endpoint (a connection's, Settings'); the same spelling agent:update's key uses. */
export function targetOf(endpoint: Pick<AgentEndpoint, 'host' | 'port' | 'useTls'>): AgentTarget {
  const host = endpoint.host.toLowerCase();
  return {
    url: agentOriginOf(agentBinding({ host, port: endpoint.port, useTls: endpoint.useTls })),
    host,
    port: endpoint.port,
    useTls: endpoint.useTls,
  };
}

/**
 * The target a route's agentUrl names, or null when it is not an http(s) URL. A path, query or trailing slash
 * does not make it another agent: only scheme, host and port do.
 */
export function targetOfUrl(agentUrl: string): AgentTarget | null {
  let url: URL;
  try {
    url = new URL(agentUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const useTls = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : useTls ? 443 : 80;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return null;
  return targetOf({ host, port, useTls });
}
