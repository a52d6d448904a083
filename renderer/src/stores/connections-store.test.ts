import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionView } from '../../../shared/common/connections/connection';
import type { AppError } from '../../../shared/common/errors/app-error';
import { useConnectionsStore } from './connections-store';

// The window's side of live refresh: main only says "the store changed", the store lists again quietly.

const view = (n: number): ConnectionView => ({
  kind: 'activeDirectory',
  id: `0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a${String(n).padStart(2, '0')}`,
  name: `Connection ${n}`,
  domain: `d${n}.contoso.com`,
  targets: [{ host: `dc1.d${n}.contoso.com`, port: 636, tls: 'ldaps' }],
  trust: { pinnedFingerprints: [] },
  bindUser: 'svc-idm',
  allowInsecure: false,
  createdAt: '2026-11-26T08:00:00.000Z',
  updatedAt: '2026-11-26T08:00:00.000Z',
  hasPassword: false,
});

/** What main answers: the list as the store holds it now, or a failure; each answer can be held back. */
let stored: ConnectionView[] = [];
let notice: AppError | null = null;
let failNext: AppError | null = null;
const held: (() => void)[] = [];
let holdAnswers = false;
const invoke = vi.fn(async (channel: string, request: { id?: string }) => {
  if (channel === 'connections:list') {
    const answer = failNext
      ? { ok: false, error: failNext }
      : { ok: true, value: { connections: [...stored], notice } };
    failNext = null;
    if (holdAnswers) await new Promise<void>((release) => held.push(release));
    return answer;
  }
  if (channel === 'connections:delete') {
    stored = stored.filter((c) => c.id !== request.id);
    return { ok: true, value: { id: request.id } };
  }
  if (channel === 'connections:save') {
    const saved = view(99);
    stored = [...stored, saved];
    return { ok: true, value: saved };
  }
  throw new Error(`unexpected ${channel}`);
});
vi.stubGlobal('window', { connectionUtility: { invoke, on: () => () => {} } });
afterAll(() => vi.unstubAllGlobals());

const state = () => useConnectionsStore.getState();

beforeEach(async () => {
  stored = [view(1), view(2), view(3)];
  notice = null;
  failNext = null;
  holdAnswers = false;
  useConnectionsStore.setState({ connections: [], filter: '', selectedId: null, deletedElsewhere: [] });
  await state().load();
});

describe('connections store: refresh after another process changed the store', () => {
  it('never shows the loading state, and keeps the selection and the filter', async () => {
    state().select(view(2).id);
    state().setFilter('d2');
    const seen: string[] = [];
    const stop = useConnectionsStore.subscribe((s) => seen.push(s.status));
    stored = [...stored, view(4)];
    await state().refresh();
    stop();
    expect(seen).not.toContain('loading');
    expect(state()).toMatchObject({ status: 'ready', selectedId: view(2).id, filter: 'd2' });
    expect(state().connections.map((c) => c.name)).toContain('Connection 4');
  });

  it('remembers a connection deleted elsewhere for its open editor, but not one this window deleted', async () => {
    state().select(view(1).id);
    await state().remove(view(3).id);
    stored = stored.filter((c) => c.id !== view(1).id);
    await state().refresh();
    expect(state().deletedElsewhere.map((c) => c.id)).toEqual([view(1).id]);
    expect(state().selectedId).toBeNull();

    // Imported again under the same id: it is simply back.
    stored = [...stored, view(1)];
    await state().refresh();
    expect(state().deletedElsewhere).toEqual([]);
  });

  it('asks again when its answer may predate this window’s own save', async () => {
    holdAnswers = true;
    const refreshing = state().refresh();
    await vi.waitFor(() => expect(held).toHaveLength(1));
    // The list above was read before this save; applied as it is, it would drop the saved connection.
    holdAnswers = false;
    await state().save({
      kind: 'activeDirectory',
      name: 'x',
      domain: 'x.com',
      targets: [{ host: 'dc.x.com', port: 636, tls: 'ldaps' }],
      bindUser: 'svc',
    });
    held.shift()?.();
    await refreshing;
    expect(state().connections.map((c) => c.id)).toContain(view(99).id);
    expect(state().deletedElsewhere).toEqual([]);
  });

  it('uses only the latest of overlapping answers', async () => {
    holdAnswers = true;
    const first = state().refresh();
    await vi.waitFor(() => expect(held).toHaveLength(1));
    holdAnswers = false;
    stored = [view(1)];
    await state().refresh();
    held.shift()?.();
    await first;
    expect(state().connections.map((c) => c.id)).toEqual([view(1).id]);
  });

  it('keeps the list it shows when a quiet refresh fails', async () => {
    failNext = { code: 'store.ioFailed', message: 'The store could not be read.' };
    await state().refresh();
    expect(state().status).toBe('ready');
    expect(state().connections).toHaveLength(3);
  });

  it('keeps a dismissed notice dismissed, and shows a different one', async () => {
    notice = {
      code: 'store.migrated',
      message: 'Your 2 connection(s) were moved into the new connection store.',
    };
    await state().refresh();
    expect(state().notice?.code).toBe('store.migrated');
    state().dismissNotice();
    await state().refresh();
    expect(state().notice).toBeNull();

    notice = { code: 'store.corrupt', message: '1 connection(s) in the store could not be read.' };
    await state().refresh();
    expect(state().notice?.code).toBe('store.corrupt');
  });
});
