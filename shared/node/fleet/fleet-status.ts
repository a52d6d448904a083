import type { RemoteAgentTarget } from '../../common/connections/connection';
import { AppErrorCode, AppFailure } from '../../common/errors/app-error';
import { type FleetAgent, type FleetStatus, fleetAgentLimit, fleetRowLimit } from '../../common/fleet/fleet';
import { httpsOrigin } from '../agent/agent-tls';
import type { ConnectionStoreProvider } from '../connections/connection-store-provider';
import { agentBinding } from '../connections/secret-binding';
import { readRoutes } from '../workflow-engine/routes-file';
import { certificateExpiryOf, lastTestsByAgent } from './agent-facts';
import { atMostAtOnce } from './at-most-at-once';
import { fleetConnectionsOf, interactiveOnlyDomains } from './fleet-connections';
import { fleetRows, limitRows } from './fleet-rows';
import { type GatheredAgent, gatherAgents, limitAgents } from './gather-agents';
import { type AgentProbe, probeAgent } from './probe-agent';

/** How long one agent may take to answer health and list together. */
export const fleetProbeTimeoutMs = 3000;

/**
 * How many agents are probed at once. Enough that a fleet of 50 agents plus a few dead ones costs one probe
 * timeout (the bench's promise), few enough that a routes file naming a thousand URLs opens 64 sockets at a
 * time, not a thousand.
 */
export const fleetProbeConcurrency = 64;

export interface FleetStatusInput {
  stores: ConnectionStoreProvider;
  /** The routes file main reads and writes (Settings, CU_WORKFLOW_ENGINE_ROUTES, or the CLI's --routes). */
  routesFile: string;
  /** Settings' Remote Agent: one of the fleet even before a connection uses it. */
  defaultAgent: RemoteAgentTarget;
  trustSystemStore: boolean;
  probeTimeoutMs?: number;
  /** How many probes run at once; absent: fleetProbeConcurrency. */
  probeConcurrency?: number;
  /** Called as each agent's probe ends, in the order they end. */
  onProbed?: (agent: FleetAgent, done: number, total: number) => void;
  /** Cancel: the probes in flight end their requests, none starts, and the status ends as cancelled. */
  signal?: AbortSignal;
  now?: () => Date;
}

/**
 * The fleet as it is now: every agent known from the store, the routes file and Settings (at most
 * fleetAgentLimit), probed in parallel (fleetProbeConcurrency at a time) with the stored keys and pins, and per
 * domain the store's, the agent's and the route's copies compared (at most fleetRowLimit rows, drift first).
 * Reads only: no key is judged, no pin or expiry recorded, no file written.
 */
export async function fleetStatus(input: FleetStatusInput): Promise<FleetStatus> {
  const store = await input.stores.forReading();
  const everyConnection = store.list().connections;
  const connections = fleetConnectionsOf(everyConnection);
  const { routes } = (await readRoutes(input.routesFile)).document;
  const { kept: gathered, leftOut } = limitAgents(
    gatherAgents({ connections, routes, defaultAgent: input.defaultAgent }),
    fleetAgentLimit,
  );
  const timeoutMs = input.probeTimeoutMs ?? fleetProbeTimeoutMs;
  const lastTests = lastTestsByAgent(connections, (id) => {
    try {
      return store.testHistory(id).entries;
    } catch {
      // A history that cannot be read costs the column its date, not the fleet its status.
      return [];
    }
  });

  let done = 0;
  const probeOne = async (agent: GatheredAgent): Promise<[FleetAgent, AgentProbe]> => {
    const probe = await probeAgent(agent, {
      timeoutMs,
      // A key that no longer opens is no key: the row says so instead of failing the whole fleet.
      apiKey: await store.readAgentKey(agentBinding(agent)).catch(() => null),
      trustSystemStore: input.trustSystemStore,
      pinnedFingerprint: agent.useTls ? await store.readAgentPin(httpsOrigin(agent)) : null,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const row: FleetAgent = {
      url: agent.url,
      host: agent.host,
      port: agent.port,
      useTls: agent.useTls,
      state: probe.state,
      ...(probe.message ? { message: probe.message } : {}),
      version: probe.version,
      domains: [...probe.copies.keys()].sort(),
      lastTest: lastTests.get(agent.url) ?? null,
      certificateExpiresAt: certificateExpiryOf(agent, everyConnection),
      sources: agent.sources,
      durationMs: probe.durationMs,
    };
    done += 1;
    input.onProbed?.(row, done, gathered.length);
    return [row, probe];
  };
  const probed = await atMostAtOnce(gathered, input.probeConcurrency ?? fleetProbeConcurrency, probeOne);
  // Probes cut short by Cancel look unreachable: the status they would make is not the fleet's.
  if (input.signal?.aborted)
    throw new AppFailure({
      code: AppErrorCode.operationCancelled,
      message: 'The check of the agents was cancelled.',
    });

  const everyRow = fleetRows({
    connections,
    routes,
    probes: new Map(probed.map(([agent, probe]) => [agent.url, probe])),
    ignoredDomains: interactiveOnlyDomains(everyConnection),
  });
  const { kept: rows, leftOut: rowsLeftOut } = limitRows(everyRow, fleetRowLimit);
  return {
    checkedAt: (input.now?.() ?? new Date()).toISOString(),
    routesFile: input.routesFile,
    agents: probed.map(([agent]) => agent),
    ...(leftOut > 0 ? { truncated: leftOut } : {}),
    rows,
    ...(rowsLeftOut > 0 ? { rowsTruncated: rowsLeftOut } : {}),
    driftCount: everyRow.filter((row) => row.drift.length > 0).length,
  };
}
