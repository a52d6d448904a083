import { describe, expect, it } from 'vitest';
import { ConnectionViewSchema } from '../../common/connections/connection';
import type { Route } from '../../common/workflow-engine/routes';
import type { FleetConnection } from './fleet-connections';
import { fleetRows, limitRows } from './fleet-rows';
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
    // Letters in it, so an upper-case spelling differs.
    id: `00000000-0000-4000-8000-${String(ids).padStart(12, 'a')}`,
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

/** A route as we:register writes it: naming the connection, or (no connection) an id no connection has. */
const route = (agentUrl: string, named?: FleetConnection): Route => ({
  agentUrl,
  connectionId: named?.id ?? '00000000-0000-4000-8000-0000000000ff',
  updatedAt: older,
});

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
        routes: { 'ok.test': route(a, c) },
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
    const [old, none, gone] = [connection('old.test'), connection('none.test'), connection('gone.test')];
    const input = {
      connections: [old, none, gone],
      routes: { 'old.test': route(a, old), 'none.test': route(a, none), 'gone.test': route(a, gone) },
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
    const [ca, cb, cc] = [connection('a.test'), connection('b.test'), connection('c.test')];
    const input = {
      connections: [ca, cb, cc],
      routes: { 'b.test': route(b, cb), 'c.test': route('http://127.0.0.1:1', cc) },
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
    const both = connection('both.test');
    const input = {
      connections: [both],
      routes: { 'Orphan.TEST': route(b), 'both.test': route(b, both) },
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
    const [key, down] = [connection('key.test'), connection('down.test', 40012)];
    const input = {
      connections: [key, down],
      routes: { 'key.test': route(a, key), 'down.test': route('http://127.0.0.1:40012', down) },
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
        routes: { 'bad.test': route('not a url', c) },
        probes: new Map([[a, probe('running', { 'bad.test': revision })]]),
      },
      'bad.test',
    );
    expect(row).toMatchObject({
      drift: ['routeToOtherAgent', 'routeToUnreachableAgent'],
      repairs: ['registerRoute'],
    });
  });

  it('a route naming another connection than the saved one: Update Agent in WE, whatever agent it names', () => {
    const [same, moved, upper, first, second] = [
      connection('same.test'),
      connection('moved.test'),
      connection('upper.test'),
      connection('twice.test'),
      connection('twice.test'),
    ];
    const copies = {
      'same.test': revision,
      'moved.test': revision,
      'upper.test': revision,
      'twice.test': revision,
    };
    const input = {
      connections: [same, moved, upper, first, second],
      routes: {
        'same.test': route(a, moved),
        'moved.test': route(b, same),
        'upper.test': { ...route(a, upper), connectionId: upper.id.toUpperCase() },
        // Of two connections for one domain the first is the domain's, as in we:register.
        'twice.test': route(a, second),
      },
      probes: new Map([
        [a, probe('running', copies)],
        [b, probe('running', copies)],
      ]),
    };
    expect(rowOf(input, 'same.test')).toMatchObject({
      route: { agentUrl: a, connectionId: moved.id },
      drift: ['routeToOtherConnection'],
      repairs: ['registerRoute'],
    });
    expect(rowOf(input, 'moved.test')).toMatchObject({
      drift: ['routeToOtherAgent', 'routeToOtherConnection'],
      repairs: ['registerRoute'],
    });
    // The Workflow Engine compares ids as strings: another spelling is another connection to it.
    expect(upper.id.toUpperCase()).not.toBe(upper.id);
    expect(rowOf(input, 'upper.test')).toMatchObject({ drift: ['routeToOtherConnection'] });
    expect(rowOf(input, 'twice.test')).toMatchObject({
      connection: { id: first.id },
      drift: ['routeToOtherConnection'],
      repairs: ['registerRoute'],
    });
  });

  it('a route without a connection names no connection to disagree with: only Remove route', () => {
    const row = rowOf(
      {
        connections: [],
        routes: { 'gone.test': route(a) },
        probes: new Map([[a, probe('running', { 'gone.test': revision })]]),
      },
      'gone.test',
    );
    expect(row).toMatchObject({ drift: ['routeWithoutConnection'], repairs: ['removeRoute'] });
  });
});

describe('limitRows', () => {
  const rowFor = (domain: string, drifting: boolean) => ({
    domain,
    connection: null,
    agentCopy: null,
    route: null,
    drift: drifting ? (['noRoute'] as const).slice() : [],
    repairs: [],
  });

  it('keeps every row, in order, when they fit', () => {
    const rows = [rowFor('a.test', false), rowFor('b.test', true)];
    expect(limitRows(rows, 2)).toEqual({ kept: rows, leftOut: 0 });
  });

  it('over the limit keeps the drifting rows first, each part in domain order, and counts the rest', () => {
    const rows = ['a', 'b', 'c', 'd', 'e', 'f'].map((name, i) => rowFor(`${name}.test`, i % 2 === 1));
    const { kept, leftOut } = limitRows(rows, 4);
    expect(kept.map((row) => row.domain)).toEqual(['b.test', 'd.test', 'f.test', 'a.test']);
    expect(leftOut).toBe(2);
  });

  it('with more drifting rows than the limit, drifting rows alone fill it', () => {
    const rows = ['a', 'b', 'c'].map((name) => rowFor(`${name}.test`, name !== 'a'));
    expect(limitRows(rows, 1)).toEqual({ kept: [rows[1]], leftOut: 2 });
  });
});
