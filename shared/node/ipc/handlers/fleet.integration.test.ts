import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { runCliInProcess } from '../../../../cli/run-cli-in-process';
import { startAgent, stopAgents } from '../../../../remote-agent/fixtures/agent-process';
import type { FleetRepairReport, FleetRow, FleetStatus } from '../../../common/fleet/fleet';
import type { ProgressEventSchema } from '../../../common/ipc/event-map';
import { AgentClient } from '../../agent/agent-client';
import { writeRoute } from '../../workflow-engine/routes-file';
import { testHost } from '../fixtures/test-host';

// The fleet against real Remote Agent processes and a real routes file: every kind of drift, found by
// fleet:status, repaired by fleet:repair (and the CLI's twins), with nothing a request could aim elsewhere.

delete process.env.CU_WORKFLOW_ENGINE_ROUTES;
const userDataDir = mkdtempSync(join(tmpdir(), 'cu-fleet-'));
// The default routes file of this data folder: what the window's requests use; the CLI names it with --routes.
const routesFile = join(userDataDir, 'workflow-engine', 'routes.json');
const { router, close } = testHost({ userDataDir });
type Progress = z.output<typeof ProgressEventSchema>;
const progress: Progress[] = [];
const context = {
  emit: (event: string, payload: unknown) => {
    if (event === 'progress') progress.push(payload as Progress);
  },
};

interface TestAgent {
  url: string;
  port: number;
  client: AgentClient;
}
let agentA: TestAgent;
let agentB: TestAgent;
let deadUrl = '';
let muteUrl = '';
let mute: Server;
const muteSockets: Socket[] = [];
const ids = new Map<string, string>();
const updatedAt = new Map<string, string>();

async function runningAgent(): Promise<TestAgent> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cu-fleet-agent-'));
  const started = await startAgent(['--port', '0', '--data', dataDir]);
  const port = Number(new URL(started.ready.url).port);
  const apiKey = readFileSync(join(dataDir, 'api-key'), 'utf8').trim();
  // Remembered (sealed) by the utility once the agent accepts it, as "Set" on the Remote Agent tab does.
  const status = await router.dispatch('agent:status', { host: '127.0.0.1', port, apiKey }, context);
  expect(status).toMatchObject({ ok: true, value: { authorized: true } });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    client: new AgentClient({ host: '127.0.0.1', port, useTls: false, apiKey, timeoutMs: 5000 }),
  };
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

async function save(
  domain: string,
  port: number,
  withSecret = true,
  authMode: 'password' | 'deviceCode' = 'password',
): Promise<void> {
  const saved = await router.dispatch(
    'connections:save',
    {
      kind: 'microsoftOnline',
      name: `Fleet ${domain}`,
      tenantDomain: domain,
      authMode,
      userPrincipalName: `admin@${domain}`,
      remoteAgent: { host: '127.0.0.1', port },
      ...(withSecret ? { secret: `Marker-${domain}-Secret!` } : {}),
    },
    context,
  );
  if (!saved.ok) throw new Error(`save ${domain}: ${saved.error.message}`);
  const view = saved.value as { id: string; updatedAt: string };
  ids.set(domain, view.id);
  updatedAt.set(domain, view.updatedAt);
}

/** The id a route names when no connection has the domain. */
const strayId = '00000000-0000-4000-8000-0000000000ff';
const route = (domain: string, agentUrl: string) =>
  writeRoute({ file: routesFile, domain, agentUrl, connectionId: ids.get(domain) ?? strayId });

async function status(operationId?: string): Promise<FleetStatus> {
  const result = await router.dispatch('fleet:status', operationId ? { operationId } : {}, context);
  if (!result.ok) throw new Error(`fleet:status: ${result.error.code} ${result.error.message}`);
  return result.value as FleetStatus;
}

async function repair(request: object): Promise<FleetRepairReport> {
  const result = await router.dispatch('fleet:repair', request, context);
  if (!result.ok) throw new Error(`fleet:repair: ${result.error.code} ${result.error.message}`);
  return result.value as FleetRepairReport;
}

const rowOf = (fleet: FleetStatus, domain: string): FleetRow | undefined =>
  fleet.rows.find((row) => row.domain === domain);

/** What the agents hold and the routes file says: a repair that must change nothing leaves all three equal. */
async function snapshot() {
  return {
    a: (await agentA.client.list()).connections,
    b: (await agentB.client.list()).connections,
    routes: readFileSync(routesFile, 'utf8'),
  };
}

beforeAll(async () => {
  [agentA, agentB] = await Promise.all([runningAgent(), runningAgent()]);
  // A closed port: bound once, then released.
  const closed = createServer();
  const deadPort = await listening(closed);
  await new Promise((done) => closed.close(done));
  deadUrl = `http://127.0.0.1:${deadPort}`;
  // Accepts TCP, never answers: only the probe's timeout ends it.
  mute = createServer((socket) => {
    muteSockets.push(socket);
    socket.resume();
  });
  muteUrl = `http://127.0.0.1:${await listening(mute)}`;

  const settings = await router.dispatch(
    'settings:save',
    { remoteAgent: { host: '127.0.0.1', port: agentA.port } },
    context,
  );
  expect(settings.ok).toBe(true);

  for (const domain of [
    'ok.test',
    'stale.test',
    'norev.test',
    'missing.test',
    'other.test',
    'unreach.test',
    'mute.test',
    'noroute.test',
    'otherid.test',
  ])
    await save(domain, agentA.port);
  // A device-code sign-in needs a person, so it is no member of the fleet; an agent may still serve its domain
  // from an older copy, so its route is left alone.
  await save('device.test', agentB.port, false, 'deviceCode');

  // The agent's copies: current ones through Update Remote Agent; a stale one and one from an older utility
  // (no revision) written straight to the agent; none of missing.test.
  for (const domain of [
    'ok.test',
    'other.test',
    'unreach.test',
    'mute.test',
    'noroute.test',
    'otherid.test',
  ]) {
    const updated = await router.dispatch('agent:update', { connectionId: ids.get(domain) }, context);
    expect(updated).toMatchObject({ ok: true });
  }
  const copy = { authMode: 'password' as const, cloud: 'global' as const, secret: 'Old-Secret-1!' };
  await agentA.client.put('stale.test', {
    ...copy,
    userPrincipalName: 'admin@stale.test',
    revision: '2020-01-01T00:00:00.000Z',
  });
  await agentA.client.put('norev.test', { ...copy, userPrincipalName: 'admin@norev.test' });

  // The Workflow Engine's copy.
  for (const domain of ['ok.test', 'stale.test', 'norev.test', 'missing.test'])
    await route(domain, agentA.url);
  await route('other.test', agentB.url);
  await route('unreach.test', deadUrl);
  await route('mute.test', muteUrl);
  await route('orphan.test', agentB.url);
  await route('device.test', agentB.url);
  // The right agent, but the connection of another domain (a route copied from its neighbour).
  await writeRoute({
    file: routesFile,
    domain: 'otherid.test',
    agentUrl: agentA.url,
    connectionId: ids.get('ok.test') ?? strayId,
  });
}, 120_000);

afterAll(async () => {
  for (const socket of muteSockets) socket.destroy();
  if (mute) await new Promise((done) => mute.close(done));
  await stopAgents();
  await close();
});

describe('the agent keeps the revision each copy was made from', () => {
  it('GET /api/connections returns the revision Update Remote Agent sent, an older one, or none', async () => {
    const copies = new Map((await agentA.client.list()).connections.map((copy) => [copy.domain, copy]));
    expect(copies.get('ok.test')?.revision).toBe(updatedAt.get('ok.test'));
    expect(copies.get('stale.test')?.revision).toBe('2020-01-01T00:00:00.000Z');
    expect(copies.get('norev.test')).toBeDefined();
    expect(copies.get('norev.test')?.revision).toBeUndefined();
  });
});

describe('fleet:status', () => {
  it('finds every kind of drift, and an agent that never answers is unreachable, not a hang', async () => {
    progress.length = 0;
    const fleet = await status('fleet-status-1');
    const agents = new Map(fleet.agents.map((agent) => [agent.url, agent]));

    expect(fleet.routesFile).toBe(routesFile);
    expect(agents.get(agentA.url)).toMatchObject({
      state: 'running',
      version: expect.any(String),
      sources: ['connection', 'route', 'settings'],
      domains: [
        'mute.test',
        'norev.test',
        'noroute.test',
        'ok.test',
        'other.test',
        'otherid.test',
        'stale.test',
        'unreach.test',
      ],
      certificateExpiresAt: null,
    });
    expect(agents.get(agentB.url)).toMatchObject({ state: 'running', domains: [], sources: ['route'] });
    expect(rowOf(fleet, 'device.test')).toBeUndefined();
    expect(agents.get(deadUrl)).toMatchObject({
      state: 'unreachable',
      version: null,
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(agents.get(muteUrl)).toMatchObject({
      state: 'unreachable',
      message: expect.stringMatching(/did not answer/),
    });

    const drift = Object.fromEntries(fleet.rows.map((row) => [row.domain, [row.drift, row.repairs]]));
    expect(drift).toEqual({
      'ok.test': [[], []],
      'stale.test': [['staleOnAgent'], ['updateAgent']],
      'norev.test': [['staleOnAgent'], ['updateAgent']],
      'missing.test': [['missingOnAgent', 'routeToAgentWithoutDomain'], ['updateAgent']],
      'other.test': [['routeToOtherAgent', 'routeToAgentWithoutDomain'], ['registerRoute']],
      'unreach.test': [['routeToOtherAgent', 'routeToUnreachableAgent'], ['registerRoute']],
      'mute.test': [['routeToOtherAgent', 'routeToUnreachableAgent'], ['registerRoute']],
      'noroute.test': [['noRoute'], ['registerRoute']],
      'otherid.test': [['routeToOtherConnection'], ['registerRoute']],
      'orphan.test': [['routeWithoutConnection', 'routeToAgentWithoutDomain'], ['removeRoute']],
    });
    expect(fleet.driftCount).toBe(9);
    expect(fleet).not.toHaveProperty('rowsTruncated');
    // The agent and the copy agree; only the id the route names does not.
    expect(rowOf(fleet, 'otherid.test')).toMatchObject({
      connection: { id: ids.get('otherid.test'), agentUrl: agentA.url },
      agentCopy: { present: true, revision: updatedAt.get('otherid.test') },
      route: { agentUrl: agentA.url, connectionId: ids.get('ok.test') },
    });
    // Where the ids agree, nothing is flagged.
    expect(rowOf(fleet, 'ok.test')?.route?.connectionId).toBe(ids.get('ok.test'));
    expect(rowOf(fleet, 'ok.test')?.drift).toEqual([]);
    expect(rowOf(fleet, 'stale.test')).toMatchObject({
      connection: { id: ids.get('stale.test'), revision: updatedAt.get('stale.test'), agentUrl: agentA.url },
      agentCopy: { present: true, revision: '2020-01-01T00:00:00.000Z' },
      route: { agentUrl: agentA.url, connectionId: ids.get('stale.test') },
    });
    expect(rowOf(fleet, 'orphan.test')).toMatchObject({ connection: null, agentCopy: null });

    // One progress event per agent probed, under the request's operationId.
    expect(progress.map((event) => event.operationId)).toEqual(fleet.agents.map(() => 'fleet-status-1'));
    expect(progress.map((event) => event.done).sort((x, y) => x - y)).toEqual(
      fleet.agents.map((_, i) => i + 1),
    );
    expect(progress.every((event) => event.total === fleet.agents.length)).toBe(true);
  }, 30_000);
});

describe('fleet:repair', () => {
  it('a dry run lists the repairs and changes nothing', async () => {
    const before = await snapshot();
    const report = await repair({ dryRun: true });
    expect(report.after).toBeNull();
    expect(report.results.filter((result) => result.outcome === 'planned')).toHaveLength(8);
    expect(report.results).toContainEqual({
      domain: 'otherid.test',
      action: 'registerRoute',
      outcome: 'planned',
      message: `Update Agent in WE: route otherid.test to ${agentA.url} for Fleet otherid.test (${ids.get('otherid.test')}).`,
    });
    expect(report.results).toContainEqual({
      domain: 'orphan.test',
      action: 'removeRoute',
      outcome: 'skipped',
      message: expect.stringContaining('only when named'),
    });
    expect(await snapshot()).toEqual(before);
  }, 30_000);

  it('a request names a domain and an action only: one the fleet does not propose does nothing', async () => {
    const before = await snapshot();
    const report = await repair({
      repairs: [
        { domain: 'nowhere.test', action: 'updateAgent' },
        { domain: 'nowhere.test', action: 'registerRoute' },
        { domain: 'ok.test', action: 'removeRoute' },
        { domain: 'orphan.test', action: 'updateAgent' },
        { domain: 'orphan.test', action: 'registerRoute' },
        { domain: 'noroute.test', action: 'updateAgent' },
      ],
    });
    expect(report.results.map((result) => result.outcome)).toEqual(Array(6).fill('skipped'));
    expect(report.results[0]?.message).toContain('no saved connection or route for nowhere.test');
    expect(await snapshot()).toEqual(before);

    // A target in the request is refused before the handler runs.
    const aimed = await router.dispatch(
      'fleet:repair',
      { repairs: [{ domain: 'noroute.test', action: 'registerRoute', agentUrl: 'http://evil.test:1' }] },
      context,
    );
    expect(aimed).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('a failed repair skips the rest of its row and says why', async () => {
    // No stored secret: Update Remote Agent fails, so the route must not be moved to an agent without the copy.
    await save('nosecret.test', agentA.port, false);
    await route('nosecret.test', agentB.url);
    try {
      const report = await repair({
        repairs: [
          { domain: 'nosecret.test', action: 'registerRoute' },
          { domain: 'nosecret.test', action: 'updateAgent' },
        ],
      });
      expect(report.results).toEqual([
        {
          domain: 'nosecret.test',
          action: 'updateAgent',
          outcome: 'failed',
          message: expect.stringContaining('no stored secret'),
        },
        {
          domain: 'nosecret.test',
          action: 'registerRoute',
          outcome: 'skipped',
          message: expect.stringContaining('earlier repair of this row failed'),
        },
      ]);
      expect(rowOf(report.after as FleetStatus, 'nosecret.test')?.route?.agentUrl).toBe(agentB.url);
    } finally {
      await router.dispatch('connections:delete', { id: ids.get('nosecret.test') }, context);
      await route('nosecret.test', agentA.url);
      await router.dispatch(
        'fleet:repair',
        { repairs: [{ domain: 'nosecret.test', action: 'removeRoute' }] },
        context,
      );
    }
    expect(JSON.parse(readFileSync(routesFile, 'utf8')).routes['nosecret.test']).toBeUndefined();
  }, 60_000);

  it('the CLI: status exits 1 on drift; repair fixes all but the removal; --remove-routes makes it green', async () => {
    const cli = (...argv: string[]) => runCliInProcess(router, [...argv, '--routes', routesFile]);

    const drifting = await cli('fleet', 'status', '--json');
    expect(drifting.code).toBe(1);
    expect(JSON.parse(drifting.stdout)).toMatchObject({ driftCount: 9 });
    expect(drifting.stdout).toContain('routeToOtherConnection');
    const drawn = await cli('fleet', 'status');
    expect(drawn.stdout).toMatch(/otherid\.test .*route for another connection/);

    const first = await cli('fleet', 'repair', '--json');
    const report = JSON.parse(first.stdout) as FleetRepairReport;
    expect(first.code).toBe(1);
    expect(report.results.filter((result) => result.outcome === 'done')).toHaveLength(8);
    expect(report.results).toContainEqual({
      domain: 'otherid.test',
      action: 'registerRoute',
      outcome: 'done',
      message: `${routesFile} routes otherid.test to ${agentA.url} for Fleet otherid.test (the route named connection ${ids.get('ok.test')}).`,
    });
    // The file itself now names the domain's own connection, on the same agent.
    expect(JSON.parse(readFileSync(routesFile, 'utf8')).routes['otherid.test']).toMatchObject({
      agentUrl: agentA.url,
      connectionId: ids.get('otherid.test'),
    });
    expect(report.results.find((result) => result.action === 'removeRoute')).toMatchObject({
      domain: 'orphan.test',
      outcome: 'skipped',
    });
    expect(report.after?.rows.filter((row) => row.drift.length).map((row) => row.domain)).toEqual([
      'orphan.test',
    ]);

    const second = await cli('fleet', 'repair', '--remove-routes');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/orphan\.test +removeRoute +done/);

    const green = await cli('fleet', 'status');
    expect(green.code).toBe(0);
    expect(green.stdout).toContain('OK: the store, the agents and the routes agree.');

    const fleet = await status();
    expect(fleet.driftCount).toBe(0);
    expect(fleet.rows.every((row) => row.drift.length === 0)).toBe(true);
    expect(rowOf(fleet, 'orphan.test')).toBeUndefined();
    // Every copy on the agent now carries the store's revision; every route points at the connection's agent.
    for (const row of fleet.rows) {
      expect(row.agentCopy).toEqual({ present: true, revision: row.connection?.revision });
      expect(row.route).toEqual({ agentUrl: agentA.url, connectionId: row.connection?.id });
    }
    // Nothing routes to the dead or the mute agent any more, so they are no longer part of the fleet.
    expect(fleet.agents.map((agent) => agent.url).sort()).toEqual([agentA.url, agentB.url].sort());
    expect(JSON.parse(readFileSync(routesFile, 'utf8')).routes['device.test']).toMatchObject({
      agentUrl: agentB.url,
    });
  }, 90_000);
});
