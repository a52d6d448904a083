import {
  describeDaysLeft,
  type ExpiryStateName,
  expiryState,
} from '../../../../shared/common/connections/expiry';
import type { FleetAgent, FleetRow } from '../../../../shared/common/fleet/fleet';
import { relativeTime } from '../../format/relative-time';

// What each cell of the Agents view says, as pure functions of the fleet: the tables only lay these out.

export type CellTone = 'ok' | 'warning' | 'bad' | 'muted';

export interface Cell {
  text: string;
  tone: CellTone;
  /** The exact facts behind a short text (a full date, every domain), for its tooltip. */
  title?: string;
}

const exact = (iso: string) => new Date(iso).toLocaleString();

/** The store's copy: the connection's name and when it was last saved (the revision agents are compared with). */
export function storeCell(row: FleetRow, now: number): Cell {
  if (!row.connection) return { text: 'No connection', tone: 'bad' };
  const { name, revision } = row.connection;
  return { text: `${name} · saved ${relativeTime(revision, now)}`, tone: 'ok', title: exact(revision) };
}

/** The copy on the connection's own agent, judged against the store's revision. */
export function agentCopyCell(row: FleetRow, now: number): Cell {
  if (!row.connection) return { text: 'Not applicable', tone: 'muted' };
  const copy = row.agentCopy;
  if (!copy) return { text: 'Could not be asked', tone: 'warning' };
  if (!copy.present) return { text: 'No copy', tone: 'bad' };
  if (!copy.revision) return { text: 'Copy without revision', tone: 'bad' };
  const theirs = Date.parse(copy.revision);
  const ours = Date.parse(row.connection.revision);
  if (theirs === ours) return { text: 'Same as the store', tone: 'ok', title: exact(copy.revision) };
  if (theirs < ours) {
    return { text: `Older: ${relativeTime(copy.revision, now)}`, tone: 'bad', title: exact(copy.revision) };
  }
  // Saved later than this store's record: another computer's utility updated it; not drift of ours to repair.
  return { text: 'Newer than the store', tone: 'warning', title: exact(copy.revision) };
}

/**
 * The Workflow Engine's route: where it sends the domain, and whether that is the connection's own agent and
 * the connection itself.
 */
export function routeCell(row: FleetRow): Cell {
  if (!row.route) return { text: 'No route', tone: 'bad' };
  const { agentUrl, connectionId } = row.route;
  if (!row.connection) return { text: agentUrl, tone: 'bad' };
  const { connection } = row;
  const differences = [
    ...(connection.agentUrl === agentUrl ? [] : [`The connection’s agent is ${connection.agentUrl}`]),
    ...(connection.id === connectionId
      ? []
      : [`The route names connection ${connectionId}, not ${connection.name} (${connection.id})`]),
  ];
  if (differences.length) return { text: agentUrl, tone: 'bad', title: differences.join('. ') };
  return { text: agentUrl, tone: 'ok' };
}

export function versionCell(agent: FleetAgent): Cell {
  return agent.version ? { text: agent.version, tone: 'ok' } : { text: 'Unknown', tone: 'muted' };
}

const domainsShown = 3;

/** "contoso.test, fabrikam.test +4 more": a few names in the row, every one in the tooltip. */
export function domainsCell(agent: FleetAgent): Cell {
  const { domains } = agent;
  if (domains.length === 0) {
    return { text: agent.state === 'running' ? 'None' : 'Not known', tone: 'muted' };
  }
  const more = domains.length - domainsShown;
  const text = domains.slice(0, domainsShown).join(', ') + (more > 0 ? ` +${more} more` : '');
  return { text, tone: 'ok', title: domains.join(', ') };
}

export function lastTestCell(agent: FleetAgent, now: number): Cell {
  const test = agent.lastTest;
  if (!test) return { text: 'Never tested', tone: 'muted' };
  return {
    text: `${test.ok ? 'Passed' : 'Failed'} · ${relativeTime(test.at, now)}`,
    tone: test.ok ? 'ok' : 'bad',
    title: `${test.summary} (${exact(test.at)})`,
  };
}

const toneOfExpiry: Record<ExpiryStateName, CellTone> = {
  ok: 'ok',
  warning: 'warning',
  expired: 'bad',
  unknown: 'muted',
};

export function certificateCell(agent: FleetAgent, now: number): Cell {
  if (!agent.useTls) return { text: 'Plain HTTP', tone: 'muted' };
  const notAfter = agent.certificateExpiresAt;
  if (!notAfter) return { text: 'Unknown', tone: 'muted' };
  const state = expiryState(notAfter, new Date(now));
  const words = describeDaysLeft(state, notAfter);
  return {
    text: words.charAt(0).toUpperCase() + words.slice(1),
    tone: toneOfExpiry[state.state],
    title: new Date(notAfter).toLocaleDateString(),
  };
}
