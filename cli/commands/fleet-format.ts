import {
  type Drift,
  type FleetAgent,
  type FleetAgentState,
  type FleetRepairReport,
  type FleetRow,
  type FleetStatus,
  fleetAgentLimit,
  fleetRowLimit,
} from '../../shared/common/fleet/fleet';
import { formatTable } from '../format-table';
import { terminalSafe } from '../terminal-text';

// The human output of `fleet status` and `fleet repair`: the agents, then one row per domain across the store,
// the agent and the route, as the Agents view shows them. Versions, messages, URLs and domains come from agents
// and the routes file: every cell and line is made terminal-safe.

/** A table whose every cell is terminal-safe. */
const safeTable = (rows: readonly (readonly string[])[]) =>
  formatTable(rows.map((row) => row.map(terminalSafe)));

const stateLabel: Record<FleetAgentState, string> = {
  running: 'running',
  unreachable: 'UNREACHABLE',
  keyRejected: 'KEY REJECTED',
  noKey: 'no key stored',
  certificateChanged: 'CERTIFICATE CHANGED',
  certificateUntrusted: 'CERTIFICATE UNTRUSTED',
  insecure: 'not contacted (plain HTTP)',
};

export const driftLabel: Record<Drift, string> = {
  missingOnAgent: 'no copy on the agent',
  staleOnAgent: 'agent copy older than the store',
  noRoute: 'no route',
  routeToOtherAgent: 'route to another agent',
  routeToAgentWithoutDomain: 'route to an agent without the domain',
  routeToUnreachableAgent: 'route to an unreachable agent',
  routeWithoutConnection: 'route without a connection',
  routeToOtherConnection: 'route for another connection',
};

function agentTable(agents: readonly FleetAgent[]): string {
  return safeTable([
    ['AGENT', 'STATE', 'VERSION', 'DOMAINS', 'CERTIFICATE EXPIRES', 'LAST TEST', 'KNOWN FROM'],
    ...agents.map((agent) => [
      agent.url,
      stateLabel[agent.state],
      agent.version ?? '-',
      agent.state === 'running' ? String(agent.domains.length) : '-',
      agent.certificateExpiresAt?.slice(0, 10) ?? '-',
      agent.lastTest ? `${agent.lastTest.ok ? 'passed' : 'FAILED'} ${agent.lastTest.at}` : '-',
      agent.sources.join(', '),
    ]),
  ]);
}

function agentCopyCell(row: FleetRow): string {
  if (!row.connection) return '-';
  if (!row.agentCopy) return 'unknown';
  if (!row.agentCopy.present) return 'MISSING';
  return row.agentCopy.revision ?? 'no revision';
}

/** Where the route sends the domain, and the connection it names when that is not the domain's saved one. */
function routeCell(row: FleetRow): string {
  if (!row.route) return '-';
  const otherConnection = row.connection && row.route.connectionId !== row.connection.id;
  return otherConnection
    ? `${row.route.agentUrl} (connection ${row.route.connectionId})`
    : row.route.agentUrl;
}

function rowTable(rows: readonly FleetRow[]): string {
  return safeTable([
    ['DOMAIN', 'STORE', 'AGENT COPY', 'ROUTE', 'DRIFT', 'REPAIR'],
    ...rows.map((row) => [
      row.domain,
      row.connection ? `${row.connection.revision} @ ${row.connection.agentUrl}` : '-',
      agentCopyCell(row),
      routeCell(row),
      row.drift.length ? row.drift.map((drift) => driftLabel[drift]).join('; ') : 'ok',
      row.repairs.join(', ') || '-',
    ]),
  ]);
}

export function humanStatus(status: FleetStatus): string {
  const problems = status.agents
    .filter((agent) => agent.state !== 'running' && agent.message)
    .map((agent) => `  ${terminalSafe(agent.url)}: ${terminalSafe(agent.message ?? '')}`);
  const leftOut = status.truncated
    ? [
        '',
        `${status.truncated} more agent(s) were not probed: a status holds at most ${fleetAgentLimit}, the agents of connections and Settings first, then those only the routes file names.`,
      ]
    : [];
  const rowsLeftOut = status.rowsTruncated
    ? [
        `${status.rowsTruncated} more domain(s) not listed: a status holds at most ${fleetRowLimit} rows, those with drift first.`,
        '',
      ]
    : [];
  return [
    `Routes file: ${terminalSafe(status.routesFile)}`,
    '',
    agentTable(status.agents),
    ...leftOut,
    ...(problems.length ? ['', ...problems] : []),
    '',
    ...rowsLeftOut,
    status.rows.length ? rowTable(status.rows) : 'No Microsoft Online connection or route yet.',
    '',
    status.driftCount
      ? `DRIFT: ${status.driftCount} domain(s) disagree. Run "fleet repair --dry-run" to see the repairs.`
      : 'OK: the store, the agents and the routes agree.',
    '',
  ].join('\n');
}

export function humanRepair(report: FleetRepairReport): string {
  const lines = report.results.length
    ? safeTable([
        ['DOMAIN', 'ACTION', 'OUTCOME', 'MESSAGE'],
        ...report.results.map((result) => [result.domain, result.action, result.outcome, result.message]),
      ])
    : 'Nothing to repair.';
  return [lines, '', ...(report.after ? [humanStatus(report.after)] : [''])].join('\n');
}
