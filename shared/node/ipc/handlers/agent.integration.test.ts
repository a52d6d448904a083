import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCliInProcess } from '../../../../cli/run-cli-in-process';
import { startAgent, stopAgents } from '../../../../remote-agent/fixtures/agent-process';
import { nodeHostDependencies } from '../node-host-dependencies';
import { createRouter } from '../router';
import { createHandlers } from './create-handlers';

// The utility's side of the procedure: Update Remote Agent, Test AAD Connection, against a real agent process.
const entra = inject('entra');
const tenant = entra.tenants[0];
const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
const caPem = readFileSync(entra.caFile, 'utf8');
const agentData = mkdtempSync(join(tmpdir(), 'cu-agent-ipc-'));
let port = 0;
let apiKey = '';

const deps = nodeHostDependencies({
  host: 'devHost',
  userDataDir: mkdtempSync(join(tmpdir(), 'cu-ipc-agent-')),
});
const router = createRouter(createHandlers(deps), { operations: deps.operations });
const context = { emit: () => {} };
let connectionId = '';

beforeAll(async () => {
  const agent = await startAgent(['--port', '0', '--data', agentData]);
  port = Number(new URL(agent.ready.url).port);
  apiKey = readFileSync(join(agentData, 'api-key'), 'utf8').trim();
  const saved = await router.dispatch(
    'connections:save',
    {
      kind: 'microsoftOnline',
      name: 'Contoso M365',
      tenantDomain: tenant?.domain,
      authMode: 'password',
      userPrincipalName: admin?.upn,
      authorityHost: entra.url,
      graphHost: entra.url,
      caPem,
      remoteAgent: { host: '127.0.0.1', port },
      secret: admin?.password,
    },
    context,
  );
  connectionId = saved.ok ? (saved.value as { id: string }).id : '';
});

afterAll(async () => {
  await stopAgents();
  await deps.connectionStores.close();
});

describe('Remote Agent over IPC', () => {
  it('status without a key answers health; with a wrong key says refused; the right key is remembered', async () => {
    const endpoint = { host: '127.0.0.1', port };
    expect(await router.dispatch('agent:status', endpoint, context)).toMatchObject({
      ok: true,
      value: { health: { status: 'ok' }, authorized: null },
    });
    expect(await router.dispatch('agent:status', { ...endpoint, apiKey: 'wrong' }, context)).toMatchObject({
      ok: true,
      value: { authorized: false },
    });
    expect(await router.dispatch('agent:status', { ...endpoint, apiKey }, context)).toMatchObject({
      ok: true,
      value: { authorized: true },
    });
    // Remembered, sealed: no key in the next request.
    expect(await router.dispatch('agent:status', endpoint, context)).toMatchObject({
      ok: true,
      value: { authorized: true },
    });
  });

  it('1. Update Remote Agent, then 2. Test AAD Connection: 200 with the tenant id, recorded for the panel', async () => {
    expect(await router.dispatch('agent:update', { connectionId, apiKey }, context)).toMatchObject({
      ok: true,
      value: { domain: tenant?.domain, hasSecret: true },
    });
    const tested = await router.dispatch('agent:test', { connectionId }, context);
    expect(tested).toMatchObject({ ok: true, value: { id: tenant?.tenantId, globalAdministrator: true } });
    expect(await router.dispatch('connections:get', { id: connectionId }, context)).toMatchObject({
      ok: true,
      value: { lastTest: { ok: true, summary: expect.stringContaining('Remote Agent') } },
    });
  });

  it('an agent that is not running is agent.unreachable with a next step', async () => {
    const result = await router.dispatch('agent:status', { host: '127.0.0.1', port: 1 }, context);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'agent.unreachable', hint: expect.stringContaining('40002') },
    });
  });

  it('the CLI twins: agent status|update|test --json', async () => {
    const cli = async (...argv: string[]) => {
      const { code, stdout } = await runCliInProcess(router, argv, `${apiKey}\n`);
      return { code, json: JSON.parse(stdout || 'null') };
    };
    expect(
      await cli(
        'agent',
        'status',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--api-key-stdin',
        '--json',
      ),
    ).toMatchObject({ code: 0, json: { authorized: true } });
    expect(
      await cli(
        'agent',
        'update',
        '--domain',
        tenant?.domain ?? '',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--json',
      ),
    ).toMatchObject({ code: 0, json: { domain: tenant?.domain } });
    expect(
      await cli(
        'agent',
        'test',
        '--domain',
        tenant?.domain ?? '',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--json',
      ),
    ).toMatchObject({ code: 0, json: { id: tenant?.tenantId } });
  });
});
