import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownEmulator } from '../e2e/fixtures/entra-emulator/emulator-test-client';
import type { AgentClient } from '../shared/node/agent/agent-client';
import { agentHoldingTenant } from './fixtures/agent-holding-tenant';
import { killAgents, stopAgents } from './fixtures/agent-process';

// POST /api/diagnostics signs in afresh and calls Graph on every run. Callers asking for the same domain while a
// run is under way share it, as TestConnection shares its sign-in: four at once cost the tenant one sign-in.

let stack: Awaited<ReturnType<typeof ownEmulator>>;
let client: AgentClient;
const tokenPath = '/oauth2/v2.0/token';

beforeAll(async () => {
  stack = await ownEmulator();
  ({ client } = await agentHoldingTenant(stack));
}, 60_000);
afterAll(async () => {
  await stopAgents();
  killAgents();
  await stack?.emulator.stop();
});

const signIns = () =>
  stack.emulator.requests.filter((request) => request.method === 'POST' && request.path.includes(tokenPath))
    .length;

describe('concurrent POST /api/diagnostics of one domain', { timeout: 60_000 }, () => {
  it('share one run: one sign-in for four callers, and the same diagnosis for each', async () => {
    const before = signIns();
    const alone = await client.diagnose(stack.tenant.domain);
    expect(alone.status).toBe('ok');
    const perRun = signIns() - before;
    expect(perRun).toBeGreaterThan(0);

    // The first run's sign-in waits, so the others arrive while it is under way.
    await stack.client.call('POST', '/_emulator/faults', {
      json: { path: tokenPath, latencyMs: 1500, times: 1 },
    });
    const started = signIns();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => client.diagnose(stack.tenant.domain.toUpperCase())),
    );
    expect(signIns() - started).toBe(perRun);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.status).toBe('ok');
  });

  it('runs afresh once the shared run has ended', async () => {
    const first = await client.diagnose(stack.tenant.domain);
    const second = await client.diagnose(stack.tenant.domain);
    expect(second.startedAt).not.toBe(first.startedAt);
  });
});
