import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Stage } from '../../common/diagnostics/diagnosis';
import { AppFailure } from '../../common/errors/app-error';
import { StageRun } from './stage-runner';

const failure = (code: string) =>
  new AppFailure({ code, message: 'It broke.', hint: 'Fix it.', detail: { stageDetail: 'what broke' } });

describe('StageRun', () => {
  it('keeps the planned order of forked lanes whatever order their stages finish in', async () => {
    const reported: string[] = [];
    const run = new StageRun('activeDirectory', 'local', 'contoso.test', (stage) => reported.push(stage.id));
    await run.stage('first', 'First', async () => 1);
    const [slow, fast] = run.fork(2);
    await Promise.all([
      (async () => {
        await slow?.stage('slow.a', 'Slow A', () => sleep(30));
        await slow?.stage('slow.b', 'Slow B', async () => 2);
      })(),
      (async () => {
        await fast?.stage('fast.a', 'Fast A', async () => 3);
        fast?.skip('fast.b', 'Fast B', 'not needed');
      })(),
    ]);
    await run.stage('last', 'Last', async () => 4);
    const diagnosis = run.finish();
    expect(diagnosis.stages.map((stage) => stage.id)).toEqual([
      'first',
      'slow.a',
      'slow.b',
      'fast.a',
      'fast.b',
      'last',
    ]);
    // Reported as they ended: the fast lane first.
    expect(reported).toEqual(['first', 'fast.a', 'fast.b', 'slow.a', 'slow.b', 'last']);
  });

  it('records a typed failure with its hint and stage detail, a warning, and reports each stage as it ends', async () => {
    const reported: Stage[] = [];
    const run = new StageRun('remoteAgent', 'local', 'contoso.test', (stage) => reported.push(stage));
    expect(
      await run.stage('a', 'A', async () => 'x', {
        finding: () => ({
          detail: 'soon',
          warning: { code: 'tls.certificateExpiresSoon', message: 'Expires soon.' },
        }),
      }),
    ).toBe('x');
    expect(
      await run.stage('b', 'B', async () => {
        throw failure('agent.unauthorized');
      }),
    ).toBeUndefined();
    const diagnosis = run.finish();
    expect(diagnosis.status).toBe('fail');
    expect(diagnosis.stages).toMatchObject([
      { id: 'a', status: 'warn', detail: 'soon', error: { code: 'tls.certificateExpiresSoon' } },
      {
        id: 'b',
        status: 'fail',
        detail: 'what broke',
        error: { code: 'agent.unauthorized', hint: 'Fix it.' },
      },
    ]);
    expect(reported.map((stage) => `${stage.id}:${stage.status}`)).toEqual(['a:warn', 'b:fail']);
  });

  it('names an unexpected error without its message or stack', async () => {
    const run = new StageRun('microsoftOnline', 'local', 'contoso.test');
    await run.stage('boom', 'Boom', async () => {
      throw new Error('/home/admin/secret-path exploded');
    });
    const [stage] = run.finish().stages;
    expect(stage?.error).toMatchObject({ code: 'internal', message: 'Boom failed unexpectedly.' });
    expect(JSON.stringify(stage)).not.toContain('secret-path');
  });

  it('ends as a whole when cancelled, and a run of skipped stages only is not a failure', async () => {
    const controller = new AbortController();
    const run = new StageRun('activeDirectory', 'local', 'contoso.test', undefined, controller.signal);
    run.skip('x', 'X', 'nothing to do');
    expect(run.finish().status).toBe('ok');
    const pending = run.stage('slow', 'Slow', async () => {
      await sleep(20);
      throw new Error('aborted socket');
    });
    controller.abort();
    await expect(pending).rejects.toThrow('aborted socket');
    await expect(run.stage('next', 'Next', async () => 1)).rejects.toMatchObject({
      appError: { code: 'operation.cancelled' },
    });
  });
});
