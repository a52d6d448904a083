import { describe, expect, it } from 'vitest';
import type { Stage } from '../../../../shared/common/diagnostics/diagnosis';
import { ProgressEventSchema } from '../../../../shared/common/ipc/event-map';
import {
  differenceStageName,
  noDiagnosis,
  type ShownDiagnosis,
  stagesReported,
  withLiveStage,
  worstStatus,
} from './live-diagnosis';

const stage = (id: string, startMs: number, status: Stage['status'] = 'ok'): Stage => ({
  id,
  name: `Stage ${id}`,
  status,
  startMs,
  durationMs: 10,
});
const context = {
  kind: 'microsoftOnline' as const,
  domain: 'contoso.test',
  startedAt: '2026-03-01T12:00:00Z',
};

/** The event as main sends it, validated by the contract the bridge checks. */
const event = (section: 'thisComputer' | 'remoteAgent' | 'agentHost', reported: Stage) => {
  const progress = ProgressEventSchema.parse({
    operationId: 'diagnostics:run-1',
    step: reported.name,
    done: 1,
    diagnosis: { section, stage: reported },
  });
  if (!progress.diagnosis) throw new Error('no diagnosis in the event');
  return progress.diagnosis;
};

describe('a diagnosis built up from progress events', () => {
  it('adds each finished stage to its part, in start order, so the waterfall grows while it runs', () => {
    let shown: ShownDiagnosis = noDiagnosis;
    shown = withLiveStage(shown, event('thisComputer', stage('online.tcp', 20)), context);
    shown = withLiveStage(shown, event('thisComputer', stage('online.dns', 0)), context);
    shown = withLiveStage(shown, event('agentHost', stage('online.dns', 0, 'fail')), context);
    shown = withLiveStage(shown, event('remoteAgent', stage('agent.tcp', 0)), context);
    expect(shown.thisComputer?.stages.map((s) => s.id)).toEqual(['online.dns', 'online.tcp']);
    expect(shown.thisComputer).toMatchObject({ kind: 'microsoftOnline', side: 'local', durationMs: 30 });
    expect(shown.agentHost).toMatchObject({ kind: 'microsoftOnline', side: 'agentHost', status: 'fail' });
    expect(shown.remoteAgent).toMatchObject({ kind: 'remoteAgent', side: 'local', status: 'ok' });
    expect(stagesReported(shown)).toBe(4);
  });

  it('replaces a stage reported twice in its place, not a second row', () => {
    let shown = withLiveStage(noDiagnosis, event('thisComputer', stage('a', 0)), context);
    shown = withLiveStage(shown, event('thisComputer', stage('b', 5)), context);
    shown = withLiveStage(shown, event('thisComputer', stage('a', 0, 'warn')), context);
    expect(shown.thisComputer?.stages.map((s) => [s.id, s.status])).toEqual([
      ['a', 'warn'],
      ['b', 'ok'],
    ]);
    expect(shown.thisComputer?.status).toBe('warn');
  });

  it('rates a part by its worst stage, failures before warnings', () => {
    expect(worstStatus([stage('a', 0, 'skipped'), stage('b', 0, 'warn'), stage('c', 0)])).toBe('warn');
    expect(worstStatus([stage('a', 0, 'warn'), stage('b', 0, 'fail')])).toBe('fail');
    expect(worstStatus([])).toBe('skipped');
  });

  it('names the difference by the stage’s label, whichever side ran it', () => {
    const shown = withLiveStage(noDiagnosis, event('agentHost', stage('online.tls', 0, 'fail')), context);
    expect(
      differenceStageName({ ...shown, difference: { stageId: 'online.tls', sentence: 'Works here…' } }),
    ).toBe('Stage online.tls');
    expect(differenceStageName(shown)).toBeNull();
  });
});
