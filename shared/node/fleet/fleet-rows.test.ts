import { describe, expect, it } from 'vitest';
import { ConnectionViewSchema } from '../../common/connections/connection';
import type { Route } from '../../common/workflow-engine/routes';
import type { FleetConnection } from './fleet-connections';
import { fleetRows } from './fleet-rows';
import type { AgentProbe } from './probe-agent';

// The drift rules on their own: which disagreement of the three copies is which drift, and which repair fixes it.

const revision = '2026-03-01T10:00:00.000Z';
const older = '2026-02-01T10:00:00.000Z';
const a = 'http://127.0.0.1:40010';
const b = 'http://127.0.0.1:40011';

let ids = 0;
function connection(domain: string, port = 40010): FleetConnection {
  ids += 1;
  const view = ConnectionViewSchema.parse({
    kind: 'microsoftOnline',
    id: `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`,
    name: domain,
    createdAt: older,
    updatedAt: revision,
    tenantDomain: domain,
    authMode: 'password',
    userPrincipalName: `admin@${domain}`,
    remoteAgent: { host: '127.0.0.1', port },
    hasSecret: true,
  });
  if (view.kind !== 'microsoftOnline') throw new Error('not Microsoft Online');
  return view;
}

const route = (agentUrl: string, connectionId = 'x'): Route => ({ agentUrl, connectionId, updatedAt: older });

function probe(state: AgentProbe['state'], copies: Record<string, string | null> = {}) {
  return { state, copies: new Map(Object.entries(copies)) };
}

function rowOf(input: Parameters<typeof fleetRows>[0], domain: string) {
  const found = fleetRows(input).find((row) => row.domain === domain);
  if (!found) throw new Error(`no row for ${domain}`);
  return found;
}

describe('fleetRows', () => {
  it('a connection whose agent holds its current revision and whose route points there agrees', () => {
    const c = connection('ok.test');
    const row = rowOf(
      {
        connections: [c],
        routes: { 'ok.test': route(a, c.id) },
        probes: new Map([[a, probe('running', { 'ok.test': revision })]]),
      },
      'ok.test',
    );
    expect(row).toEqual({
      domain: 'ok.test',
      connection: { id: c.id, name: 'ok.test', revision, agentUrl: a },
      agentCopy: { present: true, revision },
      route: { agentUrl: a, connectionId: c.id },
      drift: [],
      repairs: [],
    });
  });

  it('an older copy, or one without a revision, is stale; an absent one is missing: Update Remote Agent', () => {
    const input = {
      connections: [connection('old.test'), connection('none.test'), connection('gone.test')],
      routes: { 'old.test': route(a), 'none.test': route(a), 'gone.test': route(a) },
      probes: new Map([[a, probe('running', { 'old.test': older, 'none.test': null })]]),
    };
    expect(rowOf(input, 'old.test')).toMatchObject({ drift: ['staleOnAgent'], repairs: ['updateAgent'] });
    expect(rowOf(input, 'none.test')).toMatchObject({ drift: ['staleOnAgent'], repairs: ['updateAgent'] });
    expect(rowOf(input, 'gone.test')).toMatchObject({
      agentCopy: { present: false, revision: null },
      drift: ['missingOnAgent', 'routeToAgentWithoutDomain'],
      repairs: ['updateAgent'],
    });
  });

  it('routes: none, to another agent (lacking the domain, or unreachable): Update Agent in WE', () => {
    const copies = { 'a.test': revision, 'b.test': revision, 'c.test': revision };
    const input = {
      connections: [connection('a.test'), connection('b.test'), connection('c.test')],
      routes: { 'b.test': route(b), 'c.test': route('http://127.0.0.1:1') },
      probes: new Map([
        [a, probe('running', copies)],
        [b, probe('running', {})],
        ['http://127.0.0.1:1', probe('unreachable')],
      ]),
    };
    expect(rowOf(input, 'a.test')).toMatchObject({ drift: ['noRoute'], repairs: ['registerRoute'] });
    expect(rowOf(input, 'b.test')).toMatchObject({
      drift: ['routeToOtherAgent', 'routeToAgentWithoutDomain'],
      repairs: ['registerRoute'],
    });
    expect(rowOf(input, 'c.test')).toMatchObject({
      drift: ['routeToOtherAgent', 'routeToUnreachableAgent'],
      repairs: ['registerRoute'],
    });
  });

  it('a route without a connection proposes Remove route; the copy of the agent first, then the route', () => {
    const input = {
      connections: [connection('both.test')],
      routes: { 'Orphan.TEST': route(b), 'both.test': route(b) },
      probes: new Map([
        [a, probe('running', {})],
        [b, probe('running', { 'orphan.test': revision })],
      ]),
    };
    expect(rowOf(input, 'orphan.test')).toMatchObject({
      connection: null,
      agentCopy: null,
      drift: ['routeWithoutConnection'],
      repairs: ['removeRoute'],
    });
    expect(rowOf(input, 'both.test')).toMatchObject({
      drift: ['missingOnAgent', 'routeToOtherAgent', 'routeToAgentWithoutDomain'],
      repairs: ['updateAgent', 'registerRoute'],
    });
  });

  it('an agent that could not be asked claims nothing about its copies; a route to it when unreachable is drift', () => {
    const input = {
      connections: [connection('key.test'), connection('down.test', 40012)],
      routes: { 'key.test': route(a), 'down.test': route('http://127.0.0.1:40012') },
      probes: new Map([
        [a, probe('keyRejected')],
        ['http://127.0.0.1:40012', probe('unreachable')],
      ]),
    };
    expect(rowOf(input, 'key.test')).toMatchObject({ agentCopy: null, drift: [], repairs: [] });
    // Nothing main can do: the agent must be started.
    expect(rowOf(input, 'down.test')).toMatchObject({ drift: ['routeToUnreachableAgent'], repairs: [] });
  });

  it('a domain whose connection signs in interactively has no row: its route is never proposed for removal', () => {
    const rows = fleetRows({
      connections: [],
      routes: { 'device.test': route(a) },
      probes: new Map([[a, probe('running', { 'device.test': older })]]),
      ignoredDomains: new Set(['device.test']),
    });
    expect(rows).toEqual([]);
  });

  it('a route whose agentUrl is no URL counts as one to an unreachable agent', () => {
    const c = connection('bad.test');
    const row = rowOf(
      {
        connections: [c],
        routes: { 'bad.test': route('not a url') },
        probes: new Map([[a, probe('running', { 'bad.test': revision })]]),
      },
      'bad.test',
    );
    expect(row).toMatchObject({
      drift: ['routeToOtherAgent', 'routeToUnreachableAgent'],
      repairs: ['registerRoute'],
    });
  });
});
