import type { AgentConnection } from '../../common/agent/agent-api';
import type { MicrosoftOnlineConnection } from '../../common/connections/connection';
import type { Diagnosis, Stage } from '../../common/diagnostics/diagnosis';
import { AgentClient, agentUnreachable } from '../agent/agent-client';
import { agentBinding, agentOriginOf } from '../connections/secret-binding';
import { healthFinding, listWithKey, olderAgent, transportFinding } from './agent/agent-checks';
import { type CopyFinding, copyFinding } from './agent/agent-copy';
import { type AgentAccess, type RouteCheck, routeStageBody } from './agent/agent-route';
import { withStageDeadline } from './stage-deadline';
import { StageRun } from './stage-runner';
import { tcpConnect } from './tcp-connect';

export type { AgentAccess } from './agent/agent-route';

export interface AgentDiagnosisInput {
  connection: MicrosoftOnlineConnection;
  trustSystemStore: boolean;
  /** The stored API key and certificate pin of the connection's own agent. */
  access: AgentAccess;
  /** Those of another agent, for a route that points elsewhere. */
  accessFor: (endpoint: { host: string; port: number; useTls: boolean }) => Promise<AgentAccess>;
  /** The Workflow Engine routes file, as Settings (or the CLI's --routes) name it. */
  routesFile: string;
  timeoutMs?: number;
  /** The agent.host stage's deadline; absent: agentHostTimeoutMs. */
  agentHostTimeoutMs?: number;
  /**
   * Asked once the agent accepted the key and holds the domain: the agent host's own diagnosis of it. Its time
   * is the remote agent's `agent.host` stage.
   */
  askAgentHost?: (client: AgentClient, domain: string) => Promise<Diagnosis>;
}

export interface AgentDiagnosisOptions {
  signal?: AbortSignal;
  onStage?: (stage: Stage) => void;
}

export interface AgentDiagnosis {
  remoteAgent: Diagnosis;
  /** The agent host's diagnosis; null when it was not asked or could not answer (agent.host says why). */
  agentHost: Diagnosis | null;
}

const defaultTimeoutMs = 8000;

/** The agent host runs every Microsoft Online stage itself before it answers. */
export const agentHostTimeoutMs = 90_000;

function originOf(endpoint: { host: string; port: number; useTls: boolean }): string {
  return agentOriginOf(agentBinding(endpoint));
}

const stageNames = {
  tcp: (port: number) => `TCP ${port}`,
  tls: 'TLS and pin',
  health: 'Health',
  key: 'API key',
  copy: 'Copy of the connection',
  route: 'Workflow Engine route',
  host: 'Diagnosis on the agent host',
};

/**
 * The connection's Remote Agent as this computer sees it: TCP → TLS and its pin → health (version) → the stored
 * API key accepted → the agent's copy of this domain (present, same revision as the connection) → and, beside
 * each other, the Workflow Engine's route (present, pointing at this agent) and the agent host's own
 * diagnosis. Nothing is written anywhere; no connection secret travels, only the agent's own key.
 */
export async function diagnoseAgent(
  input: AgentDiagnosisInput,
  options: AgentDiagnosisOptions = {},
): Promise<AgentDiagnosis> {
  const { connection, access } = input;
  const endpoint = connection.remoteAgent;
  const domain = connection.tenantDomain;
  const url = originOf(endpoint);
  const timeoutMs = input.timeoutMs ?? defaultTimeoutMs;
  const run = new StageRun('remoteAgent', 'local', domain, options.onStage, options.signal);
  const hostTimeoutMs = input.agentHostTimeoutMs ?? agentHostTimeoutMs;
  // Cancel ends the request in flight, not only the wait for it; a stage's own signal also ends it at its deadline.
  const client = (apiKey: string | null, ms = timeoutMs, signal = options.signal) =>
    new AgentClient({
      ...endpoint,
      ...(apiKey ? { apiKey } : {}),
      timeoutMs: ms,
      trustSystemStore: input.trustSystemStore,
      pinnedFingerprint: endpoint.useTls ? access.pinnedFingerprint : null,
      ...(signal ? { signal } : {}),
    });
  const order = [
    { id: 'agent.tcp', name: stageNames.tcp(endpoint.port) },
    { id: 'agent.tls', name: stageNames.tls },
    { id: 'agent.health', name: stageNames.health },
    { id: 'agent.key', name: stageNames.key },
    { id: 'agent.copy', name: stageNames.copy },
  ];
  const skipFrom = (index: number, reason: string) => {
    for (const stage of order.slice(index)) run.skip(stage.id, stage.name, reason);
  };

  /** TCP → TLS → health → key → copy; what the agent holds of the domain, or null when it cannot be told. */
  const chain = async (): Promise<AgentConnection | null | undefined> => {
    const reached = await run.stage(
      'agent.tcp',
      stageNames.tcp(endpoint.port),
      async () => {
        try {
          return await tcpConnect(endpoint.host, endpoint.port, timeoutMs, options.signal);
        } catch (error) {
          throw agentUnreachable(url, error as NodeJS.ErrnoException);
        }
      },
      { finding: (at) => ({ detail: `connected to ${at.address}:${at.port}` }) },
    );
    if (!reached) {
      skipFrom(1, `nothing accepts connections at ${url}`);
      return undefined;
    }
    const secured = await run.stage(
      'agent.tls',
      stageNames.tls,
      () => transportFinding(endpoint, access, input.trustSystemStore, timeoutMs, options.signal),
      { finding: (found) => found },
    );
    if (!secured) {
      skipFrom(2, 'the agent may not be sent a request');
      return undefined;
    }
    const health = await run.stage('agent.health', stageNames.health, () => client(null).health(), {
      finding: healthFinding(url),
    });
    if (!health) {
      skipFrom(3, 'the agent did not answer its health check');
      return undefined;
    }
    const listed = await run.stage(
      'agent.key',
      stageNames.key,
      () => listWithKey(client, access.apiKey, url),
      {
        finding: (list) => ({ detail: `accepted; the agent holds ${list.length} connection(s)` }),
      },
    );
    if (!listed) {
      skipFrom(4, 'the agent did not accept the key');
      return undefined;
    }
    const copy = listed.find((held) => held.domain.toLowerCase() === domain.toLowerCase()) ?? null;
    await run.stage<CopyFinding>(
      'agent.copy',
      stageNames.copy,
      async () => copyFinding(copy, connection, url),
      { finding: (found) => found },
    );
    return copy;
  };

  const copy = await chain();
  let agentHost: Diagnosis | null = null;
  const routeCheck: RouteCheck = {
    domain,
    connectionId: connection.id,
    own: { url, held: copy === undefined ? null : copy !== null },
    routesFile: input.routesFile,
    timeoutMs,
    trustSystemStore: input.trustSystemStore,
    accessFor: input.accessFor,
  };
  // The two stages that wait on other hosts get a deadline each: past it their requests are destroyed and the
  // stage fails, so neither a route's agent nor the agent host can keep the diagnosis (or a socket) open.
  await Promise.all([
    run.stage(
      'agent.route',
      stageNames.route,
      () =>
        withStageDeadline(
          {
            name: stageNames.route,
            timeoutMs,
            hint: 'Check that the Remote Agent the route names answers (the Agents view, or "fleet status"), then diagnose again.',
            signal: options.signal,
          },
          (signal) => routeStageBody({ ...routeCheck, signal }),
        ),
      { finding: (found) => found },
    ),
    (async () => {
      const ask = input.askAgentHost;
      if (!ask) return;
      if (!copy) {
        run.skip(
          'agent.host',
          stageNames.host,
          copy === null ? 'the agent holds no copy of this domain' : 'the agent could not be asked',
        );
        return;
      }
      agentHost =
        (await run.stage(
          'agent.host',
          stageNames.host,
          () =>
            withStageDeadline(
              {
                name: stageNames.host,
                timeoutMs: hostTimeoutMs,
                hint: 'Diagnose again; if it persists, check the agent host’s own network (its proxy, DNS, firewall) and its log.',
                signal: options.signal,
              },
              (signal) => ask(client(access.apiKey, hostTimeoutMs, signal), domain).catch(olderAgent(url)),
            ),
          {
            finding: (answer) => ({
              detail: `${answer.stages.length} stage(s) on the agent host: ${answer.status}`,
            }),
          },
        )) ?? null;
    })(),
  ]);
  return { remoteAgent: run.finish(), agentHost };
}
