import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHistory } from '../../../common/connections/test-history';
import { closedPort } from '../../fixtures/closed-port';
import { testHost } from '../fixtures/test-host';

// agent:test may name another agent than the connection's own (a draft's, the CLI's --host). The Agents view
// credits a connection's 'agent' history to its saved agent, so only a test of that agent may be recorded.

const { router, close } = testHost();
const context = { emit: () => {} };

// Ports where nothing listens: every agent:test to them fails at once with agent.unreachable.
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
afterAll(close);

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
