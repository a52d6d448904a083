import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCliInProcess } from '../../../../cli/run-cli-in-process';
import { type RemoteAgentProcess, startRemoteAgent } from '../../../../e2e/fixtures/remote-agent-process';
import { emulatorAdminConnection } from '../fixtures/emulator-connection';
import { testHost } from '../fixtures/test-host';

// The utility's side of the procedure: Update Remote Agent, Test AAD Connection, against a real agent process.
const entra = inject('entra');
const tenant = entra.tenants[0];
const { router, close } = testHost();
const context = { emit: () => {} };
let agent: RemoteAgentProcess;
let port = 0;
let apiKey = '';
let connectionId = '';

beforeAll(async () => {
  agent = await startRemoteAgent();
  ({ port, apiKey } = agent);
  const saved = await router.dispatch(
    'connections:save',
    emulatorAdminConnection(entra, { remoteAgent: { host: '127.0.0.1', port } }),
    context,
  );
  connectionId = saved.ok ? (saved.value as { id: string }).id : '';
});

afterAll(async () => {
  await agent?.stop();
  await close();
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
