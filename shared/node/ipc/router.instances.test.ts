import { describe, expect, it } from 'vitest';
import type { ParsedDiscoverRequest } from '../../common/directory/discovery';
import { ipcChannels } from '../../common/ipc/channel-names';
import { OperationRegistry } from './operations';
import { createRouter, type DispatchTrace, type HandlerContext, type Handlers } from './router';

// The router's promises one at a time: what each trace says, what a handler is given (the parsed request, the
// caller's context, a signal that operation:cancel reaches), and the exact words of its own failures.

const context = { emit: () => {} };
const discover = { domain: 'contoso.com' };
const discovered = { domain: 'contoso.com', controllers: [], warnings: [], elapsedMs: 1 };

/** Every channel refuses, except the ones given: what a test does not call cannot answer by accident. */
function handlersWith(overrides: Partial<Handlers>): Handlers {
  const refuse = () => {
    throw new Error('not part of this test');
  };
  return {
    ...(Object.fromEntries(ipcChannels.map((channel) => [channel, refuse])) as unknown as Handlers),
    ...overrides,
  };
}

function traced(overrides: Partial<Handlers>, operations?: OperationRegistry) {
  const traces: DispatchTrace[] = [];
  const unexpected: { error: unknown; facts: { channel: string; errorId: string } }[] = [];
  const router = createRouter(handlersWith(overrides), {
    ...(operations ? { operations } : {}),
    onTrace: (trace) => traces.push(trace),
    onUnexpectedError: (error, facts) => unexpected.push({ error, facts }),
  });
  return { router, traces, unexpected };
}

describe('traces', () => {
  it('name the channel (cut to 100 characters), or the type of what came instead of one', async () => {
    const { router, traces } = traced({});
    await router.dispatch('x'.repeat(150), {}, context);
    await router.dispatch(42, {}, context);
    await router.dispatch(undefined, {}, context);
    expect(traces.map((trace) => trace.channel)).toEqual(['x'.repeat(100), 'number', 'undefined']);
    expect(traces[0]).toEqual({
      channel: 'x'.repeat(100),
      outcome: 'unknownChannel',
      handlerCalled: false,
      errorCode: 'ipc.unknownChannel',
      ms: expect.any(Number),
    });
  });

  it('time each call in tenths of a millisecond, and carry no error code when it worked', async () => {
    const { router, traces } = traced({
      'ad:discoverControllers': async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return discovered;
      },
    });
    await router.dispatch('ad:discoverControllers', discover, context);
    const [trace] = traces;
    expect(trace).toEqual({
      channel: 'ad:discoverControllers',
      outcome: 'ok',
      handlerCalled: true,
      ms: expect.any(Number),
    });
    expect(trace?.ms).toBeGreaterThanOrEqual(15);
    expect(trace?.ms).toBeLessThan(1000);
    expect(Number.isInteger((trace?.ms ?? 0.05) * 10)).toBe(true);
  });
});

describe('what a handler is given', () => {
  it('the parsed request (defaults filled in) and the caller’s context', async () => {
    let seen: { request: ParsedDiscoverRequest; context: HandlerContext } | undefined;
    const emitted: unknown[] = [];
    const { router } = traced({
      'ad:discoverControllers': (request, handed) => {
        seen = { request, context: handed };
        handed.emit('connections', { by: 'anotherProcess' });
        return discovered;
      },
    });
    await router.dispatch('ad:discoverControllers', discover, {
      emit: (_event, payload) => emitted.push(payload),
      host: { routesFile: '/tmp/routes.json' },
    });
    expect(seen?.request).toMatchObject({
      domain: 'contoso.com',
      tls: 'ldaps',
      trust: { pinnedFingerprints: [] },
    });
    expect(seen?.context.host).toEqual({ routesFile: '/tmp/routes.json' });
    expect(emitted).toEqual([{ by: 'anotherProcess' }]);
    expect(seen?.context.signal).toBeUndefined();
  });

  it('a signal that cancelling its operationId aborts, forgotten once the call ends', async () => {
    const operations = new OperationRegistry();
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const { router } = traced(
      {
        'ad:discoverControllers': async (_request, { signal }) => {
          started();
          await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
          return { ...discovered, warnings: [{ code: 'cancelled', message: String(signal?.aborted) }] };
        },
      },
      operations,
    );
    const call = router.dispatch('ad:discoverControllers', { ...discover, operationId: 'op-7' }, context);
    await running;
    expect(operations.cancel('op-7')).toBe(true);
    expect(await call).toMatchObject({ ok: true, value: { warnings: [{ message: 'true' }] } });
    expect(operations.cancel('op-7')).toBe(false);
  });

  it('an operation that ended by itself is no longer there to cancel', async () => {
    const operations = new OperationRegistry();
    const { router } = traced({ 'ad:discoverControllers': () => discovered }, operations);
    await router.dispatch('ad:discoverControllers', { ...discover, operationId: 'op-8' }, context);
    expect(operations.cancel('op-8')).toBe(false);
  });

  it('no operation at all for a request without an operationId, even with a registry', async () => {
    const operations = new OperationRegistry();
    let aborted: boolean | undefined;
    const { router } = traced(
      {
        'ad:discoverControllers': (_request, { signal }) => {
          aborted = signal?.aborted;
          return discovered;
        },
      },
      operations,
    );
    await router.dispatch('ad:discoverControllers', discover, context);
    expect(aborted).toBe(false);
  });

  it('invoke without a context gives one whose events go nowhere', async () => {
    const { router } = traced({
      'ad:discoverControllers': (_request, { emit }) => {
        emit('connections', { by: 'anotherProcess' });
        return discovered;
      },
    });
    await expect(router.invoke('ad:discoverControllers', discover)).resolves.toMatchObject({ ok: true });
  });
});

describe('the router’s own failures', () => {
  it('an invalid request: input.invalid naming the channel and each issue, in the words the window shows', async () => {
    const { router } = traced({});
    expect(
      await router.dispatch('ad:discoverControllers', { domain: 'not a name', port: 0 }, context),
    ).toEqual({
      ok: false,
      error: {
        code: 'input.invalid',
        message: 'The request was rejected because some of its fields are missing or malformed.',
        hint: 'Check the highlighted fields and try again.',
        detail: {
          channel: 'ad:discoverControllers',
          issues: [expect.stringMatching(/^domain: /), expect.stringMatching(/^port: /)],
        },
      },
    });
  });

  it('a thrown error: internal with an 8-character error id, the error itself handed to the host', async () => {
    const thrown = new Error('boom');
    const { router, unexpected, traces } = traced({
      'ad:discoverControllers': () => {
        throw thrown;
      },
    });
    const result = await router.dispatch('ad:discoverControllers', discover, context);
    const errorId = unexpected[0]?.facts.errorId ?? '';
    expect(errorId).toMatch(/^[0-9a-f]{8}$/);
    expect(unexpected).toEqual([{ error: thrown, facts: { channel: 'ad:discoverControllers', errorId } }]);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'Connection Utility hit an unexpected error while handling this request.',
        hint: `Try again. If it happens again, report error id ${errorId} together with the log file.`,
        detail: { channel: 'ad:discoverControllers', errorId },
      },
    });
    expect(traces[0]).toMatchObject({ outcome: 'internal', handlerCalled: true, errorCode: 'internal' });
  });

  it('a response that breaks its schema: the host is told which channel and which field', async () => {
    const { router, unexpected } = traced({
      'ad:discoverControllers': () => ({ ...discovered, elapsedMs: -1, domain: 7 }) as never,
    });
    const result = await router.dispatch('ad:discoverControllers', discover, context);
    expect(String((unexpected[0]?.error as Error | undefined)?.message)).toMatch(
      /^response of ad:discoverControllers broke its schema: domain: [^;]+; elapsedMs: /,
    );
    const errorId = unexpected[0]?.facts.errorId ?? '';
    expect(errorId).toMatch(/^[0-9a-f]{8}$/);
    expect(unexpected[0]?.facts).toEqual({ channel: 'ad:discoverControllers', errorId });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', detail: { errorId } } });
  });

  it('a response is returned as parsed, so a handler cannot leave a field undeclared', async () => {
    const { router } = traced({ 'ad:discoverControllers': () => discovered });
    expect(await router.dispatch('ad:discoverControllers', discover, context)).toEqual({
      ok: true,
      value: discovered,
    });
  });
});
