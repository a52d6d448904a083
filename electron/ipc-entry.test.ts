import { afterAll, describe, expect, it } from 'vitest';
import { eventChannelName, ipcChannels } from '../shared/common/ipc/channel-names';
import { ok, type Result } from '../shared/common/result';
import { testHost } from '../shared/node/ipc/fixtures/test-host';
import { createHandlers } from '../shared/node/ipc/handlers/create-handlers';
import { createRouter, type DispatchTrace } from '../shared/node/ipc/router';
import { type IpcEntryEvent, type IpcEntryOptions, type IpcRegistrar, registerIpcEntry } from './ipc-entry';

// The IPC entry as main wires it, called the way Electron calls it: the registrar stands in for ipcMain (Electron
// is the only thing replaced), the router is the real one over the real handlers and a data folder of its own.

const appUrl = 'file:///opt/Connection%20Utility/resources/app.asar/out/renderer/index.html';
const host = testHost();
const traces: DispatchTrace[] = [];
// The development host's handlers, traced so a test can tell whether the router was reached at all.
const router = createRouter(createHandlers(host.deps), {
  operations: host.deps.operations,
  onTrace: (trace) => traces.push(trace),
});

afterAll(() => host.close());

type Listener = Parameters<IpcRegistrar['handle']>[1];

/** Registers the entry on a stand-in for ipcMain; returns what each channel got and the refused senders. */
function register(options: Partial<IpcEntryOptions> = {}) {
  const listeners = new Map<string, Listener>();
  const registrations: string[] = [];
  const forbidden: string[] = [];
  registerIpcEntry(
    {
      handle: (channel, listener) => {
        registrations.push(channel);
        listeners.set(channel, listener);
      },
    },
    { router, appUrl, onForbidden: (channel) => forbidden.push(channel), ...options },
  );
  return { listeners, registrations, forbidden };
}

/** An invoke event from a frame showing `url`; `sent` collects what main pushes back to that window. */
function eventFrom(url: string | null, parent: unknown = null) {
  const sent: { channel: string; payload: unknown }[] = [];
  const event: IpcEntryEvent = {
    senderFrame: url === null ? null : { url, parent },
    sender: { send: (channel, payload) => sent.push({ channel, payload }) },
  };
  return { event, sent };
}

const call = (
  listener: Listener | undefined,
  event: IpcEntryEvent,
  payload: unknown,
): Promise<Result<unknown>> => {
  if (!listener) throw new Error('no listener registered');
  return listener(event, payload);
};

describe('registerIpcEntry', () => {
  it('registers exactly one handler per allow-listed channel, and nothing else', () => {
    const { registrations } = register();
    expect(registrations).toEqual([...ipcChannels]);
  });

  it('hands a call from the app’s own page to the router, with its payload', async () => {
    const { listeners } = register();
    const { event } = eventFrom(`${appUrl}#/settings`);
    const answer = await call(listeners.get('app:info'), event, {});
    expect(answer).toMatchObject({ ok: true, value: { host: 'devHost', userDataDir: host.userDataDir } });
    // The payload reaches the router as sent: one it refuses comes back as input.invalid.
    expect(await call(listeners.get('app:info'), event, { unexpected: 1 })).toMatchObject({
      ok: false,
      error: { code: 'input.invalid' },
    });
  });

  it.each([
    ['another local file', 'file:///tmp/evil.html', null],
    ['a web page', 'https://example.invalid/index.html', null],
    ['a sub-frame showing the app page', appUrl, {}],
    ['a frame that is gone', null, null],
  ])('refuses %s on every channel before the router, and reports it', async (_what, url, parent) => {
    const { listeners, forbidden } = register();
    const { event, sent } = eventFrom(url, parent);
    traces.length = 0;
    for (const channel of ipcChannels) {
      expect(await call(listeners.get(channel), event, {}), channel).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'ipc.forbiddenSender', hint: expect.any(String) }),
      });
    }
    expect(traces).toEqual([]);
    expect(forbidden).toEqual([...ipcChannels]);
    expect(sent).toEqual([]);
  });

  it('sends the router’s events to the window that called, under the event’s channel name', async () => {
    const emitting: IpcEntryOptions['router'] = {
      dispatch: async (channel, _payload, context) => {
        context.emit('progress', { operationId: 'op-1', step: `running ${String(channel)}` } as never);
        context.emit('connections', { by: 'anotherProcess' });
        return ok('done');
      },
    };
    const { listeners } = register({ router: emitting });
    const { event, sent } = eventFrom(appUrl);
    expect(await call(listeners.get('ad:test'), event, {})).toEqual({ ok: true, value: 'done' });
    expect(sent).toEqual([
      { channel: eventChannelName('progress'), payload: { operationId: 'op-1', step: 'running ad:test' } },
      { channel: eventChannelName('connections'), payload: { by: 'anotherProcess' } },
    ]);
  });
});
