import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetStatusSchema, fleetAgentLimit } from '../../common/fleet/fleet';
import { createConnectionStoreProvider } from '../connections/connection-store-provider';
import { KeyFileVault } from '../vault/key-file-vault';
import { fleetProbeConcurrency, fleetStatus } from './fleet-status';

// A routes file may name any number of agent URLs. The fleet must not open a socket to all of them at once, and
// must still answer within its contract (at most fleetAgentLimit agents) when there are more.

const dir = mkdtempSync(join(tmpdir(), 'cu-fleet-limits-'));
const stores = createConnectionStoreProvider({ dir, vault: () => KeyFileVault.open(dir) });
const at = '2030-01-01T00:00:00.000Z';
// Settings' agent: plain HTTP beyond loopback, so it is never contacted; its URL sorts after every 10.x one.
const defaultAgent = { host: '192.0.2.1', port: 40002, useTls: false, allowInsecure: false };

function routesFile(agentUrls: readonly string[]): string {
  const file = join(dir, `routes-${agentUrls.length}.json`);
  mkdirSync(dir, { recursive: true });
  const routes = Object.fromEntries(
    agentUrls.map((agentUrl, i) => [
      `d${i}.fleet.test`,
      { agentUrl, connectionId: '00000000-0000-4000-8000-000000000001', updatedAt: at },
    ]),
  );
  writeFileSync(file, JSON.stringify({ version: 1, routes }));
  return file;
}

/** `count` agents on loopback that accept TCP and never answer, counting how many connections are open. */
async function hungAgents(count: number) {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let open = 0;
  let mostOpen = 0;
  let accepted = 0;
  for (let i = 0; i < count; i += 1) {
    const server = createServer((socket) => {
      accepted += 1;
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      sockets.add(socket);
      let ended = false;
      // The client's FIN is read before a later connection is accepted: 'end' counts it at once.
      const end = () => {
        if (ended) return;
        ended = true;
        open -= 1;
      };
      socket.on('end', end).on('close', end).on('error', end);
      socket.resume();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    servers.push(server);
  }
  return {
    urls: servers.map((server) => `http://127.0.0.1:${(server.address() as { port: number }).port}`),
    mostOpenAtOnce: () => mostOpen,
    openNow: () => open,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    },
  };
}

let hung: Awaited<ReturnType<typeof hungAgents>>;
const openNow = () => hung.openNow();
const hungCount = 100;
beforeAll(async () => {
  hung = await hungAgents(hungCount);
});
afterAll(async () => {
  await hung?.close();
  await stores.close();
});

describe('fleetStatus limits', () => {
  it(`probes at most ${fleetProbeConcurrency} agents at once, and still every one`, async () => {
    const status = await fleetStatus({
      stores,
      routesFile: routesFile(hung.urls),
      defaultAgent,
      trustSystemStore: false,
      probeTimeoutMs: 300,
    });
    expect(fleetProbeConcurrency).toBeLessThan(hungCount);
    expect(hung.accepted()).toBe(hungCount);
    expect(hung.mostOpenAtOnce()).toBeLessThanOrEqual(fleetProbeConcurrency);
    const states = new Map(status.agents.map((agent) => [agent.url, agent.state]));
    for (const url of hung.urls) expect(states.get(url)).toBe('unreachable');
  });

  it(`answers within the contract for a routes file naming more than ${fleetAgentLimit} agents`, async () => {
    // Plain HTTP beyond loopback: each is refused before any socket, so a thousand cost nothing to "probe".
    const urls = Array.from(
      { length: fleetAgentLimit + 5 },
      (_, i) => `http://10.77.${Math.floor(i / 250)}.${i % 250}:40002`,
    );
    const status = await fleetStatus({
      stores,
      routesFile: routesFile(urls),
      defaultAgent,
      trustSystemStore: false,
    });
    expect(FleetStatusSchema.safeParse(status).success).toBe(true);
    expect(status.agents).toHaveLength(fleetAgentLimit);
    // 1,005 routes and Settings' agent: six left out, and Settings' is not one of them.
    expect(status.truncated).toBe(6);
    expect(status.agents.map((agent) => agent.url)).toContain('http://192.0.2.1:40002');
    const urlsShown = status.agents.map((agent) => agent.url);
    expect(urlsShown).toEqual([...urlsShown].sort((a, b) => a.localeCompare(b)));
  });

  it('says nothing of truncation when every agent fits', async () => {
    const status = await fleetStatus({
      stores,
      routesFile: routesFile(['http://10.78.0.1:40002']),
      defaultAgent,
      trustSystemStore: false,
    });
    expect(status.agents).toHaveLength(2);
    expect(status).not.toHaveProperty('truncated');
  });

  it('Cancel ends a check of agents that never answer: cancelled, not a status, every connection closed', async () => {
    const cancel = new AbortController();
    const pending = fleetStatus({
      stores,
      routesFile: routesFile(hung.urls.slice(0, 10)),
      defaultAgent,
      trustSystemStore: false,
      // Long enough that only Cancel can end it within the test's own timeout.
      probeTimeoutMs: 60_000,
      signal: cancel.signal,
    });
    const acceptedBefore = hung.accepted();
    while (hung.accepted() < acceptedBefore + 10) await new Promise((done) => setTimeout(done, 10));
    cancel.abort();
    await expect(pending).rejects.toMatchObject({ appError: { code: 'operation.cancelled' } });
    // The probes ended their requests: the hung servers see every connection close.
    while (hung.mostOpenAtOnce() > 0 && openNow() > 0) await new Promise((done) => setTimeout(done, 10));
    expect(openNow()).toBe(0);
  });
});
