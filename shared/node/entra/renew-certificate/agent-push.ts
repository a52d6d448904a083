import type { MicrosoftOnlineConnection } from '../../../common/connections/connection';
import { AgentClient } from '../../agent/agent-client';
import { httpsOrigin } from '../../agent/agent-tls';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { agentBinding, agentOriginOf } from '../../connections/secret-binding';
import { messageOf } from './error-message';
import type { AgentPush } from './renew-certificate';

export interface AgentPushInput {
  stores: ConnectionStoreProvider;
  connection: MicrosoftOnlineConnection;
  trustSystemStore: boolean;
  /** Update Remote Agent for the saved connection: the agent:update path itself, so the same rules hold. */
  update: () => Promise<unknown>;
}

/**
 * Gives the renewed connection to the Remote Agents that hold its domain. A secret only ever goes to the agent
 * saved with the connection (its binding covers it), so that is the one asked: with the API key remembered for
 * it, does it hold the domain? If so it is updated; if it does not hold the domain, there is nothing to update;
 * if it cannot be asked (no key here) or refuses the update, it is reported, and the old certificate stays.
 */
export async function pushToHoldingAgents(input: AgentPushInput): Promise<AgentPush> {
  const { connection } = input;
  const agent = connection.remoteAgent;
  const binding = agentBinding(agent);
  const url = agentOriginOf(binding);
  const store = await input.stores.forReading();
  const apiKey = await store.readAgentKey(binding).catch(() => null);
  // No key here proves nothing: another computer, or a reinstall, may have given that agent the domain.
  if (!apiKey)
    return {
      updated: [],
      notUpdated: [],
      unknown: [
        {
          url,
          reason: `This computer has no API key for ${url}, so whether it holds ${connection.tenantDomain} is unknown.`,
        },
      ],
    };
  let holds: boolean;
  try {
    const client = new AgentClient({
      ...agent,
      apiKey,
      trustSystemStore: input.trustSystemStore,
      pinnedFingerprint: agent.useTls ? await store.readAgentPin(httpsOrigin(agent)) : null,
      timeoutMs: 15_000,
    });
    const { connections } = await client.list();
    holds = connections.some((held) => held.domain.toLowerCase() === connection.tenantDomain);
  } catch (error) {
    return { updated: [], notUpdated: [{ url, reason: messageOf(error) }] };
  }
  if (!holds)
    return {
      updated: [],
      notUpdated: [],
      note: `No Remote Agent to update: ${url} does not hold ${connection.tenantDomain}.`,
    };
  try {
    await input.update();
    return { updated: [url], notUpdated: [] };
  } catch (error) {
    return { updated: [], notUpdated: [{ url, reason: messageOf(error) }] };
  }
}
