import { type ConnectionView, interactiveAuthModes } from '../../common/connections/connection';
import { type AgentTarget, targetOf } from './agent-target';

/** A saved Microsoft Online connection that can run unattended on a Remote Agent. */
export type FleetConnection = Extract<ConnectionView, { kind: 'microsoftOnline' }>;

const interactive: readonly string[] = interactiveAuthModes;

/**
 * The connections the fleet compares: Microsoft Online ones that can run on an agent. A device-code or browser
 * sign-in needs a person, so no agent holds it and no route can serve it.
 */
export function fleetConnectionsOf(connections: readonly ConnectionView[]): FleetConnection[] {
  return connections.filter(
    (connection): connection is FleetConnection =>
      connection.kind === 'microsoftOnline' && !interactive.includes(connection.authMode),
  );
}

export function targetOfConnection(connection: FleetConnection): AgentTarget {
  return targetOf(connection.remoteAgent);
}

/**
 * Domains whose only Microsoft Online connections sign in interactively: no fleet row is made for them, so a
 * route to such a domain (one an agent may still serve from an older copy) is never proposed for removal.
 */
export function interactiveOnlyDomains(connections: readonly ConnectionView[]): Set<string> {
  const domainOf = (connection: FleetConnection) => connection.tenantDomain.toLowerCase();
  const online = connections.filter((c): c is FleetConnection => c.kind === 'microsoftOnline');
  const unattended = new Set(fleetConnectionsOf(online).map(domainOf));
  return new Set(online.map(domainOf).filter((domain) => !unattended.has(domain)));
}
