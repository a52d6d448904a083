import { getEventListeners } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { failureOf } from '../fixtures/failure-of';
import { AgentClient } from './agent-client';
import { presentedAgentCertificate, verifiedAgentConnection } from './agent-tls';

// An HTTPS "agent" that accepts TCP and never answers the TLS handshake. Our own handshake runs before Node hands
// the socket to the request, so destroying the request alone cannot reach it: Cancel and the client's deadline
// must end it too, or the socket stays open until its idle timeout. Judged by what the server sees.

let server: Server | undefined;
const open = new Set<Socket>();
afterEach(async () => {
  for (const socket of open) socket.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function silentTlsServer(): Promise<{ port: number; accepted: () => number }> {
  let accepted = 0;
  server = createServer((socket) => {
    accepted += 1;
    open.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => open.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, accepted: () => accepted };
}

const clientOf = (port: number, fields: { timeoutMs: number; signal?: AbortSignal }) =>
  new AgentClient({ host: '127.0.0.1', port, useTls: true, apiKey: 'never-sent', ...fields });

describe('an https agent that never answers the TLS handshake', () => {
  it('Cancel ends the handshake: the connection closes at once, not at the idle timeout', async () => {
    const { port, accepted } = await silentTlsServer();
    const cancel = new AbortController();
    const health = failureOf(clientOf(port, { timeoutMs: 60_000, signal: cancel.signal }).health());
    await expect.poll(accepted, { timeout: 2000 }).toBe(1);
    cancel.abort();
    expect(await health).toMatchObject({ code: 'operation.cancelled' });
    await expect.poll(() => open.size, { timeout: 1500 }).toBe(0);
  });

  // Two things end this one at the same moment (the request's deadline and the handshake's idle timeout, both
  // timeoutMs): the test fails only if both are lost; the Cancel test above is the one that needs the hand-off.
  it('the client’s deadline ends it too', async () => {
    const { port, accepted } = await silentTlsServer();
    expect(await failureOf(clientOf(port, { timeoutMs: 300 }).health())).toMatchObject({
      code: 'agent.unreachable',
    });
    expect(accepted()).toBe(1);
    await expect.poll(() => open.size, { timeout: 1500 }).toBe(0);
  });

  it('a handshake asked for after giving up fails at once and closes its socket', async () => {
    const { port } = await silentTlsServer();
    const gaveUp = new AbortController();
    gaveUp.abort();
    const create = verifiedAgentConnection({ host: '127.0.0.1', port }, {}, 60_000, gaveUp.signal);
    const error = await new Promise<Error | null>((resolve) => create({}, (failure) => resolve(failure)));
    expect(error).toMatchObject({ code: 'ABORT_ERR', message: 'aborted' });
    await expect.poll(() => open.size, { timeout: 1500 }).toBe(0);
  });

  it('Cancel ends a look at the certificate (Trust this agent, Diagnose) and its socket', async () => {
    const { port, accepted } = await silentTlsServer();
    const cancel = new AbortController();
    const look = presentedAgentCertificate({ host: '127.0.0.1', port }, {}, 60_000, cancel.signal);
    await expect.poll(accepted, { timeout: 2000 }).toBe(1);
    cancel.abort();
    await expect(look).rejects.toMatchObject({ code: 'ABORT_ERR', message: 'aborted' });
    await expect.poll(() => open.size, { timeout: 1500 }).toBe(0);
    const already = presentedAgentCertificate({ host: '127.0.0.1', port }, {}, 60_000, cancel.signal);
    await expect(already).rejects.toMatchObject({ code: 'ABORT_ERR' });
  });

  it('leaves no listener on the operation’s signal once a look has ended some other way', async () => {
    const { port } = await silentTlsServer();
    const operation = new AbortController();
    const look = presentedAgentCertificate({ host: '127.0.0.1', port }, {}, 100, operation.signal);
    await expect(look).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    // A diagnosis keeps one signal for all its stages: each look must take its listener back with it.
    await expect.poll(() => getEventListeners(operation.signal, 'abort').length, { timeout: 1500 }).toBe(0);
  });
});
