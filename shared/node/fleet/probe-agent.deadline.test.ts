import { afterEach, describe, expect, it } from 'vitest';
import { type HostileAgent, startHostileAgent } from '../agent/fixtures/hostile-agent';
import { targetOf } from './agent-target';
import { probeAgent } from './probe-agent';

// A route may name any server; the Agents view asks it for its health without a key. One that keeps sending
// (a byte at a time, so no idle timeout fires) must cost the probe its timeout and no more: the probe ends the
// request when its time is up, and the server sees the connection close.

let agent: HostileAgent | undefined;
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});

describe('probeAgent past its timeout', () => {
  it('reports the agent unreachable and closes the connection of a health answer that never ends', async () => {
    agent = await startHostileAgent({ '/api/health': { kind: 'trickle', everyMs: 20 } });
    const probe = await probeAgent(
      {
        ...targetOf({ host: '127.0.0.1', port: agent.port, useTls: false }),
        allowInsecure: false,
        sources: ['route'],
      },
      { timeoutMs: 300, apiKey: null, trustSystemStore: false, pinnedFingerprint: null },
    );
    expect(probe).toMatchObject({ state: 'unreachable', version: null });
    expect(probe.message).toContain(agent.url);
    const seen = await agent.request('/api/health');
    await seen.closed;
    expect(seen.isClosed()).toBe(true);
  });
});
