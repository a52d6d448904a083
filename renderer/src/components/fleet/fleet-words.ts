import {
  type Drift,
  type FleetAgentState,
  type FleetRepairReport,
  type FleetStatus,
  fleetRowLimit,
  type RepairAction,
} from '../../../../shared/common/fleet/fleet';

// The Agents view's vocabulary: every state, drift and repair in the words an admin reads, with the badge colour
// that repeats it (the text always carries the meaning; colour never does alone).

export type BadgeColour = 'success' | 'warning' | 'danger' | 'informative' | 'subtle';

export const agentStateWords: Record<FleetAgentState, { text: string; colour: BadgeColour }> = {
  running: { text: 'Running', colour: 'success' },
  unreachable: { text: 'Unreachable', colour: 'danger' },
  keyRejected: { text: 'Key rejected', colour: 'danger' },
  noKey: { text: 'No key', colour: 'warning' },
  certificateChanged: { text: 'Certificate changed', colour: 'danger' },
  certificateUntrusted: { text: 'Untrusted', colour: 'warning' },
  insecure: { text: 'Insecure', colour: 'danger' },
};

export const driftWords: Record<Drift, string> = {
  missingOnAgent: 'No copy on the agent',
  staleOnAgent: 'Agent’s copy is older',
  noRoute: 'No route',
  routeToOtherAgent: 'Route points at another agent',
  routeToAgentWithoutDomain: 'Route’s agent lacks the domain',
  routeToUnreachableAgent: 'Route’s agent is unreachable',
  routeWithoutConnection: 'Route without a connection',
  routeToOtherConnection: 'Route names another connection',
};

/** A badge's tooltip: what exactly disagrees, and what fixes it. */
export const driftHints: Record<Drift, string> = {
  missingOnAgent:
    'The connection’s Remote Agent holds no copy of this domain. Update Remote Agent writes it.',
  staleOnAgent:
    'The agent’s copy was made from an older save of the connection, or carries no revision. Update Remote Agent writes the current one.',
  noRoute: 'The Workflow Engine has no route for this domain. Update Agent in WE adds it.',
  routeToOtherAgent:
    'The Workflow Engine sends this domain to another agent than the connection’s. Update Agent in WE points it at the connection’s agent.',
  routeToAgentWithoutDomain: 'The agent the route names answered, and holds no copy of this domain.',
  routeToUnreachableAgent: 'The agent the route names did not answer: start it, then Refresh.',
  routeWithoutConnection:
    'No saved connection has this domain. Remove route takes it out of the routes file, if nothing else uses it.',
  routeToOtherConnection:
    'The route names another connection than this domain’s saved one. Update Agent in WE registers it for the saved connection.',
};

/** The line above the domains table when the status left rows out; null when it holds every one. */
export function rowsLeftOutNote(fleet: Pick<FleetStatus, 'rowsTruncated'>): string | null {
  if (!fleet.rowsTruncated) return null;
  return `${fleet.rowsTruncated} more domain(s) not shown: the check lists at most ${fleetRowLimit.toLocaleString('en-US')}, those with drift first.`;
}

/** The names the connection dialog gives the same operations, so a repair reads as the button it is. */
export const repairWords: Record<RepairAction, string> = {
  updateAgent: 'Update Remote Agent',
  registerRoute: 'Update Agent in WE',
  removeRoute: 'Remove route',
};

type Outcome = FleetRepairReport['results'][number]['outcome'];

export const outcomeWords: Record<Outcome, { text: string; colour: BadgeColour }> = {
  done: { text: 'Done', colour: 'success' },
  failed: { text: 'Failed', colour: 'danger' },
  skipped: { text: 'Skipped', colour: 'subtle' },
  planned: { text: 'Planned', colour: 'informative' },
};

/** "3 done, 1 failed, 2 skipped": the report's first line, naming only outcomes that occurred. */
export function reportSummary(results: FleetRepairReport['results']): string {
  if (results.length === 0) return 'Nothing needed repairing.';
  const counts = new Map<Outcome, number>();
  for (const { outcome } of results) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  const order: Outcome[] = ['done', 'failed', 'skipped', 'planned'];
  return `${order
    .filter((outcome) => counts.has(outcome))
    .map((outcome) => `${counts.get(outcome)} ${outcomeWords[outcome].text.toLowerCase()}`)
    .join(', ')}.`;
}
