import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../../../cli/run-cli-in-process';
import { startAgent, stopAgents } from '../../../../remote-agent/fixtures/agent-process';
import {
  type FleetRepairReport,
  type FleetStatus,
  FleetStatusSchema,
  fleetRowLimit,
} from '../../../common/fleet/fleet';
import { testHost } from '../fixtures/test-host';

// A store and routes file naming more domains than a status may hold: the answer still passes the router's check
// of the contract, keeps every row that needs a repair, and says how many it left out.

delete process.env.CU_WORKFLOW_ENGINE_ROUTES;
const userDataDir = mkdtempSync(join(tmpdir(), 'cu-fleet-rows-'));
const routesFile = join(userDataDir, 'workflow-engine', 'routes.json');
const { router, close } = testHost({ userDataDir });
const context = { emit: () => {} };

/** Saved, pushed to the agent and routed there: in agreement. Their names sort before every drifting one. */
const agreeing = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((name) => `${name}.limit.test`);
/** Routes only, for domains no connection has: drift each. With the agreeing ones, five over the limit. */
const drifting = Array.from(
  { length: fleetRowLimit - 1 },
  (_, i) => `r${String(i).padStart(4, '0')}.limit.test`,
);

async function call<T>(channel: string, request: object): Promise<T> {
  const result = await router.dispatch(channel, request, context);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

let agentUrl = '';

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cu-fleet-rows-agent-'));
  const started = await startAgent(['--port', '0', '--data', dataDir]);
  const port = Number(new URL(started.ready.url).port);
  agentUrl = `http://127.0.0.1:${port}`;
  const apiKey = readFileSync(join(dataDir, 'api-key'), 'utf8').trim();
  await call('agent:status', { host: '127.0.0.1', port, apiKey });
  await call('settings:save', { remoteAgent: { host: '127.0.0.1', port } });

  const strayId = '00000000-0000-4000-8000-0000000000ff';
  const routes = Object.fromEntries(
    drifting.map((domain) => [
      domain,
      { agentUrl, connectionId: strayId, updatedAt: '2030-01-01T00:00:00.000Z' },
    ]),
  );
  mkdirSync(dirname(routesFile), { recursive: true });
  writeFileSync(routesFile, JSON.stringify({ version: 1, routes }));

  for (const domain of agreeing) {
    const saved = await call<{ id: string }>('connections:save', {
      kind: 'microsoftOnline',
      name: `Limit ${domain}`,
      tenantDomain: domain,
      authMode: 'password',
      userPrincipalName: `admin@${domain}`,
      remoteAgent: { host: '127.0.0.1', port },
      secret: `Marker-${domain}-Secret!`,
    });
    await call('agent:update', { connectionId: saved.id });
    await call('we:register', { domain, agentUrl });
  }
}, 120_000);

afterAll(async () => {
  await stopAgents();
  await close();
});

describe(`more than ${fleetRowLimit} rows`, () => {
  it('fleet:status answers within the contract: the drifting rows first, the rest counted', async () => {
    const fleet = await call<FleetStatus>('fleet:status', {});
    expect(FleetStatusSchema.safeParse(fleet).success).toBe(true);
    expect(fleet.rows).toHaveLength(fleetRowLimit);
    expect(fleet.rowsTruncated).toBe(5);
    // Counted over every row, those left out included.
    expect(fleet.driftCount).toBe(drifting.length);
    // Every drifting row is kept, in domain order, ahead of the one agreeing row there is room for.
    expect(fleet.rows.slice(0, drifting.length).map((row) => row.domain)).toEqual(drifting);
    expect(fleet.rows.slice(0, drifting.length).every((row) => row.drift.length > 0)).toBe(true);
    expect(fleet.rows[drifting.length]).toMatchObject({
      domain: agreeing[0],
      drift: [],
      route: { agentUrl },
    });
  }, 60_000);

  it('a dry run of Repair all answers within the contract too, for the rows the status holds', async () => {
    const report = await call<FleetRepairReport>('fleet:repair', { dryRun: true });
    expect(report.after).toBeNull();
    expect(report.results).toHaveLength(drifting.length);
    expect(report.results.every((result) => result.action === 'removeRoute')).toBe(true);
  }, 60_000);

  it('the CLI says how many domains it left out, and exits 1 on the drift', async () => {
    const cli = await runCliInProcess(router, ['fleet', 'status', '--routes', routesFile]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(
      `5 more domain(s) not listed: a status holds at most ${fleetRowLimit} rows, those with drift first.`,
    );
    expect(cli.stdout).toContain(`DRIFT: ${drifting.length} domain(s) disagree.`);
  }, 60_000);
});
