import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MicrosoftOnlineConnection } from '../../common/connections/connection';
import type { Diagnosis, Stage } from '../../common/diagnostics/diagnosis';
import { type Behaviour, type HostileAgent, startHostileAgent } from '../agent/fixtures/hostile-agent';
import { closedPort } from '../fixtures/closed-port';
import { failureOf } from '../fixtures/failure-of';
import {
  type AgentAccess,
  type AgentDiagnosisInput,
  type AgentDiagnosisOptions,
  diagnoseAgent,
} from './agent-stages';
import {
  connectionOnAgent,
  type RouteTargets,
  savedRevision as revision,
  writeRoutesFile,
} from './fixtures/agent-stage-inputs';

// The two Remote Agent stages that wait on other hosts, against a loopback "agent" that answers everything but
// one path, where it trickles a byte at a time forever: the route's agent listing its copies (agent.route), and
// the agent host's own diagnosis (agent.host). Each stage must fail at its deadline with a timeout code and close
// the connection; Cancel must end the diagnosis and close it too. And the route stage names the routes file
// without its folder, since its facts go into the support bundle.

const folder = mkdtempSync(join(tmpdir(), 'cu-diag-deadline-'));
const domain = 'deadline.contoso.test';
const trickle: Behaviour = { kind: 'trickle', everyMs: 20 };

let agents: HostileAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  agents = [];
});

/** An agent that answers health and lists `domain` at the connection's revision, except where `paths` say. */
async function agentAnswering(paths: Record<string, Behaviour> = {}): Promise<HostileAgent> {
  const agent = await startHostileAgent({
    '/api/health': { kind: 'json', body: { status: 'ok', version: '9.9.9', connections: 1 } },
    '/api/connections': {
      kind: 'json',
      body: {
        connections: [
          {
            domain,
            authMode: 'password',
            userPrincipalName: `admin@${domain}`,
            cloud: 'global',
            revision,
            hasSecret: true,
            updatedAt: revision,
          },
        ],
      },
    },
    ...paths,
  });
  agents.push(agent);
  return agent;
}

const connectionAt = (port: number) => connectionOnAgent(domain, { port });
const routesFile = (routes: RouteTargets | string) => writeRoutesFile(folder, routes);
/** A routes file whose only route sends `domain` to `agentUrl`, for `connection`. */
const routeTo = (agentUrl: string, connection: MicrosoftOnlineConnection) =>
  routesFile({ [domain]: { agentUrl, connectionId: connection.id } });

const access: AgentAccess = { apiKey: 'a-stored-key', pinnedFingerprint: null };
/** diagnoseAgent with one stored key for every agent and no system trust: each test gives only what it varies. */
const diagnoseWith = (
  input: Pick<AgentDiagnosisInput, 'connection' | 'routesFile'> & Partial<AgentDiagnosisInput>,
  options?: AgentDiagnosisOptions,
) => diagnoseAgent({ trustSystemStore: false, access, accessFor: async () => access, ...input }, options);
const stageOf = (diagnosis: Diagnosis, id: string): Stage | undefined =>
  diagnosis.stages.find((stage) => stage.id === id);

describe('the agent stages that wait on other hosts', () => {
  it('agent.route fails with diagnostics.stageTimeout when the route’s agent never finishes its list', async () => {
    const routed = await agentAnswering({ '/api/connections': trickle });
    const connection = connectionAt(await closedPort());
    const { remoteAgent } = await diagnoseWith({
      connection,
      routesFile: routeTo(routed.url, connection),
      timeoutMs: 400,
    });
    expect(stageOf(remoteAgent, 'agent.tcp')?.status).toBe('fail');
    expect(stageOf(remoteAgent, 'agent.route')).toMatchObject({
      status: 'fail',
      error: { code: 'diagnostics.stageTimeout', detail: { timeoutMs: 400 } },
    });
    const listed = await routed.request('/api/connections');
    await listed.closed;
    expect(listed.isClosed()).toBe(true);
  });

  it('agent.host fails with diagnostics.stageTimeout when the agent host never finishes its answer', async () => {
    const agent = await agentAnswering({ '/api/diagnostics': trickle });
    const connection = connectionAt(agent.port);
    const { remoteAgent, agentHost } = await diagnoseWith({
      connection,
      routesFile: routeTo(agent.url, connection),
      timeoutMs: 5000,
      agentHostTimeoutMs: 400,
      askAgentHost: (client, name) => client.diagnose(name),
    });
    expect(stageOf(remoteAgent, 'agent.copy')?.status).toBe('ok');
    expect(stageOf(remoteAgent, 'agent.route')?.status).toBe('ok');
    expect(stageOf(remoteAgent, 'agent.host')).toMatchObject({
      status: 'fail',
      error: { code: 'diagnostics.stageTimeout', hint: expect.stringContaining('agent host') },
    });
    expect(agentHost).toBeNull();
    await (await agent.request('/api/diagnostics')).closed;
  });

  it('Cancel ends the diagnosis and the agent host’s request with it', async () => {
    const agent = await agentAnswering({ '/api/diagnostics': { kind: 'silent' } });
    const connection = connectionAt(agent.port);
    const cancel = new AbortController();
    const running = failureOf(
      diagnoseWith(
        {
          connection,
          routesFile: routeTo(agent.url, connection),
          timeoutMs: 5000,
          askAgentHost: (client, name) => client.diagnose(name),
        },
        { signal: cancel.signal },
      ),
    );
    const asked = await agent.request('/api/diagnostics');
    cancel.abort();
    expect((await running).code).toBe('operation.cancelled');
    await asked.closed;
  });

  it('agent.route names the routes file without its folder', async () => {
    const connection = connectionAt(await closedPort());
    const missing = routesFile({});
    const invalid = routesFile('not json');
    for (const file of [missing, invalid]) {
      const { remoteAgent } = await diagnoseWith({ connection, routesFile: file, timeoutMs: 2000 });
      const stage = stageOf(remoteAgent, 'agent.route');
      expect(stage?.status).toBe('fail');
      expect(JSON.stringify(stage)).not.toContain(folder);
      expect(JSON.stringify(stage)).toContain(file.slice(folder.length + 1));
    }
  });
});
