import { describe, expect, it, vi } from 'vitest';
import type { AppInfo } from '../../common/app-info';
import { AppFailure } from '../../common/errors/app-error';
import { createRouter, type DispatchTrace, type Handlers } from './router';

const info: AppInfo = {
  appName: 'Connection Utility',
  appVersion: '1.2.3',
  host: 'cli',
  versions: { node: '20.0.0', electron: null, chrome: null },
  platform: 'linux',
  userDataDir: '/tmp/cu',
  vault: { kind: 'keyFile', backend: 'file', protection: 'file' },
};

const context = { emit: () => {} };

const notUsed = () => {
  throw new Error('not used by these tests');
};
const otherChannels: Omit<Handlers, 'app:info'> = {
  'connections:list': notUsed,
  'connections:get': notUsed,
  'connections:save': notUsed,
  'connections:delete': notUsed,
  'connections:export': notUsed,
  'connections:import': notUsed,
  'ad:test': notUsed,
  'ad:discoverControllers': notUsed,
  'ad:trustCertificate': notUsed,
  'operation:cancel': notUsed,
  'entra:test': notUsed,
  'entra:listDomains': notUsed,
  'entra:startDeviceCode': notUsed,
  'entra:setupApp': notUsed,
  'agent:status': notUsed,
  'agent:update': notUsed,
  'agent:test': notUsed,
  'agent:trustCertificate': notUsed,
  'entra:checkEndpoints': notUsed,
  'entra:renewCertificate': notUsed,
  'settings:get': notUsed,
  'settings:save': notUsed,
  'settings:chooseRoutesFile': notUsed,
  'we:register': notUsed,
  'connections:testHistory': notUsed,
  'diagnostics:run': notUsed,
  'diagnostics:exportBundle': notUsed,
  'fleet:status': notUsed,
  'fleet:repair': notUsed,
};

function routerWith(handler: Handlers['app:info']) {
  const traces: DispatchTrace[] = [];
  const unexpected: { error: unknown; errorId: string }[] = [];
  const spy = vi.fn(handler);
  const router = createRouter(
    { ...otherChannels, 'app:info': spy },
    {
      onTrace: (trace) => traces.push(trace),
      onUnexpectedError: (error, facts) => unexpected.push({ error, errorId: facts.errorId }),
    },
  );
  return { router, spy, traces, unexpected };
}

describe('router', () => {
  it('passes a valid request to the handler and returns its validated response', async () => {
    const { router, spy, traces } = routerWith(() => info);
    await expect(router.dispatch('app:info', {}, context)).resolves.toEqual({ ok: true, value: info });
    expect(spy).toHaveBeenCalledOnce();
    expect(traces).toEqual([
      expect.objectContaining({ channel: 'app:info', outcome: 'ok', handlerCalled: true }),
    ]);
  });

  it.each([
    ['an unknown field', { extra: 1 }],
    ['a non-object', 'app:info'],
    ['null', null],
    ['an array', []],
  ])('rejects %s with input.invalid and never calls the handler', async (_label, payload) => {
    const { router, spy, traces } = routerWith(() => info);
    const result = await router.dispatch('app:info', payload, context);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'input.invalid', detail: { channel: 'app:info' } },
    });
    expect(spy).not.toHaveBeenCalled();
    expect(traces[0]).toMatchObject({
      outcome: 'invalidRequest',
      handlerCalled: false,
      errorCode: 'input.invalid',
    });
  });

  it('names the offending field without echoing its value', async () => {
    const { router } = routerWith(() => info);
    const result = await router.dispatch('app:info', { password: 'Sup3r-Secret!' }, context);
    expect(JSON.stringify(result)).not.toContain('Sup3r-Secret!');
    expect(result.ok || result.error.detail?.issues).toEqual([expect.stringContaining('password')]);
  });

  it('refuses an unknown channel', async () => {
    const { router, spy } = routerWith(() => info);
    const result = await router.dispatch('fs:readFile', {}, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc.unknownChannel' } });
    expect(spy).not.toHaveBeenCalled();
    await expect(router.dispatch(42, {}, context)).resolves.toMatchObject({ ok: false });
  });

  it('turns a response that breaks its schema into internal, and strips nothing silently', async () => {
    const { router, unexpected, traces } = routerWith(
      () => ({ ...info, appVersion: 7 }) as unknown as AppInfo,
    );
    const result = await router.dispatch('app:info', {}, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(traces[0]).toMatchObject({ outcome: 'invalidResponse', handlerCalled: true });
    expect(unexpected).toHaveLength(1);
  });

  it('rejects a response carrying a field the contract does not know (a leaked secret cannot slip through)', async () => {
    const { router } = routerWith(() => ({ ...info, password: 'Sup3r-Secret!' }) as AppInfo);
    const result = await router.dispatch('app:info', {}, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('Sup3r-Secret!');
  });

  it('passes an AppFailure through unchanged', async () => {
    const appError = {
      code: 'ad.invalidCredentials',
      message: 'The password is wrong.',
      hint: 'Re-enter it.',
    };
    const { router, traces } = routerWith(() => {
      throw new AppFailure(appError);
    });
    await expect(router.dispatch('app:info', {}, context)).resolves.toEqual({ ok: false, error: appError });
    expect(traces[0]).toMatchObject({ outcome: 'failed', errorCode: 'ad.invalidCredentials' });
  });

  it.each([
    ['a detail keyed password', { detail: { password: 'Sup3r-Secret!' } }],
    ['a detail keyed clientSecret', { detail: { host: 'dc1', clientSecret: 'Sup3r-Secret!' } }],
    ['a field the contract does not know', { token: 'Sup3r-Secret!' }],
  ])('turns an AppFailure with %s into internal, without its values', async (_what, extra) => {
    const { router, traces, unexpected } = routerWith(() => {
      throw new AppFailure({ code: 'ad.invalidCredentials', message: 'Wrong.', ...extra });
    });
    const result = await router.dispatch('app:info', {}, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('Sup3r-Secret!');
    expect(traces[0]).toMatchObject({ outcome: 'internal' });
    expect(String(unexpected[0]?.error)).toContain('broke the AppError contract');
    expect(String(unexpected[0]?.error)).not.toContain('Sup3r-Secret!');
  });

  it('names each broken part of such an AppFailure in the log, one after another', async () => {
    const { router, unexpected } = routerWith(() => {
      throw new AppFailure({ code: 'Bad Code', message: '', detail: { password: 'Sup3r-Secret!' } });
    });
    await router.dispatch('app:info', {}, context);
    const logged = String(unexpected[0]?.error);
    expect(logged.split('; ')).toHaveLength(3);
    expect(logged).not.toContain('Sup3r-Secret!');
  });

  it('sends a progress event only as its schema allows: one with an undeclared field is dropped and reported', async () => {
    const sent: unknown[] = [];
    const { router, unexpected } = routerWith((_request, { emit }) => {
      emit('progress', { operationId: 'op-1', step: 'Connecting', done: 0 });
      emit('progress', { operationId: 'op-1', done: -1, password: 'Sup3r-Secret!' } as never);
      return info;
    });
    const result = await router.dispatch('app:info', {}, { emit: (_name, payload) => sent.push(payload) });
    expect(result.ok).toBe(true);
    expect(sent).toEqual([{ operationId: 'op-1', step: 'Connecting', done: 0 }]);
    const reported = String(unexpected[0]?.error);
    expect(reported).toContain('a progress event of app:info broke its schema');
    // Each broken part named, one after another: the missing step, the negative count, the extra field.
    expect(reported.split('; ')).toHaveLength(3);
    expect(reported).not.toContain('Sup3r-Secret!');
    expect(unexpected[0]?.errorId).toMatch(/^[0-9a-f]{8}$/);
  });

  it('turns any other thrown error into internal with an error id, without its message or stack', async () => {
    const { router, unexpected } = routerWith(async () => {
      throw new Error('bind failed for CN=admin with password Sup3r-Secret!');
    });
    const result = await router.dispatch('app:info', {}, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('internal');
    const text = JSON.stringify(result);
    expect(text).not.toContain('Sup3r-Secret!');
    expect(text).not.toContain('at ');
    expect(result.error.detail?.errorId).toBe(unexpected[0]?.errorId);
    expect(result.error.hint).toContain(String(unexpected[0]?.errorId));
  });

  it('invoke is the typed twin of dispatch', async () => {
    const { router } = routerWith(() => info);
    const result = await router.invoke('app:info', {});
    expect(result.ok && result.value.appVersion).toBe('1.2.3');
  });
});
