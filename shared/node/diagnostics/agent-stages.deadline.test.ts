import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type MicrosoftOnlineConnection,
  MicrosoftOnlineConnectionSchema,
} from '../../common/connections/connection';
import type { Diagnosis, Stage } from '../../common/diagnostics/diagnosis';
import { AppFailure } from '../../common/errors/app-error';
import { type Behaviour, type HostileAgent, startHostileAgent } from '../agent/fixtures/hostile-agent';
import { type AgentAccess, diagnoseAgent } from './agent-stages';

// The two Remote Agent stages that wait on other hosts, against a loopback "agent" that answers everything but
// one path, where it trickles a byte at a time forever: the route's agent listing its copies (agent.route), and
// the agent host's own diagnosis (agent.host). Each stage must fail at its deadline with a timeout code and close
// the connection; Cancel must end the diagnosis and close it too. And the route stage names the routes file
// without its folder, since its facts go into the support bundle.

const folder = mkdtempSync(join(tmpdir(), 'cu-diag-deadline-'));
const revision = '2030-05-01T10:00:00.000Z';
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

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

function connectionAt(port: number): MicrosoftOnlineConnection {
  return MicrosoftOnlineConnectionSchema.parse({
    kind: 'microsoftOnline',
    id: randomUUID(),
    name: domain,
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: revision,
    tenantDomain: domain,
    authMode: 'password',
    userPrincipalName: `admin@${domain}`,
    remoteAgent: { host: '127.0.0.1', port, useTls: false },
  });
}

function routesFile(routes: Record<string, { agentUrl: string; connectionId: string }> | string): string {
  const file = join(folder, `routes-${randomUUID()}.json`);
  const entries =
    typeof routes === 'string'
      ? routes
      : JSON.stringify({
          version: 1,
          routes: Object.fromEntries(
            Object.entries(routes).map(([name, route]) => [name, { ...route, updatedAt: revision }]),
          ),
        });
  writeFileSync(file, entries);
  return file;
}

const access: AgentAccess = { apiKey: 'a-stored-key', pinnedFingerprint: null };
const stageOf = (diagnosis: Diagnosis, id: string): Stage | undefined =>
  diagnosis.stages.find((stage) => stage.id === id);

describe('the agent stages that wait on other hosts', () => {
  it('agent.route fails with diagnostics.stageTimeout when the route’s agent never finishes its list', async () => {
    const routed = await agentAnswering({ '/api/connections': trickle });
    const connection = connectionAt(await closedPort());
    const { remoteAgent } = await diagnoseAgent({
      connection,
      trustSystemStore: false,
      access,
      accessFor: async () => access,
      routesFile: routesFile({ [domain]: { agentUrl: routed.url, connectionId: connection.id } }),
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
    const { remoteAgent, agentHost } = await diagnoseAgent({
      connection,
      trustSystemStore: false,
      access,
      accessFor: async () => access,
      routesFile: routesFile({ [domain]: { agentUrl: agent.url, connectionId: connection.id } }),
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
    const running = diagnoseAgent(
      {
        connection,
        trustSystemStore: false,
        access,
        accessFor: async () => access,
        routesFile: routesFile({ [domain]: { agentUrl: agent.url, connectionId: connection.id } }),
        timeoutMs: 5000,
        askAgentHost: (client, name) => client.diagnose(name),
      },
      { signal: cancel.signal },
    ).then(
      () => null,
      (error: unknown) => error,
    );
    const asked = await agent.request('/api/diagnostics');
    cancel.abort();
    const error = await running;
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).appError.code).toBe('operation.cancelled');
    await asked.closed;
  });

  it('agent.route names the routes file without its folder', async () => {
    const connection = connectionAt(await closedPort());
    const missing = routesFile({});
    const invalid = routesFile('not json');
    for (const file of [missing, invalid]) {
      const { remoteAgent } = await diagnoseAgent({
        connection,
        trustSystemStore: false,
        access,
        accessFor: async () => access,
        routesFile: file,
        timeoutMs: 2000,
      });
      const stage = stageOf(remoteAgent, 'agent.route');
      expect(stage?.status).toBe('fail');
      expect(JSON.stringify(stage)).not.toContain(folder);
      expect(JSON.stringify(stage)).toContain(file.slice(folder.length + 1));
    }
  });
});
