import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHistory } from '../../../common/connections/test-history';
import { nodeHostDependencies } from '../node-host-dependencies';
import { createRouter } from '../router';
import { createHandlers } from './create-handlers';

// agent:test may name another agent than the connection's own (a draft's, the CLI's --host). The Agents view
// credits a connection's 'agent' history to its saved agent, so only a test of that agent may be recorded.

const userDataDir = mkdtempSync(join(tmpdir(), 'cu-agent-test-source-'));
const deps = nodeHostDependencies({ host: 'devHost', userDataDir });
const router = createRouter(createHandlers(deps), { operations: deps.operations });
const context = { emit: () => {} };

/** A loopback port where nothing listens: every agent:test to it fails at once with agent.unreachable. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

let savedPort = 0;
let otherPort = 0;
let id = '';

beforeAll(async () => {
  [savedPort, otherPort] = [await closedPort(), await closedPort()];
  const saved = await router.dispatch(
    'connections:save',
    {
      kind: 'microsoftOnline',
      name: 'Contoso online',
      tenantDomain: 'contoso.test',
      authMode: 'password',
      userPrincipalName: 'admin@contoso.test',
      remoteAgent: { host: '127.0.0.1', port: savedPort },
    },
    context,
  );
  if (!saved.ok) throw new Error(saved.error.message);
  id = (saved.value as { id: string }).id;
});
afterAll(() => deps.connectionStores.close());

async function history(): Promise<TestHistory> {
  const result = await router.dispatch('connections:testHistory', { id }, context);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as TestHistory;
}

describe("agent:test's history", () => {
  it('records nothing for a test of another agent than the saved one', async () => {
    const tested = await router.dispatch(
      'agent:test',
      { connectionId: id, apiKey: 'some-key', endpoint: { host: '127.0.0.1', port: otherPort } },
      context,
    );
    expect(tested).toMatchObject({ ok: false, error: { code: 'agent.unreachable' } });
    expect((await history()).entries).toEqual([]);
    const got = await router.dispatch('connections:get', { id }, context);
    expect(got).toMatchObject({ ok: true });
    expect((got as { value: { lastTest?: unknown } }).value.lastTest ?? null).toBeNull();
  });

  it("records a test of the saved agent as 'agent', named explicitly or not", async () => {
    for (const request of [
      { connectionId: id, apiKey: 'some-key' },
      { connectionId: id, apiKey: 'some-key', endpoint: { host: '127.0.0.1', port: savedPort } },
    ])
      expect(await router.dispatch('agent:test', request, context)).toMatchObject({ ok: false });
    expect((await history()).entries.map(({ ok, source, code }) => ({ ok, source, code }))).toEqual([
      { ok: false, source: 'agent', code: 'agent.unreachable' },
      { ok: false, source: 'agent', code: 'agent.unreachable' },
    ]);
  });
});
