import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ownEmulator, userOf } from '../e2e/fixtures/entra-emulator/emulator-test-client';
import { type InspectingProxy, startInspectingProxy } from '../e2e/fixtures/rogue/inspecting-proxy';
import type { Diagnosis } from '../shared/common/diagnostics/diagnosis';
import { diagnoseOnline } from '../shared/node/diagnostics/online-stages';
import { failureOf } from '../shared/node/fixtures/failure-of';
import { adminSignIn, agentHoldingTenant } from './fixtures/agent-holding-tenant';
import { killAgents, stopAgents } from './fixtures/agent-process';

// POST /api/diagnostics on real agent processes on loopback: each diagnoses its own stored copy against an Entra
// emulator of this file's own, and one runs behind a TLS-inspecting proxy (HTTPS_PROXY in its environment only).

let stack: Awaited<ReturnType<typeof ownEmulator>>;
let proxy: InspectingProxy;

beforeAll(async () => {
  stack = await ownEmulator();
  proxy = await startInspectingProxy({ upstreamCaPem: stack.caPem });
}, 60_000);
afterAll(async () => {
  killAgents();
  await proxy?.stop();
  await stack?.emulator.stop();
});
afterEach(async () => {
  await stopAgents();
  await stack.client.call('POST', '/_emulator/faults/clear');
});

const admin = () => userOf(stack.tenant, 'globalAdmin');

/** This computer's own diagnosis of the connection the agent holds: the other side of the comparison. */
const diagnoseHere = () =>
  diagnoseOnline(
    {
      connection: { tenantDomain: stack.tenant.domain, authMode: 'password', ...adminSignIn(stack) },
      secret: admin().password,
    },
    { side: 'local' },
  );

const ids = (diagnosis: Diagnosis, status: string) =>
  diagnosis.stages.filter((stage) => stage.status === status).map((stage) => stage.id);

// Each test starts an agent from TypeScript (tsx): seconds on a busy host.
describe('POST /api/diagnostics on a real agent', { timeout: 60_000 }, () => {
  it('diagnoses the agent’s own copy from its host: every stage passes, as on this computer, with no secret', async () => {
    const { client } = await agentHoldingTenant(stack);
    const [agentHost, local] = await Promise.all([client.diagnose(stack.tenant.domain), diagnoseHere()]);
    expect(agentHost).toMatchObject({
      kind: 'microsoftOnline',
      side: 'agentHost',
      domain: stack.tenant.domain,
      status: 'ok',
    });
    expect(ids(agentHost, 'ok')).toEqual(ids(local, 'ok'));
    expect(ids(agentHost, 'ok')).toEqual([
      'online.dns',
      'online.proxy',
      'online.tcp',
      'online.tls',
      'online.metadata',
      'online.clock',
      'online.signIn',
      'graph.organization',
      'graph.domain',
      'graph.directoryRoles',
      'graph.subscribedSkus',
    ]);
    expect(JSON.stringify(agentHost)).not.toContain(admin().password);
  });

  it('a Graph 503 fails the agent host’s diagnosis at that Graph stage with its hint', async () => {
    const { client } = await agentHoldingTenant(stack);
    await stack.client.call('POST', '/_emulator/faults/graph', {
      json: { path: '/organization', status: 503 },
    });
    const diagnosis = await client.diagnose(stack.tenant.domain);
    expect(ids(diagnosis, 'fail')).toEqual(['graph.organization']);
    expect(diagnosis.stages.find((stage) => stage.id === 'graph.organization')?.error).toMatchObject({
      code: 'entra.throttled',
      hint: expect.stringContaining('service health'),
      detail: { status: 503 },
    });
  });

  it('works here, fails on the agent host at TLS: the agent behind an inspecting proxy names its CA', async () => {
    const { client } = await agentHoldingTenant(stack, { HTTPS_PROXY: proxy.url });
    const tunnelsBefore = proxy.tunnels().length;
    const [agentHost, local] = await Promise.all([client.diagnose(stack.tenant.domain), diagnoseHere()]);
    expect(local.status).toBe('ok');
    expect(proxy.tunnels().length).toBeGreaterThan(tunnelsBefore);
    expect(agentHost.status).toBe('fail');
    expect(ids(agentHost, 'ok')).toEqual(['online.dns', 'online.proxy', 'online.tcp']);
    expect(ids(agentHost, 'fail')).toEqual(['online.tls']);
    const proxyStage = agentHost.stages.find((stage) => stage.id === 'online.proxy');
    expect(proxyStage?.detail).toBe(`via ${proxy.url} (HTTPS_PROXY)`);
    // The first stage that differs between the two hosts is TLS, and it says why.
    const firstDifferent = agentHost.stages.find(
      (stage, index) => stage.status !== local.stages[index]?.status,
    );
    expect(firstDifferent).toMatchObject({
      id: 'online.tls',
      error: {
        code: 'entra.tlsUntrusted',
        message: expect.stringContaining(
          "issued by 'Corp Proxy CA', which this host does not trust — a TLS-inspecting proxy?",
        ),
        hint: expect.stringMatching(/Update Remote Agent.*bypass the proxy for 127\.0\.0\.1:\d+/),
        detail: { issuer: 'Corp Proxy CA', inspectingProxy: true },
      },
    });
  });

  it('answers 404 agent.unknownDomain for a domain it has no copy of', async () => {
    const { client } = await agentHoldingTenant(stack);
    expect(await failureOf(client.diagnose('fabrikam.test'))).toMatchObject({
      code: 'agent.unknownDomain',
      hint: expect.stringContaining('Update Remote Agent'),
      detail: { status: 404 },
    });
  });

  it('refuses without the API key (401) and an invalid body (400), as the other guarded routes do', async () => {
    const { agent, apiKey } = await agentHoldingTenant(stack);
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${agent.ready.url}/api/diagnostics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    const unauthorized = await post({}, JSON.stringify({ domain: stack.tenant.domain }));
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({ code: 'agent.unauthorized' });
    const invalid = await post(
      { authorization: `Bearer ${apiKey}` },
      JSON.stringify({ domain: 'not a domain' }),
    );
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 'input.invalid' });
  });

  it('is in the OpenAPI document as diagnoseConnection, behind the API key', async () => {
    const { agent } = await agentHoldingTenant(stack);
    const document = (await (await fetch(`${agent.ready.url}/swagger/json`)).json()) as {
      paths: Record<string, { post?: { operationId?: string; security?: unknown[]; responses?: object } }>;
    };
    const operation = document.paths['/api/diagnostics']?.post;
    expect(operation?.operationId).toBe('diagnoseConnection');
    expect(operation?.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(operation?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '404']),
    );
  });
});
