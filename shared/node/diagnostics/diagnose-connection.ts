import type { Connection } from '../../common/connections/connection';
import type { DiagnoseResult, Diagnosis, Stage } from '../../common/diagnostics/diagnosis';
import type { AgentClient } from '../agent/agent-client';
import { type AgentAccess, type AgentDiagnosis, diagnoseAgent } from './agent-stages';
import { diagnoseDirectory } from './directory-stages';
import { firstDifference } from './first-difference';
import { diagnoseOnline } from './online-stages';

export type DiagnosisSection = 'thisComputer' | 'remoteAgent' | 'agentHost';

/** What the Remote Agent part needs besides the connection: what this computer stores for agents, the routes. */
export interface AgentSideInput {
  access: AgentAccess;
  accessFor: (endpoint: { host: string; port: number; useTls: boolean }) => Promise<AgentAccess>;
  routesFile: string;
}

export interface DiagnoseConnectionInput {
  connection: Connection;
  /** The secret bound to the connection (AD password, Entra password, client secret or key); null: none. */
  secret: string | null;
  trustSystemStore: boolean;
  /** Given for a Microsoft Online connection: also its Remote Agent, and the agent host's own diagnosis. */
  agent: AgentSideInput | null;
  timeoutMs?: number;
}

export interface DiagnoseConnectionOptions {
  signal?: AbortSignal;
  onStage?: (section: DiagnosisSection, stage: Stage) => void;
}

/** The agent host's diagnosis of the domain, through POST /api/diagnostics with the agent's own key. */
async function askAgentHost(
  client: AgentClient,
  domain: string,
  onStage: (stage: Stage) => void,
): Promise<Diagnosis> {
  const diagnosis = await client.diagnose(domain);
  // The agent answers all at once; its stages reach the window as they arrive here.
  for (const stage of diagnosis.stages) onStage(stage);
  return diagnosis;
}

/**
 * A whole diagnosis of one connection. This computer runs the connection's own stages (Active Directory or
 * Microsoft Online); with the agent asked for, a Microsoft Online connection's Remote Agent is probed from here
 * and diagnoses the domain on its own host at the same time, and the first stage where the two hosts differ is
 * named in one sentence.
 */
export async function diagnoseConnection(
  input: DiagnoseConnectionInput,
  options: DiagnoseConnectionOptions = {},
): Promise<Omit<DiagnoseResult, 'connectionId'>> {
  const checkedAt = new Date().toISOString();
  const { connection } = input;
  const report = (section: DiagnosisSection) => (stage: Stage) => options.onStage?.(section, stage);
  const timing = input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs };
  const signal = options.signal ? { signal: options.signal } : {};

  if (connection.kind === 'activeDirectory') {
    const thisComputer = await diagnoseDirectory(
      { connection, password: input.secret, trustSystemStore: input.trustSystemStore, ...timing },
      { ...signal, onStage: report('thisComputer') },
    );
    return {
      domain: connection.domain,
      checkedAt,
      thisComputer,
      remoteAgent: null,
      agentHost: null,
      difference: null,
    };
  }

  const agentSide = input.agent;
  const [thisComputer, agent] = await Promise.all([
    diagnoseOnline(
      { connection, secret: input.secret, trustSystemStore: input.trustSystemStore, ...timing },
      { side: 'local', ...signal, onStage: report('thisComputer') },
    ),
    agentSide
      ? diagnoseAgent(
          {
            connection,
            trustSystemStore: input.trustSystemStore,
            access: agentSide.access,
            accessFor: agentSide.accessFor,
            routesFile: agentSide.routesFile,
            ...timing,
            askAgentHost: (client, domain) => askAgentHost(client, domain, report('agentHost')),
          },
          { ...signal, onStage: report('remoteAgent') },
        )
      : Promise.resolve<AgentDiagnosis | null>(null),
  ]);
  const agentHost = agent?.agentHost ?? null;
  return {
    domain: connection.tenantDomain,
    checkedAt,
    thisComputer,
    remoteAgent: agent?.remoteAgent ?? null,
    agentHost,
    difference: agentHost ? firstDifference(thisComputer, agentHost) : null,
  };
}
