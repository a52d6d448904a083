import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ldapsHandshake } from './ldaps-handshake';

// An "LDAPS port" that starts a TLS record announcing 16 KiB and then sends one byte of it every 20 ms: the
// handshake never completes, and an idle timeout, reset by every byte, never fires. Only a deadline for the
// whole handshake, or cancelling, may end it, and either must close the connection.

interface Trickler {
  port: number;
  /** Resolves with the first connection once the client closed it. */
  firstClosed: Promise<void>;
  accepted(): number;
  stop(): Promise<void>;
}

let trickler: Trickler | undefined;
afterEach(async () => {
  await trickler?.stop();
  trickler = undefined;
});

async function startTrickler(onAccepted: () => void = () => {}): Promise<Trickler> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let closed: () => void = () => {};
  const firstClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    // A handshake record (22), TLS 1.2, 16,384 bytes long; then a ServerHello's first byte, and more, slowly.
    socket.write(Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00, 0x02]));
    const timer = setInterval(() => socket.write(Buffer.from([0x00])), 20);
    socket.once('close', () => {
      clearInterval(timer);
      closed();
    });
    onAccepted();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as { port: number }).port,
    firstClosed,
    accepted: () => accepted,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const trust = { pinnedFingerprints: [], trustSystemStore: false };
const endpointOf = (port: number) => ({ host: '127.0.0.1', port, tls: 'ldaps' as const });

async function errorOf(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  try {
    await promise;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error('expected the handshake to fail');
}

describe('ldapsHandshake against a server that never finishes the handshake', () => {
  it('fails with ETIMEDOUT at its deadline and closes the connection', async () => {
    trickler = await startTrickler();
    const error = await errorOf(ldapsHandshake(endpointOf(trickler.port), trust, 300));
    expect(error.code).toBe('ETIMEDOUT');
    await trickler.firstClosed;
    expect(trickler.accepted()).toBe(1);
  });

  it('cancelling ends the handshake and closes the connection', async () => {
    const cancel = new AbortController();
    trickler = await startTrickler(() => cancel.abort());
    const error = await errorOf(ldapsHandshake(endpointOf(trickler.port), trust, 60_000, cancel.signal));
    expect(error.code).toBe('ABORT_ERR');
    await trickler.firstClosed;
  });

  it('does not connect at all when already cancelled', async () => {
    trickler = await startTrickler();
    const error = await errorOf(
      ldapsHandshake(endpointOf(trickler.port), trust, 60_000, AbortSignal.abort()),
    );
    expect(error.code).toBe('ABORT_ERR');
    expect(trickler.accepted()).toBe(0);
  });
});
