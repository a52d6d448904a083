import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import type { FleetAgentState } from '../../common/fleet/fleet';
import { AgentClient, assertSecureTransport } from '../agent/agent-client';
import type { GatheredAgent } from './gather-agents';

/** What one probe learned: the agent's state and, when it could list them, its copies by domain. */
export interface AgentProbe {
  state: FleetAgentState;
  message?: string;
  version: string | null;
  /** Domain (lower case) → the revision its copy carries (null: a copy pushed without one). */
  copies: Map<string, string | null>;
  durationMs: number;
}

export interface ProbeOptions {
  /** The whole probe, health and list together: an agent that answers nothing costs this much, no more. */
  timeoutMs: number;
  apiKey: string | null;
  trustSystemStore: boolean;
  pinnedFingerprint: string | null;
  /** Cancel: ends the request in flight, as the deadline does. */
  signal?: AbortSignal;
}

const stateOfCode: Partial<Record<string, FleetAgentState>> = {
  [AppErrorCode.agentUnauthorized]: 'keyRejected',
  [AppErrorCode.agentCertificateChanged]: 'certificateChanged',
  [AppErrorCode.agentCertificateUntrusted]: 'certificateUntrusted',
  [AppErrorCode.agentInsecureTransport]: 'insecure',
};

/** The sentence and next step of a failure, as the agent row shows them; never more than the contract holds. */
function messageOf(error: AppFailure): string {
  const { message, hint } = error.appError;
  return `${message}${hint ? ` ${hint}` : ''}`.slice(0, 1000);
}

function failed(error: unknown): Pick<AgentProbe, 'state' | 'message'> {
  if (error instanceof AppFailure)
    return { state: stateOfCode[error.appError.code] ?? 'unreachable', message: messageOf(error) };
  // Not a failure of the agent's making (a bug here): still one agent's row, not the whole fleet's.
  return { state: 'unreachable', message: 'The probe of this agent failed unexpectedly. Try again.' };
}

/**
 * Asks one agent for its health and, with the stored key, for its connections, all within one timeout. Nothing
 * is written: the fleet only looks. Never throws; an agent that cannot be asked is a state with its reason.
 */
export async function probeAgent(agent: GatheredAgent, options: ProbeOptions): Promise<AgentProbe> {
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  // Ends the request in flight when the probe's time is up: a server still sending must not keep a socket open.
  const giveUp = new AbortController();
  const cancel = () => giveUp.abort();
  if (options.signal?.aborted) giveUp.abort();
  else options.signal?.addEventListener('abort', cancel, { once: true });
  const client = (withKey: boolean) =>
    new AgentClient({
      host: agent.host,
      port: agent.port,
      useTls: agent.useTls,
      allowInsecure: agent.allowInsecure,
      ...(withKey && options.apiKey ? { apiKey: options.apiKey } : {}),
      // Each request gets what is left: the second cannot stretch the probe past its deadline.
      timeoutMs: Math.max(1, Math.ceil(deadline - performance.now())),
      trustSystemStore: options.trustSystemStore,
      pinnedFingerprint: options.pinnedFingerprint,
      signal: giveUp.signal,
    });

  const ask = async (): Promise<Omit<AgentProbe, 'durationMs'>> => {
    // Checked before any socket: a plain-HTTP agent beyond loopback is not contacted at all.
    assertSecureTransport(agent);
    const health = await client(false).health();
    if (!options.apiKey) {
      return {
        state: 'noKey',
        message:
          'No API key is stored for this agent, so its connections cannot be listed. Enter the key from the agent’s data folder (api-key) on a connection’s Remote Agent tab, or run "agent status --api-key-stdin".',
        version: health.version,
        copies: new Map(),
      };
    }
    try {
      const { connections } = await client(true).list();
      return {
        state: 'running',
        version: health.version,
        copies: new Map(connections.map((copy) => [copy.domain.toLowerCase(), copy.revision ?? null])),
      };
    } catch (error) {
      return { ...failed(error), version: health.version, copies: new Map() };
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Omit<AgentProbe, 'durationMs'>>((resolve) => {
    timer = setTimeout(() => {
      // Resolved first, so the race reports the timeout and not the cancellation the abort causes.
      resolve({
        state: 'unreachable',
        message: `The Remote Agent at ${agent.url} did not answer within ${options.timeoutMs} ms. Start the Remote Agent (its service on the host), check the host, port and firewall, then refresh.`,
        version: null,
        copies: new Map(),
      });
      giveUp.abort();
    }, options.timeoutMs);
  });
  const answered = ask().catch((error: unknown) => ({ ...failed(error), version: null, copies: new Map() }));
  try {
    return { ...(await Promise.race([answered, timedOut])), durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', cancel);
  }
}
