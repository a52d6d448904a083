import type { RemoteAgentTarget } from '../../common/connections/connection';
import type { RoutesFile } from '../../common/workflow-engine/routes';
import { type AgentSource, type AgentTarget, targetOf, targetOfUrl } from './agent-target';
import { type FleetConnection, targetOfConnection } from './fleet-connections';

/** An agent to probe, with what the utility knows of it before asking. */
export interface GatheredAgent extends AgentTarget {
  /** Plain HTTP beyond loopback, as a connection or Settings allowed it for this very agent. */
  allowInsecure: boolean;
  sources: AgentSource[];
}

const sourceOrder: readonly AgentSource[] = ['connection', 'route', 'settings'];

/**
 * Every agent the utility knows of, once each: the saved connections' agents, the routes file's, and Settings'
 * default one. Plain HTTP beyond loopback counts as allowed only where the admin allowed it for that agent: a
 * route alone never allows it.
 */
export function gatherAgents(input: {
  connections: readonly FleetConnection[];
  routes: RoutesFile['routes'];
  defaultAgent: RemoteAgentTarget;
}): GatheredAgent[] {
  const agents = new Map<string, GatheredAgent>();
  const add = (target: AgentTarget, source: AgentSource, allowInsecure: boolean) => {
    const known = agents.get(target.url) ?? { ...target, allowInsecure: false, sources: [] };
    known.allowInsecure ||= allowInsecure;
    if (!known.sources.includes(source)) known.sources.push(source);
    agents.set(target.url, known);
  };
  for (const connection of input.connections)
    add(targetOfConnection(connection), 'connection', connection.remoteAgent.allowInsecure);
  for (const route of Object.values(input.routes)) {
    const target = targetOfUrl(route.agentUrl);
    if (target) add(target, 'route', false);
  }
  add(targetOf(input.defaultAgent), 'settings', input.defaultAgent.allowInsecure);
  return [...agents.values()]
    .map((agent) => ({
      ...agent,
      sources: sourceOrder.filter((source) => agent.sources.includes(source)),
    }))
    .sort((a, b) => a.url.localeCompare(b.url));
}

/**
 * At most `limit` agents, the rest counted: a routes file may name any number of URLs, and each would be
 * probed. Agents a connection or Settings names come first (the admin chose them); then those only a route
 * names, in URL order. The kept ones stay in URL order.
 */
export function limitAgents(
  agents: readonly GatheredAgent[],
  limit: number,
): { kept: GatheredAgent[]; leftOut: number } {
  if (agents.length <= limit) return { kept: [...agents], leftOut: 0 };
  const routeOnly = (agent: GatheredAgent) => agent.sources.every((source) => source === 'route');
  const chosen = [...agents.filter((agent) => !routeOnly(agent)), ...agents.filter(routeOnly)].slice(
    0,
    limit,
  );
  return {
    kept: chosen.sort((a, b) => a.url.localeCompare(b.url)),
    leftOut: agents.length - chosen.length,
  };
}
