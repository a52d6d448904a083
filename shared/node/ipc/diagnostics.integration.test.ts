import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RemoteAgentProcess, startRemoteAgent } from '../../../e2e/fixtures/remote-agent-process';
import type { DiagnoseResult, Stage } from '../../common/diagnostics/diagnosis';
import type { AppError } from '../../common/errors/app-error';
import type { EventPayloadOf } from '../../common/ipc/event-map';
import type { Result } from '../../common/result';
import { AgentClient } from '../agent/agent-client';
import { emulatorAdminConnection } from './fixtures/emulator-connection';
import { testHost } from './fixtures/test-host';

// diagnostics:run through the real router and handlers, as the window and the CLI call it: against the run's
// Samba DC, the Entra emulator and a real Remote Agent process, all on loopback.

const dc = inject('samba');
const entra = inject('entra');
const tenant = entra.tenants[0];
const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
const svc = dc.users?.find((user) => user.name === 'svc-idm');

const { router, close } = testHost();
const routes = join(mkdtempSync(join(tmpdir(), 'cu-ipc-diag-routes-')), 'routes.json');
const quiet = { emit: () => {}, host: { routesFile: routes } };

afterAll(close);

function value<T>(result: Result<unknown>): T {
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return (result as { ok: true; value: T }).value;
}

function failure(result: Result<unknown>): AppError {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  return (result as { ok: false; error: AppError }).error;
}

/** Runs a diagnosis with an operation id, collecting its progress events. */
async function diagnoseWithProgress(connectionId: string, agent: boolean) {
  const events: EventPayloadOf<'progress'>[] = [];
  const result = await router.dispatch(
    'diagnostics:run',
    { connectionId, agent, operationId: `diag-${connectionId}` },
    {
      emit: (_event, payload) => events.push(payload as EventPayloadOf<'progress'>),
      host: { routesFile: routes },
    },
  );
  return { result: value<DiagnoseResult>(result), events };
}

const ids = (stages: readonly Stage[]) => stages.map((stage) => stage.id);

describe.skipIf(!dc.host)('diagnostics:run for Active Directory', () => {
  it('diagnoses the saved connection with its stored password, reports each stage, and adds it to the history', async () => {
    const saved = value<{ id: string }>(
      await router.dispatch(
        'connections:save',
        {
          kind: 'activeDirectory',
          name: 'Contoso AD',
          domain: dc.domain,
          dnsServer: dc.dnsServer,
          targets: [
            { host: dc.hostName, port: 636, tls: 'ldaps' },
            { host: dc.deadDc.hostName, port: 636, tls: 'ldaps' },
          ],
          trust: { caPem: dc.tls.caPem, pinnedFingerprints: [] },
          bindUser: svc?.upn,
          password: svc?.password,
        },
        quiet,
      ),
    );
    const { result, events } = await diagnoseWithProgress(saved.id, true);
    expect(result).toMatchObject({
      connectionId: saved.id,
      domain: dc.domain,
      thisComputer: { kind: 'activeDirectory', side: 'local', status: 'fail' },
      // An AD connection has no Remote Agent: asking for one adds nothing.
      remoteAgent: null,
      agentHost: null,
      difference: null,
    });
    const stages = new Map(result.thisComputer.stages.map((stage) => [stage.id, stage]));
    expect(stages.get(`dc.${dc.deadDc.hostName}.tcp.636`)?.error?.code).toBe('ad.connectionRefused');
    expect(stages.get('bind')?.status).toBe('ok');
    expect(stages.get('account')?.status).toBe('ok');
    // One progress event per stage, each naming its section; every stage of the result arrived that way.
    expect(events.every((event) => event.diagnosis?.section === 'thisComputer')).toBe(true);
    expect(new Set(events.map((event) => event.diagnosis?.stage.id))).toEqual(
      new Set(ids(result.thisComputer.stages)),
    );
    expect(JSON.stringify({ result, events })).not.toContain(svc?.password);

    const history = value<{ entries: { source: string; ok: boolean; code?: string }[] }>(
      await router.dispatch('connections:testHistory', { id: saved.id }, quiet),
    );
    expect(history.entries.at(-1)).toMatchObject({
      source: 'diagnose',
      ok: false,
      code: 'ad.connectionRefused',
    });
  });
});

describe('diagnostics:run for Microsoft Online, on both ends', () => {
  let agent: RemoteAgentProcess;
  let connectionId = '';

  beforeAll(async () => {
    agent = await startRemoteAgent();
    connectionId = value<{ id: string }>(
      await router.dispatch(
        'connections:save',
        emulatorAdminConnection(entra, { remoteAgent: { host: '127.0.0.1', port: agent.port } }),
        quiet,
      ),
    ).id;
    value(await router.dispatch('agent:update', { connectionId, apiKey: agent.apiKey }, quiet));
    value(
      await router.dispatch(
        'we:register',
        { domain: tenant?.domain, agentUrl: agent.url, connectionId },
        quiet,
      ),
    );
  }, 60_000);
  afterAll(() => agent?.stop());

  it('runs this computer’s stages, the Remote Agent’s, and the agent host’s; both hosts agree', async () => {
    const { result, events } = await diagnoseWithProgress(connectionId, true);
    expect(result.thisComputer).toMatchObject({ kind: 'microsoftOnline', side: 'local' });
    expect(result.thisComputer.stages.filter((stage) => stage.status === 'fail')).toEqual([]);
    expect(result.remoteAgent?.stages.map((stage) => `${stage.id}:${stage.status}`)).toEqual([
      'agent.tcp:ok',
      'agent.tls:ok',
      'agent.health:ok',
      'agent.key:ok',
      'agent.copy:ok',
      'agent.route:ok',
      'agent.host:ok',
    ]);
    expect(result.agentHost).toMatchObject({
      kind: 'microsoftOnline',
      side: 'agentHost',
      domain: tenant?.domain,
    });
    expect(ids(result.agentHost?.stages ?? [])).toEqual(ids(result.thisComputer.stages));
    expect(result.difference).toBeNull();
    const sections = new Set(events.map((event) => event.diagnosis?.section));
    expect(sections).toEqual(new Set(['thisComputer', 'remoteAgent', 'agentHost']));
    const text = JSON.stringify({ result, events });
    expect(text).not.toContain(admin?.password);
    expect(text).not.toContain(agent.apiKey);
  });

  it('names the first stage that works here and fails on the agent host: the agent’s copy has a wrong password', async () => {
    const saved = value<{ updatedAt: string }>(
      await router.dispatch('connections:get', { id: connectionId }, quiet),
    );
    await new AgentClient({ host: '127.0.0.1', port: agent.port, useTls: false, apiKey: agent.apiKey }).put(
      tenant?.domain ?? '',
      {
        authMode: 'password',
        userPrincipalName: admin?.upn,
        secret: 'not-the-password-1A!',
        cloud: 'global',
        authorityHost: entra.url,
        graphHost: entra.url,
        caPem: readFileSync(entra.caFile, 'utf8'),
        revision: saved.updatedAt,
      },
    );
    const { result } = await diagnoseWithProgress(connectionId, true);
    const signIn = result.agentHost?.stages.find((stage) => stage.id === 'online.signIn');
    expect(signIn).toMatchObject({ status: 'fail', error: { code: 'entra.invalidCredentials' } });
    expect(result.thisComputer.stages.find((stage) => stage.id === 'online.signIn')?.status).toBe('ok');
    expect(result.difference).toMatchObject({
      stageId: 'online.signIn',
      sentence: expect.stringMatching(/^Works here, fails on the agent host at Sign-in/),
    });
    expect(JSON.stringify(result)).not.toContain('not-the-password-1A!');
  });

  it('without --agent, only this computer’s stages', async () => {
    const result = value<DiagnoseResult>(
      await router.dispatch('diagnostics:run', { connectionId, agent: false }, quiet),
    );
    expect(result).toMatchObject({ remoteAgent: null, agentHost: null, difference: null });
  });
});

describe('diagnostics:run requests', () => {
  let mute: Server;
  const held: Socket[] = [];
  beforeAll(async () => {
    // Accepts TCP and never answers: the TLS stage waits, so a cancel arrives mid-diagnosis.
    mute = createServer((socket) => held.push(socket));
    await new Promise<void>((listening) => mute.listen(0, '127.0.0.1', listening));
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise<void>((closed) => mute.close(() => closed()));
  });

  it('operation:cancel ends a running diagnosis as operation.cancelled', async () => {
    const port = (mute.address() as { port: number }).port;
    const saved = value<{ id: string }>(
      await router.dispatch(
        'connections:save',
        {
          kind: 'activeDirectory',
          name: 'Mute DC',
          domain: 'mute.test',
          dnsServer: `127.0.0.1:${port}`,
          targets: [{ host: '127.0.0.1', port, tls: 'ldaps' }],
          bindUser: 'svc@mute.test',
          password: 'not-a-real-password',
        },
        quiet,
      ),
    );
    const running = router.dispatch(
      'diagnostics:run',
      { connectionId: saved.id, operationId: 'cancel-me' },
      quiet,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    value(await router.dispatch('operation:cancel', { cancels: 'cancel-me' }, quiet));
    expect(failure(await running).code).toBe('operation.cancelled');
  });

  it('refuses a request that names anything but a connection', async () => {
    const error = failure(
      await router.dispatch(
        'diagnostics:run',
        { connectionId: crypto.randomUUID(), routesFile: '/etc/passwd' },
        quiet,
      ),
    );
    expect(error.code).toBe('input.invalid');
    expect(
      failure(await router.dispatch('diagnostics:run', { connectionId: crypto.randomUUID() }, quiet)).code,
    ).toBe('connections.notFound');
  });
});
