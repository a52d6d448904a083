import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppError } from '../../../shared/common/errors/app-error';
import type { FleetRepairReport, FleetStatus } from '../../../shared/common/fleet/fleet';
import { useFleetStore } from './fleet-store';

// The window's side of the Agents view: what it asks main, and which answer it shows.

const agentUrl = 'http://127.0.0.1:40002';
const fleetWith = (drift: FleetStatus['rows'][number]['drift'], checkedAt: string): FleetStatus => ({
  checkedAt,
  routesFile: '/tmp/routes.json',
  agents: [
    {
      url: agentUrl,
      host: '127.0.0.1',
      port: 40002,
      useTls: false,
      state: 'running',
      version: '1.0.0',
      domains: drift.length ? [] : ['contoso.test'],
      lastTest: null,
      certificateExpiresAt: null,
      sources: ['connection'],
      durationMs: 3,
    },
  ],
  rows: [
    {
      domain: 'contoso.test',
      connection: {
        id: '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a01',
        name: 'Contoso',
        revision: '2026-11-26T08:00:00.000Z',
        agentUrl,
      },
      agentCopy: { present: drift.length === 0, revision: null },
      route: { agentUrl, connectionId: '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a01' },
      drift,
      repairs: drift.length ? ['updateAgent'] : [],
    },
  ],
  driftCount: drift.length ? 1 : 0,
});
const drifting = fleetWith(['missingOnAgent'], '2026-11-26T09:00:00.000Z');
const repaired = fleetWith([], '2026-11-26T09:01:00.000Z');
const unreachable: AppError = {
  code: 'we.routesIoFailed',
  message: 'The Workflow Engine routes file could not be read.',
  hint: 'Choose it again in Settings.',
};

type Answer = { ok: true; value: unknown } | { ok: false; error: AppError };
/** Main's answers, per channel, in order; each can be held back until released. */
const answers: Record<string, Answer[]> = {};
const requests: { channel: string; request: Record<string, unknown> }[] = [];
let hold = false;
const held: (() => void)[] = [];
let progressListener: ((event: unknown) => void) | null = null;

const invoke = vi.fn(async (channel: string, request: Record<string, unknown>) => {
  requests.push({ channel, request });
  if (channel === 'operation:cancel') return { ok: true, value: { cancelled: true } };
  const answer = answers[channel]?.shift();
  if (!answer) throw new Error(`no answer queued for ${channel}`);
  if (hold) await new Promise<void>((release) => held.push(release));
  return answer;
});
const on = vi.fn((event: string, listener: (payload: unknown) => void) => {
  if (event === 'progress') progressListener = listener;
  return () => {
    if (progressListener === listener) progressListener = null;
  };
});
vi.stubGlobal('window', { connectionUtility: { invoke, on } });
afterAll(() => vi.unstubAllGlobals());

const state = () => useFleetStore.getState();
const sent = (channel: string) => requests.filter((r) => r.channel === channel).map((r) => r.request);

beforeEach(() => {
  for (const key of Object.keys(answers)) delete answers[key];
  requests.length = 0;
  hold = false;
  held.length = 0;
  useFleetStore.setState(useFleetStore.getInitialState(), true);
});

describe('fleet store', () => {
  it('shows the status main reports, and the running check’s progress until it answers', async () => {
    answers['fleet:status'] = [{ ok: true, value: drifting }];
    hold = true;
    const done = state().refresh();
    await vi.waitFor(() => expect(held).toHaveLength(1));
    expect(state()).toMatchObject({ status: 'loading', refreshing: true });
    const operationId = sent('fleet:status')[0]?.operationId;
    progressListener?.({ operationId, step: 'Asking 127.0.0.1:40002', done: 1, total: 3 });
    progressListener?.({ operationId: 'someone-else', step: 'Not ours', done: 2 });
    expect(state().progress).toEqual({ done: 1, total: 3 });
    held.shift()?.();
    await done;
    expect(state()).toMatchObject({ status: 'ready', fleet: drifting, refreshing: false, progress: null });
  });

  it('a failed check keeps the fleet already shown and says why, with the hint; a cancelled one says nothing', async () => {
    answers['fleet:status'] = [
      { ok: true, value: drifting },
      { ok: false, error: { code: 'operation.cancelled', message: 'Cancelled.' } },
      { ok: false, error: unreachable },
    ];
    await state().refresh();
    await state().refresh();
    expect(state()).toMatchObject({ status: 'ready', fleet: drifting, error: null, refreshing: false });
    await state().refresh();
    expect(state()).toMatchObject({ status: 'failed', fleet: drifting, error: unreachable });
  });

  it('one row’s repair names only its domain and action, then shows the report and the fleet after it', async () => {
    const report: FleetRepairReport = {
      results: [{ domain: 'contoso.test', action: 'updateAgent', outcome: 'done', message: 'Updated.' }],
      after: repaired,
    };
    answers['fleet:status'] = [{ ok: true, value: drifting }];
    answers['fleet:repair'] = [{ ok: true, value: report }];
    await state().refresh();
    await state().repair({ domain: 'contoso.test', action: 'updateAgent' });
    expect(sent('fleet:repair')).toEqual([
      {
        dryRun: false,
        repairs: [{ domain: 'contoso.test', action: 'updateAgent' }],
        operationId: expect.any(String),
      },
    ]);
    expect(state()).toMatchObject({
      fleet: repaired,
      repairing: null,
      report: { scope: { domain: 'contoso.test', action: 'updateAgent' }, results: report.results },
    });
    // The report's `after` is the fleet now: no second status request.
    expect(sent('fleet:status')).toHaveLength(1);
  });

  it('Repair all leaves the choice to main, and a check still in flight does not overwrite its result', async () => {
    answers['fleet:status'] = [{ ok: true, value: drifting }];
    answers['fleet:repair'] = [{ ok: true, value: { results: [], after: repaired } }];
    hold = true;
    const checking = state().refresh();
    await vi.waitFor(() => expect(held).toHaveLength(1));
    const repairing = state().repair();
    await vi.waitFor(() => expect(held).toHaveLength(2));
    expect(state().repairing).toBe('all');
    // The check was cancelled at main; its answer, arriving late, is ignored.
    expect(sent('operation:cancel')).toHaveLength(1);
    held[1]?.();
    await repairing;
    held[0]?.();
    await checking;
    expect(sent('fleet:repair')[0]).not.toHaveProperty('repairs');
    expect(state()).toMatchObject({
      fleet: repaired,
      refreshing: false,
      report: { scope: 'all', results: [] },
    });
  });

  it('a repair request that fails shows its error and the fleet as it is now', async () => {
    answers['fleet:repair'] = [{ ok: false, error: unreachable }];
    answers['fleet:status'] = [{ ok: true, value: drifting }];
    await state().repair();
    expect(state()).toMatchObject({ repairError: unreachable, report: null, fleet: drifting });
    state().dismissReport();
    expect(state().repairError).toBeNull();
  });
});
