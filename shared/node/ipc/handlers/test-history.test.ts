import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RemoteAgentProcess, startRemoteAgent } from '../../../../e2e/fixtures/remote-agent-process';
import type { TestHistory } from '../../../common/connections/test-history';
import { httpsRequest } from '../../entra/https-client';
import { closedPort } from '../../fixtures/closed-port';
import { emulatorAdminConnection } from '../fixtures/emulator-connection';
import { testHost } from '../fixtures/test-host';

// Which tests land in a connection's history, with which source, through the real router and handlers: the
// window's and the CLI's hosts on one data folder, the HTTPS Entra emulator and a real Remote Agent process.
const entra = inject('entra');
const tenant = entra.tenants[0];
const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
const caPem = readFileSync(entra.caFile, 'utf8');
const userDataDir = mkdtempSync(join(tmpdir(), 'cu-ipc-history-'));
const context = { emit: () => {} };

const app = testHost({ host: 'devHost', userDataDir });
const terminal = testHost({ host: 'cli', userDataDir });
let agent: RemoteAgentProcess;
/** A loopback port where nothing listens: a draft's agent elsewhere, a DC that is down. */
let unusedPort = 0;

const signIn = {
  domain: tenant?.domain,
  authMode: 'password',
  userPrincipalName: admin?.upn,
  authorityHost: entra.url,
  graphHost: entra.url,
  caPem,
};

async function history(id: string, via = app.router): Promise<TestHistory> {
  const result = await via.dispatch('connections:testHistory', { id }, context);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as TestHistory;
}

const emulatorFault = (body: unknown) =>
  httpsRequest(`${entra.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    caPem,
    timeoutMs: 5000,
  });

beforeAll(async () => {
  agent = await startRemoteAgent();
  unusedPort = await closedPort();
});

afterAll(async () => {
  await agent?.stop();
  await app.close();
  await terminal.close();
});

describe('test history over IPC', () => {
  let id = '';

  it("a wizard's test saved by Finish is the first entry, 'wizard', with its duration", async () => {
    const tested = await app.router.dispatch(
      'entra:test',
      { ...signIn, secret: admin?.password, operationId: 'wizard-test-1' },
      context,
    );
    expect(tested.ok).toBe(true);
    const saved = await app.router.dispatch(
      'connections:save',
      emulatorAdminConnection(entra, {
        remoteAgent: { host: '127.0.0.1', port: agent.port },
        testedBy: 'wizard-test-1',
      }),
      context,
    );
    expect(saved).toMatchObject({ ok: true, value: { lastTest: { ok: true } } });
    id = saved.ok ? (saved.value as { id: string }).id : '';
    const { connectionId, entries } = await history(id);
    expect(connectionId).toBe(id);
    expect(entries).toEqual([
      {
        ok: true,
        at: expect.any(String),
        summary: expect.stringContaining('as Global Administrator'),
        source: 'wizard',
        durationMs: expect.any(Number),
      },
    ]);
    // A real sign-in and Graph round trips, measured by main: not a made-up zero.
    expect(entries[0]?.durationMs).toBeGreaterThan(0);
  });

  it("a test of the saved connection from the window is 'dialog', failures with their code", async () => {
    expect(await app.router.dispatch('entra:test', { ...signIn, connectionId: id }, context)).toMatchObject({
      ok: true,
    });
    await emulatorFault({ path: '/v1.0/organization', status: 403, times: 1 });
    const failed = await app.router.dispatch('entra:test', { ...signIn, connectionId: id }, context);
    expect(failed.ok).toBe(false);
    const code = failed.ok ? '' : failed.error.code;
    const { entries } = await history(id);
    expect(entries.map(({ ok, source }) => ({ ok, source }))).toEqual([
      { ok: true, source: 'wizard' },
      { ok: true, source: 'dialog' },
      { ok: false, source: 'dialog' },
    ]);
    expect(entries[2]).toMatchObject({ code, summary: failed.ok ? '' : failed.error.message });
  });

  it("the same test from the CLI is 'cli'; a Remote Agent test is 'agent' from either", async () => {
    expect(
      await terminal.router.dispatch('entra:test', { ...signIn, connectionId: id }, context),
    ).toMatchObject({
      ok: true,
    });
    const { apiKey } = agent;
    expect(await app.router.dispatch('agent:update', { connectionId: id, apiKey }, context)).toMatchObject({
      ok: true,
    });
    expect(await app.router.dispatch('agent:test', { connectionId: id }, context)).toMatchObject({
      ok: true,
    });
    expect(await terminal.router.dispatch('agent:test', { connectionId: id }, context)).toMatchObject({
      ok: true,
    });
    // The draft's agent, on a port where nothing listens: not the saved agent, so not in this history.
    expect(
      await app.router.dispatch(
        'agent:test',
        { connectionId: id, apiKey, endpoint: { host: '127.0.0.1', port: unusedPort } },
        context,
      ),
    ).toMatchObject({ ok: false, error: { code: 'agent.unreachable' } });
    const { entries } = await history(id, terminal.router);
    expect(entries.slice(3).map(({ ok, source, code }) => ({ ok, source, code }))).toEqual([
      { ok: true, source: 'cli', code: undefined },
      { ok: true, source: 'agent', code: undefined },
      { ok: true, source: 'agent', code: undefined },
    ]);
    // The panel's last test and the history's newest entry are the same outcome.
    const got = await app.router.dispatch('connections:get', { id }, context);
    const { source: _source, durationMs: _durationMs, ...newest } = entries.at(-1) ?? {};
    expect(got).toMatchObject({ ok: true, value: { lastTest: newest } });
  });

  it("an Active Directory test of a saved connection: 'dialog' from the window, 'cli' from the terminal", async () => {
    const target = { host: '127.0.0.1', port: unusedPort, tls: 'ldaps' };
    const saved = await app.router.dispatch(
      'connections:save',
      {
        kind: 'activeDirectory',
        name: 'Contoso AD',
        domain: 'contoso.test',
        targets: [target],
        bindUser: 'svc-idm@contoso.test',
        password: 'Pa55word!',
      },
      context,
    );
    const adId = saved.ok ? (saved.value as { id: string }).id : '';
    const request = {
      target,
      trust: { pinnedFingerprints: [] },
      bindUser: 'svc-idm@contoso.test',
      connectionId: adId,
      timeoutMs: 2000,
    };
    for (const via of [app.router, terminal.router]) {
      const tested = await via.dispatch('ad:test', request, context);
      expect(tested.ok).toBe(false);
    }
    const { entries } = await history(adId);
    expect(entries.map(({ ok, source }) => ({ ok, source }))).toEqual([
      { ok: false, source: 'dialog' },
      { ok: false, source: 'cli' },
    ]);
    expect(entries.every((entry) => entry.code?.startsWith('ad.'))).toBe(true);
  });

  it('asks only for a connection by id: unknown is connections.notFound, anything else input.invalid', async () => {
    expect(
      await app.router.dispatch(
        'connections:testHistory',
        { id: '00000000-0000-4000-8000-000000000000' },
        context,
      ),
    ).toMatchObject({ ok: false, error: { code: 'connections.notFound' } });
    expect(
      await app.router.dispatch('connections:testHistory', { id, path: '/etc/passwd' }, context),
    ).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
  });

  it('deleting the connection deletes its history', async () => {
    expect(await app.router.dispatch('connections:delete', { id }, context)).toMatchObject({ ok: true });
    expect(await app.router.dispatch('connections:testHistory', { id }, context)).toMatchObject({
      ok: false,
      error: { code: 'connections.notFound' },
    });
    const db = new DatabaseSync(join(userDataDir, 'connections.db'), { readOnly: true });
    try {
      const left = db.prepare('SELECT COUNT(*) AS n FROM test_history WHERE connection_id = ?').get(id);
      expect(left).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
