import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcEvent } from '../../../common/ipc/channel-names';
import type { EventPayloadOf } from '../../../common/ipc/event-map';
import { nodeHostDependencies } from '../node-host-dependencies';
import { createRouter } from '../router';
import { createHandlers } from './create-handlers';

// Cancellation and progress through the real router, as the window's Cancel button uses them.
describe('ad:test over IPC', () => {
  let hung: Server;
  const sockets: Socket[] = [];
  let port = 0;
  const deps = nodeHostDependencies({
    host: 'devHost',
    userDataDir: mkdtempSync(join(tmpdir(), 'cu-ipc-ad-')),
  });
  const router = createRouter(createHandlers(deps), { operations: deps.operations });

  beforeAll(async () => {
    hung = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    port = (hung.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
    await deps.connectionStores.close();
  });

  it('reports progress and stops when operation:cancel names its operationId', async () => {
    const events: EventPayloadOf<'progress'>[] = [];
    const context = {
      emit: (_event: IpcEvent, payload: EventPayloadOf<IpcEvent>) => {
        if ('step' in payload) events.push(payload);
      },
    };
    const started = performance.now();
    const pending = router.dispatch(
      'ad:test',
      {
        operationId: 'op-1',
        target: { host: '127.0.0.1', port, tls: 'ldaps' },
        bindUser: 'svc',
        password: 'x',
        timeoutMs: 20_000,
      },
      context,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await router.dispatch('operation:cancel', { cancels: 'op-1' }, context)).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'operation.cancelled' } });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(events[0]).toMatchObject({
      operationId: 'op-1',
      step: `Connecting to 127.0.0.1:${port}`,
      done: 0,
      total: 2,
    });
    expect(await router.dispatch('operation:cancel', { cancels: 'op-1' }, context)).toEqual({
      ok: true,
      value: { cancelled: false },
    });
  });

  it('refuses plaintext without the insecure switch, and a test with no password', async () => {
    const context = { emit: () => {} };
    expect(
      await router.dispatch(
        'ad:test',
        { target: { host: '127.0.0.1', port, tls: 'none' }, bindUser: 'svc', password: 'x' },
        context,
      ),
    ).toMatchObject({ ok: false, error: { code: 'ad.sslRequired' } });
    expect(
      await router.dispatch(
        'ad:test',
        { target: { host: '127.0.0.1', port, tls: 'ldaps' }, bindUser: 'svc' },
        context,
      ),
    ).toMatchObject({ ok: false, error: { code: 'ad.noPassword' } });
  });
});
