import { afterEach, describe, expect, it } from 'vitest';
import { failureOf } from '../fixtures/failure-of';
import { AgentClient, maxAgentAnswerBytes } from './agent-client';
import { type Behaviour, type HostileAgent, startHostileAgent } from './fixtures/hostile-agent';

// What a server named in a routes file can do to the client that asks it for its health: answer forever,
// announce gigabytes, trickle a byte at a time, or never answer. Each must end the request (its connection
// closes on the server's side) with a typed failure, and never hold more than the cap.

let agent: HostileAgent | undefined;
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});

async function healthFrom(behaviour: Behaviour) {
  agent = await startHostileAgent({ '/api/health': behaviour });
  return agent;
}

const clientOf = (port: number, fields: { timeoutMs?: number; signal?: AbortSignal } = {}) =>
  new AgentClient({ host: '127.0.0.1', port, useTls: false, ...fields });

describe('AgentClient against a hostile server', () => {
  it('cuts an endless answer off past 1 MiB with agent.answerTooLarge and closes the connection', async () => {
    const { port, request } = await healthFrom({ kind: 'endless' });
    const error = await failureOf(clientOf(port, { timeoutMs: 60_000 }).health());
    expect(error).toMatchObject({
      code: 'agent.answerTooLarge',
      hint: expect.stringContaining('Remote Agent'),
      detail: { url: `http://127.0.0.1:${port}`, maxBytes: maxAgentAnswerBytes },
    });
    const seen = await request('/api/health');
    await seen.closed;
    // What the server got written before the close: the cap plus what the two sockets' buffers held, not more.
    expect(seen.written()).toBeGreaterThan(maxAgentAnswerBytes);
    expect(seen.written()).toBeLessThan(64 * maxAgentAnswerBytes);
  });

  it('refuses an answer that announces more than the cap before reading it', async () => {
    const { port, request } = await healthFrom({ kind: 'announce', bytes: 10 * maxAgentAnswerBytes });
    const error = await failureOf(clientOf(port).health());
    expect(error.code).toBe('agent.answerTooLarge');
    await (await request('/api/health')).closed;
  });

  it('ends a trickling answer at its overall deadline, however often bytes arrive', async () => {
    // A space every 20 ms resets any idle timeout; only a deadline for the whole request ends it.
    const { port, request } = await healthFrom({ kind: 'trickle', everyMs: 20 });
    const error = await failureOf(clientOf(port, { timeoutMs: 300 }).health());
    expect(error).toMatchObject({ code: 'agent.unreachable', detail: { errno: 'ETIMEDOUT' } });
    const seen = await request('/api/health');
    await seen.closed;
    expect(seen.isClosed()).toBe(true);
  });

  it('aborting its signal destroys the request in flight', async () => {
    const { port, request } = await healthFrom({ kind: 'silent' });
    const abort = new AbortController();
    const answer = failureOf(clientOf(port, { timeoutMs: 60_000, signal: abort.signal }).health());
    const seen = await request('/api/health');
    abort.abort();
    expect(await answer).toMatchObject({ code: 'operation.cancelled' });
    await seen.closed;
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { port, requests } = await healthFrom({ kind: 'silent' });
    const error = await failureOf(clientOf(port, { signal: AbortSignal.abort() }).health());
    expect(error.code).toBe('operation.cancelled');
    expect(requests).toHaveLength(0);
  });

  it('still reads an ordinary answer', async () => {
    const { port } = await healthFrom({
      kind: 'json',
      body: { status: 'ok', version: '9.9.9', connections: 0 },
    });
    expect(await clientOf(port).health()).toEqual({ status: 'ok', version: '9.9.9', connections: 0 });
  });
});
