import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RemoteAgentProcess, startRemoteAgent } from '../../../e2e/fixtures/remote-agent-process';
import type { MicrosoftOnlineConnection } from '../../common/connections/connection';
import type { Diagnosis, Stage } from '../../common/diagnostics/diagnosis';
import { AgentClient } from '../agent/agent-client';
import { closedPort } from '../fixtures/closed-port';
import { type AgentAccess, diagnoseAgent } from './agent-stages';
import {
  connectionOnAgent,
  type RouteTargets,
  savedRevision as revision,
  writeRoutesFile,
} from './fixtures/agent-stage-inputs';

// The Remote Agent stages from this computer against real agent processes on loopback (two over HTTP, one over
// HTTPS with its own certificate) and routes files written for each test.

let agentA: RemoteAgentProcess;
let agentB: RemoteAgentProcess;
let agentTls: RemoteAgentProcess;
const folder = mkdtempSync(join(tmpdir(), 'cu-diag-agent-'));

beforeAll(async () => {
  [agentA, agentB, agentTls] = await Promise.all([
    startRemoteAgent(),
    startRemoteAgent(),
    startRemoteAgent({ args: ['--tls'] }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([agentA?.stop(), agentB?.stop(), agentTls?.stop()]);
});

/** Gives `agent` a copy of `domain` made from the connection's revision (or the one given). */
async function putCopy(agent: RemoteAgentProcess, domain: string, copyRevision?: string) {
  await new AgentClient({
    host: '127.0.0.1',
    port: agent.port,
    useTls: false,
    apiKey: agent.apiKey,
  }).put(domain, {
    authMode: 'password',
    userPrincipalName: `admin@${domain}`,
    secret: 'not-a-real-password',
    cloud: 'global',
    ...(copyRevision ? { revision: copyRevision } : {}),
  });
}

const routesFile = (routes: RouteTargets) => writeRoutesFile(folder, routes);

/** What this computer stores per agent origin: every agent's own key unless a test says otherwise. */
function accessBy(overrides: Record<string, Partial<AgentAccess>> = {}) {
  return async (endpoint: { host: string; port: number; useTls: boolean }): Promise<AgentAccess> => {
    const origin = `${endpoint.useTls ? 'https' : 'http'}://${endpoint.host}:${endpoint.port}`;
    const agent = [agentA, agentB, agentTls].find((candidate) => candidate.port === endpoint.port);
    return { apiKey: agent?.apiKey ?? null, pinnedFingerprint: null, ...overrides[origin] };
  };
}

async function diagnose(
  connection: MicrosoftOnlineConnection,
  file: string,
  overrides: Record<string, Partial<AgentAccess>> = {},
) {
  const accessFor = accessBy(overrides);
  return diagnoseAgent({
    connection,
    trustSystemStore: false,
    access: await accessFor(connection.remoteAgent),
    accessFor,
    routesFile: file,
    timeoutMs: 3000,
  });
}

const summary = (diagnosis: Diagnosis) =>
  diagnosis.stages.map(
    (stage: Stage) => `${stage.id}:${stage.status}${stage.error ? `:${stage.error.code}` : ''}`,
  );

describe('diagnoseAgent against real agent processes', () => {
  it('passes every stage when the agent holds the same revision and the route points at it', async () => {
    const connection = connectionOnAgent('healthy.contoso.test', agentA);
    await putCopy(agentA, 'healthy.contoso.test', revision);
    const { remoteAgent, agentHost } = await diagnose(
      connection,
      routesFile({ 'healthy.contoso.test': { agentUrl: agentA.url, connectionId: connection.id } }),
    );
    expect(summary(remoteAgent)).toEqual([
      'agent.tcp:ok',
      'agent.tls:ok',
      'agent.health:ok',
      'agent.key:ok',
      'agent.copy:ok',
      'agent.route:ok',
    ]);
    expect(remoteAgent).toMatchObject({ kind: 'remoteAgent', side: 'local', status: 'ok' });
    expect(remoteAgent.stages.find((stage) => stage.id === 'agent.health')?.detail).toMatch(/^version \d/);
    expect(agentHost).toBeNull();
    expect(JSON.stringify(remoteAgent)).not.toContain(agentA.apiKey);
  });

  it('warns at agent.copy when the agent’s copy is older than the connection', async () => {
    const connection = connectionOnAgent('stale.contoso.test', agentA);
    await putCopy(agentA, 'stale.contoso.test', '2030-04-01T10:00:00.000Z');
    const { remoteAgent } = await diagnose(
      connection,
      routesFile({ 'stale.contoso.test': { agentUrl: agentA.url, connectionId: connection.id } }),
    );
    expect(remoteAgent.stages.find((stage) => stage.id === 'agent.copy')).toMatchObject({
      status: 'warn',
      error: {
        code: 'agent.copyStale',
        message: expect.stringContaining('older'),
        hint: expect.stringContaining('Update Remote Agent'),
        detail: { agentRevision: '2030-04-01T10:00:00.000Z', revision },
      },
    });
  });

  it('fails at agent.copy when the agent has no copy, and at agent.route since the route leads to it', async () => {
    const connection = connectionOnAgent('missing.contoso.test', agentA);
    const { remoteAgent } = await diagnose(
      connection,
      routesFile({ 'missing.contoso.test': { agentUrl: agentA.url, connectionId: connection.id } }),
    );
    expect(summary(remoteAgent).slice(4)).toEqual([
      'agent.copy:fail:agent.unknownDomain',
      'agent.route:fail:we.routeToAgentWithoutDomain',
    ]);
  });

  it('fails at agent.route when the route leads to another agent that lacks the domain', async () => {
    const connection = connectionOnAgent('elsewhere.contoso.test', agentA);
    await putCopy(agentA, 'elsewhere.contoso.test', revision);
    const { remoteAgent } = await diagnose(
      connection,
      routesFile({ 'elsewhere.contoso.test': { agentUrl: agentB.url, connectionId: connection.id } }),
    );
    expect(remoteAgent.stages.find((stage) => stage.id === 'agent.copy')?.status).toBe('ok');
    expect(remoteAgent.stages.find((stage) => stage.id === 'agent.route')).toMatchObject({
      status: 'fail',
      error: {
        code: 'we.routeToAgentWithoutDomain',
        message: expect.stringContaining(agentB.url),
        hint: expect.stringContaining('Update Agent in WE'),
      },
    });
  });

  it('warns at agent.route when the route leads to another agent that does hold the domain', async () => {
    const connection = connectionOnAgent('both.contoso.test', agentA);
    await Promise.all([
      putCopy(agentA, 'both.contoso.test', revision),
      putCopy(agentB, 'both.contoso.test', revision),
    ]);
    const { remoteAgent } = await diagnose(
      connection,
      routesFile({ 'both.contoso.test': { agentUrl: agentB.url, connectionId: connection.id } }),
    );
    expect(remoteAgent.stages.find((stage) => stage.id === 'agent.route')).toMatchObject({
      status: 'warn',
      error: { code: 'we.routeToOtherAgent' },
    });
  });

  it('fails at agent.route with we.routeMissing when the routes file has no route for the domain', async () => {
    const connection = connectionOnAgent('unrouted.contoso.test', agentA);
    await putCopy(agentA, 'unrouted.contoso.test', revision);
    const { remoteAgent } = await diagnose(connection, join(folder, 'no-such-routes.json'));
    expect(summary(remoteAgent).at(-1)).toBe('agent.route:fail:we.routeMissing');
  });

  it('fails at agent.key with a wrong key and skips the copy; the route is still read', async () => {
    const connection = connectionOnAgent('wrongkey.contoso.test', agentA);
    const { remoteAgent } = await diagnose(
      connection,
      routesFile({ 'wrongkey.contoso.test': { agentUrl: agentA.url, connectionId: connection.id } }),
      { [agentA.url]: { apiKey: 'not-the-agent-key' } },
    );
    expect(summary(remoteAgent)).toEqual([
      'agent.tcp:ok',
      'agent.tls:ok',
      'agent.health:ok',
      'agent.key:fail:agent.unauthorized',
      'agent.copy:skipped',
      'agent.route:ok',
    ]);
    expect(remoteAgent.stages[3]?.error?.hint).toContain('key show');
    expect(JSON.stringify(remoteAgent)).not.toContain('not-the-agent-key');
  });

  it('fails at agent.key when no key is stored for the agent', async () => {
    const connection = connectionOnAgent('nokey.contoso.test', agentA);
    const { remoteAgent } = await diagnose(connection, join(folder, 'none.json'), {
      [agentA.url]: { apiKey: null },
    });
    expect(remoteAgent.stages[3]).toMatchObject({
      id: 'agent.key',
      status: 'fail',
      error: { code: 'agent.unauthorized', message: expect.stringContaining('no API key') },
    });
  });

  it('fails at agent.tcp when nothing listens on the agent’s port, skipping what needs it', async () => {
    const { remoteAgent } = await diagnose(
      connectionOnAgent('down.contoso.test', { port: await closedPort() }),
      join(folder, 'x.json'),
    );
    expect(summary(remoteAgent)).toEqual([
      'agent.tcp:fail:agent.unreachable',
      'agent.tls:skipped',
      'agent.health:skipped',
      'agent.key:skipped',
      'agent.copy:skipped',
      'agent.route:fail:we.routeMissing',
    ]);
    expect(remoteAgent.stages[0]?.error?.hint).toContain('Start the Remote Agent');
  });

  it('fails at agent.tls for an HTTPS agent not trusted yet, and passes once its fingerprint is pinned', async () => {
    const connection = connectionOnAgent('pinned.contoso.test', { port: agentTls.port, useTls: true });
    const untrusted = await diagnose(connection, join(folder, 'x.json'));
    expect(untrusted.remoteAgent.stages[1]).toMatchObject({
      id: 'agent.tls',
      status: 'fail',
      error: {
        code: 'agent.certificateUntrusted',
        detail: { fingerprint: agentTls.certificateFingerprint },
      },
    });
    expect(untrusted.remoteAgent.stages[2]?.status).toBe('skipped');
    const pinned = await diagnose(connection, join(folder, 'x.json'), {
      [agentTls.url]: { pinnedFingerprint: agentTls.certificateFingerprint },
    });
    expect(summary(pinned.remoteAgent).slice(0, 4)).toEqual([
      'agent.tcp:ok',
      'agent.tls:ok',
      'agent.health:ok',
      'agent.key:ok',
    ]);
    expect(pinned.remoteAgent.stages[1]?.detail).toContain('pinned');
  });
});
