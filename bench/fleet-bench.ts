import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentStore } from '../remote-agent/agent-store';
import { buildAgent } from '../remote-agent/server';
import { exportFormat } from '../shared/common/connections/transfer';
import { fleetProbeTimeoutMs } from '../shared/node/fleet/fleet-status';
import { probeAgent } from '../shared/node/fleet/probe-agent';
import { createHandlers } from '../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../shared/node/ipc/node-host-dependencies';
import { createRouter } from '../shared/node/ipc/router';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { medianMs, type Row } from './measure';

// Issue 16: `fleet status` over 50 agents × 20 domains on loopback, plus agents that accept TCP and never
// answer. Up to 64 agents are probed at once, so the whole fleet should cost about one probe timeout, not 55.

const agentCount = 50;
const domainsPerAgent = 20;
const hungCount = 5;
const at = '2026-11-26T08:00:00.000Z';

interface BenchAgent {
  port: number;
  apiKey: string;
  close(): Promise<void>;
}

/** A real agent (Fastify routes, SQLite store) in this process on loopback, holding its domains' copies. */
async function agentWith(domains: readonly { domain: string; revision: string }[]): Promise<BenchAgent> {
  const dir = mkdtempSync(join(tmpdir(), 'cu-bench-fleet-agent-'));
  const store = await AgentStore.open(dir, await KeyFileVault.open(dir));
  for (const { domain, revision } of domains)
    await store.put(domain, {
      authMode: 'password',
      userPrincipalName: `admin@${domain}`,
      secret: 'Bench-Secret-1!',
      cloud: 'global',
      revision,
    });
  const apiKey = randomUUID();
  const agent = await buildAgent({ store, apiKey });
  await agent.app.listen({ host: '127.0.0.1', port: 0 });
  const address = agent.app.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    apiKey,
    close: async () => {
      await agent.app.close();
      store.close();
    },
  };
}

/** Accepts TCP and never answers: the kind of dead agent only the probe timeout ends. */
async function hungAgent(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.resume();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

function writeRoutes(file: string, routes: Record<string, { agentUrl: string; connectionId: string }>): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const withTimes = Object.fromEntries(
    Object.entries(routes).map(([domain, route]) => [domain, { ...route, updatedAt: at }]),
  );
  writeFileSync(file, JSON.stringify({ version: 1, routes: withTimes }));
}

/**
 * The fleet's status through the router, as the window and the CLI ask it: the store's 1,000 connections, the
 * routes file and 50 agents' lists compared. Baselines: one probe of one answering agent, and of one hung agent
 * (which takes the whole timeout by construction).
 */
export async function fleetBench(runs: number): Promise<Row[]> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cu-bench-fleet-'));
  const deps = nodeHostDependencies({ host: 'cli', userDataDir });
  const router = createRouter(createHandlers(deps));
  const stores = deps.connectionStores;

  const plan = Array.from({ length: agentCount }, (_, a) =>
    Array.from({ length: domainsPerAgent }, (_, d) => ({
      id: randomUUID(),
      domain: `d${d}.a${a}.fleet.test`,
    })),
  );
  const agents: BenchAgent[] = [];
  const hung: { port: number; close(): Promise<void> }[] = [];
  try {
    // Each agent holds its 20 copies at the revision the store will have (an import keeps updatedAt): no drift.
    for (const domains of plan)
      agents.push(await agentWith(domains.map(({ domain }) => ({ domain, revision: at }))));
    const connections = plan.flatMap((domains, a) =>
      domains.map(({ id, domain }) => ({
        kind: 'microsoftOnline',
        id,
        name: domain,
        createdAt: at,
        updatedAt: at,
        tenantDomain: domain,
        authMode: 'password',
        userPrincipalName: `admin@${domain}`,
        remoteAgent: { host: '127.0.0.1', port: agents[a]?.port ?? 0 },
      })),
    );
    // One import (as a restored export) rather than 1,000 saves: the seeding is not what is measured.
    const store = await stores.forWriting();
    await store.import({ format: exportFormat, version: 1, exportedAt: at, connections });
    for (const agent of agents) await store.saveAgentKey(`http://127.0.0.1:${agent.port}`, agent.apiKey);
    const settings = await router.invoke('settings:save', {
      remoteAgent: { host: '127.0.0.1', port: agents[0]?.port ?? 0 },
    });
    if (!settings.ok) throw new Error(`settings:save: ${settings.error.message}`);

    for (let h = 0; h < hungCount; h += 1) hung.push(await hungAgent());
    const routes = Object.fromEntries(
      connections.map((c) => [
        c.tenantDomain,
        { agentUrl: `http://127.0.0.1:${c.remoteAgent.port}`, connectionId: c.id },
      ]),
    );
    const answering = join(userDataDir, 'routes-answering.json');
    writeRoutes(answering, routes);
    const withHung = join(userDataDir, 'routes-with-hung.json');
    writeRoutes(withHung, {
      ...routes,
      ...Object.fromEntries(
        hung.map((h, i) => [
          `gone${i}.fleet.test`,
          { agentUrl: `http://127.0.0.1:${h.port}`, connectionId: randomUUID() },
        ]),
      ),
    });

    let last = { agents: 0, rows: 0, drift: -1, running: 0 };
    const status = (routesFile: string) => async () => {
      const result = await router.invoke('fleet:status', {}, { emit: () => {}, host: { routesFile } });
      if (!result.ok) throw new Error(`fleet:status: ${result.error.message}`);
      const fleet = result.value;
      last = {
        agents: fleet.agents.length,
        rows: fleet.rows.length,
        drift: fleet.driftCount,
        running: fleet.agents.filter((agent) => agent.state === 'running').length,
      };
    };
    const live = await medianMs(status(answering), runs, 1);
    const liveShape = last;
    const withHungMs = await medianMs(status(withHung), runs, 1);
    const hungShape = last;

    const first = agents[0];
    const one = { host: '127.0.0.1', port: first?.port ?? 0, useTls: false, allowInsecure: false };
    const probeOptions = { trustSystemStore: true, pinnedFingerprint: null, timeoutMs: fleetProbeTimeoutMs };
    const oneLive = await medianMs(
      () =>
        probeAgent(
          { ...one, url: `http://127.0.0.1:${one.port}`, sources: ['connection'] },
          { ...probeOptions, apiKey: first?.apiKey ?? null },
        ),
      runs,
    );
    const hungPort = hung[0]?.port ?? 0;
    const oneHung = await medianMs(
      () =>
        probeAgent(
          { ...one, port: hungPort, url: `http://127.0.0.1:${hungPort}`, sources: ['route'] },
          { ...probeOptions, apiKey: null },
        ),
      runs,
      0,
    );
    const target = `≤ ${fleetProbeTimeoutMs + 250} ms (one probe timeout + 250 ms)`;
    return [
      {
        case: `fleet status: ${liveShape.running}/${liveShape.agents} agents running, ${liveShape.rows} domains, drift ${liveShape.drift}`,
        medianMs: live,
        baseline: 'probe of 1 answering agent',
        baselineMs: oneLive,
        target,
      },
      {
        case: `fleet status: ${hungShape.running} running + ${hungShape.agents - hungShape.running} that never answer, ${hungShape.rows} domains`,
        medianMs: withHungMs,
        baseline: 'probe of 1 hung agent (the timeout)',
        baselineMs: oneHung,
        target,
      },
    ];
  } finally {
    await Promise.all([...agents, ...hung].map((agent) => agent.close()));
    await stores.close();
  }
}
