import type { Drift, FleetRow, RepairAction } from '../../common/fleet/fleet';
import type { Route, RoutesFile } from '../../common/workflow-engine/routes';
import { targetOfUrl } from './agent-target';
import { type FleetConnection, targetOfConnection } from './fleet-connections';
import type { AgentProbe } from './probe-agent';

export interface RowsInput {
  /** In the store's order: of two connections for one domain, the first is the one, as in we:register. */
  connections: readonly FleetConnection[];
  routes: RoutesFile['routes'];
  /** By agent url. */
  probes: ReadonlyMap<string, Pick<AgentProbe, 'state' | 'copies'>>;
  /** Domains left out: their connections sign in interactively (see interactiveOnlyDomains). */
  ignoredDomains?: ReadonlySet<string>;
}

/** Whether the agent's copy was made from an older revision of the connection than the store's (or none). */
function isStale(copyRevision: string | null, storeRevision: string): boolean {
  if (copyRevision === null) return true;
  return Date.parse(copyRevision) < Date.parse(storeRevision);
}

/** What the route's target says about the domain: only an agent that answered can be said to lack it. */
function routeTargetDrift(route: Route, domain: string, probes: RowsInput['probes']): Drift | null {
  const target = targetOfUrl(route.agentUrl);
  if (!target) return 'routeToUnreachableAgent';
  const probe = probes.get(target.url);
  if (probe?.state === 'unreachable') return 'routeToUnreachableAgent';
  if (probe?.state === 'running' && !probe.copies.has(domain)) return 'routeToAgentWithoutDomain';
  return null;
}

/** Drift that registering the route for the saved connection (its agent, its id) ends, as we:register writes it. */
const fixedByRegisterRoute: readonly Drift[] = ['noRoute', 'routeToOtherAgent', 'routeToOtherConnection'];

/** The repairs that make a row agree, in the order they must run: the agent's copy before the route to it. */
function repairsFor(drift: readonly Drift[]): RepairAction[] {
  const repairs: RepairAction[] = [];
  if (drift.includes('missingOnAgent') || drift.includes('staleOnAgent')) repairs.push('updateAgent');
  if (fixedByRegisterRoute.some((kind) => drift.includes(kind))) repairs.push('registerRoute');
  if (drift.includes('routeWithoutConnection')) repairs.push('removeRoute');
  return repairs;
}

function row(
  domain: string,
  connection: FleetConnection | undefined,
  route: Route | undefined,
  probes: RowsInput['probes'],
): FleetRow {
  const drift: Drift[] = [];
  const agentUrl = connection ? targetOfConnection(connection).url : null;
  const probe = agentUrl ? probes.get(agentUrl) : undefined;
  // An agent that could not be asked has an unknown copy: no drift is claimed about it.
  const agentCopy =
    probe?.state === 'running'
      ? { present: probe.copies.has(domain), revision: probe.copies.get(domain) ?? null }
      : null;
  if (connection) {
    if (agentCopy && !agentCopy.present) drift.push('missingOnAgent');
    if (agentCopy?.present && isStale(agentCopy.revision, connection.updatedAt)) drift.push('staleOnAgent');
    if (!route) drift.push('noRoute');
  }
  if (route) {
    if (connection && targetOfUrl(route.agentUrl)?.url !== agentUrl) drift.push('routeToOtherAgent');
    // The Workflow Engine hands the agent the route's connectionId as written: another spelling is another id.
    if (connection && route.connectionId !== connection.id) drift.push('routeToOtherConnection');
    if (!connection) drift.push('routeWithoutConnection');
    const target = routeTargetDrift(route, domain, probes);
    if (target) drift.push(target);
  }
  return {
    domain,
    connection:
      connection && agentUrl
        ? { id: connection.id, name: connection.name, revision: connection.updatedAt, agentUrl }
        : null,
    agentCopy,
    route: route ? { agentUrl: route.agentUrl, connectionId: route.connectionId } : null,
    drift,
    repairs: repairsFor(drift),
  };
}

/** One row per domain the store or the routes file names, sorted by domain: the three copies side by side. */
export function fleetRows(input: RowsInput): FleetRow[] {
  const connections = new Map<string, FleetConnection>();
  for (const connection of input.connections) {
    const domain = connection.tenantDomain.toLowerCase();
    if (!connections.has(domain)) connections.set(domain, connection);
  }
  const routes = new Map<string, Route>();
  for (const [domain, route] of Object.entries(input.routes)) {
    const key = domain.toLowerCase();
    if (!routes.has(key)) routes.set(key, route);
  }
  const domains = [...new Set([...connections.keys(), ...routes.keys()])]
    .filter((domain) => !input.ignoredDomains?.has(domain))
    .sort();
  return domains.map((domain) => row(domain, connections.get(domain), routes.get(domain), input.probes));
}

/**
 * At most `limit` rows, the rest counted: those with drift are kept first, so what needs a repair is never the
 * part left out. Within the limit the rows stay in domain order; over it, the drifting ones lead.
 */
export function limitRows(rows: readonly FleetRow[], limit: number): { kept: FleetRow[]; leftOut: number } {
  if (rows.length <= limit) return { kept: [...rows], leftOut: 0 };
  const drifting = rows.filter((row) => row.drift.length > 0);
  const agreeing = rows.filter((row) => row.drift.length === 0);
  const kept = [...drifting, ...agreeing].slice(0, limit);
  return { kept, leftOut: rows.length - kept.length };
}
