import type {
  Drift,
  FleetAgentState,
  FleetRepairReport,
  RepairAction,
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
};

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
