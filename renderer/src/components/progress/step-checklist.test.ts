import { describe, expect, it } from 'vitest';
import {
  checklistFailed,
  checklistPosition,
  checklistSettled,
  formatStepTime,
  hasFailedStep,
  plannedChecklist,
  stepStarted,
  unplannedChecklist,
} from './step-checklist';

const planned = () => plannedChecklist(['Sign in', 'Register', 'Wait', 'Save']);
const statuses = (list: ReturnType<typeof planned>) => list.steps.map((step) => step.status);

describe('a checklist of a long operation', () => {
  it('runs the step an event names, finishing the one before it with the time between the two events', () => {
    let list = stepStarted(planned(), { step: 'Sign in', done: 0, total: 4 }, 1000);
    expect(statuses(list)).toEqual(['running', 'pending', 'pending', 'pending']);
    list = stepStarted(list, { step: 'Register', done: 1, total: 4 }, 1850);
    expect(list.steps[0]).toEqual({ name: 'Sign in', status: 'done', ms: 850 });
    expect(list.steps[1]).toMatchObject({ status: 'running', startedAt: 1850 });
    expect(checklistPosition(list)).toEqual({ current: 2, total: 4 });
  });

  it('keeps the running step when an event repeats it (the sign-in page, then its code)', () => {
    const once = stepStarted(planned(), { step: 'Sign in', done: 0, total: 4 }, 1000);
    const again = stepStarted(once, { step: 'Sign in', done: 0, total: 4 }, 5000);
    expect(again.steps[0]).toMatchObject({ status: 'running', startedAt: 1000 });
  });

  it('marks planned steps passed over without an event as done, untimed', () => {
    const list = stepStarted(planned(), { step: 'Wait', done: 2, total: 4 }, 10);
    expect(statuses(list)).toEqual(['done', 'done', 'running', 'pending']);
    expect(list.steps[0]?.ms).toBeUndefined();
  });

  it('learns the steps of an unplanned operation as they start, and the last event only ends the running one', () => {
    let list = unplannedChecklist();
    list = stepStarted(list, { step: 'One', done: 0, total: 3 }, 0);
    list = stepStarted(list, { step: 'Two', done: 1, total: 3 }, 20);
    expect(checklistPosition(list)).toEqual({ current: 2, total: 3 });
    list = stepStarted(list, { step: 'Done', done: 3, total: 3 }, 50);
    expect(list.steps.map((step) => [step.name, step.status, step.ms])).toEqual([
      ['One', 'done', 20],
      ['Two', 'done', 30],
    ]);
  });

  it('fails the step main names, or else the running one, with the error; the rest stay pending', () => {
    const running = stepStarted(planned(), { step: 'Register', done: 1, total: 4 }, 100);
    const failed = checklistFailed(running, 400, { note: 'Graph refused it.', hint: 'Retry.' });
    expect(failed.steps[1]).toEqual({
      name: 'Register',
      status: 'failed',
      note: 'Graph refused it.',
      hint: 'Retry.',
      ms: 300,
    });
    expect(hasFailedStep(failed)).toBe(true);
    expect(hasFailedStep(running)).toBe(false);
    expect(statuses(failed)).toEqual(['done', 'failed', 'pending', 'pending']);
    const named = checklistFailed(running, 400, { note: 'Cancelled', stepName: 'Wait' });
    expect(statuses(named)).toEqual(['done', 'done', 'failed', 'pending']);
  });

  it('takes the times, outcomes and "already done" from the final report', () => {
    const running = stepStarted(planned(), { step: 'Save', done: 3, total: 4 }, 100);
    const settled = checklistSettled(
      running,
      [
        { step: 'Sign in', ms: 4000 },
        { step: 'Register', ms: 12, alreadyDone: true },
        { step: 'Wait', ms: 0, ok: false, detail: 'Kept: an agent still uses it.' },
        { step: 'Save', ms: 30, ok: false, detail: 'Disk full.' },
        { step: 'Extra', ms: 5, ok: true },
      ],
      200,
    );
    expect(settled.steps).toEqual([
      { name: 'Sign in', status: 'done', ms: 4000 },
      { name: 'Register', status: 'done', ms: 12, alreadyDone: true },
      { name: 'Wait', status: 'skipped', ms: 0, note: 'Kept: an agent still uses it.' },
      { name: 'Save', status: 'failed', ms: 30, note: 'Disk full.' },
      { name: 'Extra', status: 'done', ms: 5 },
    ]);
    expect(settled.total).toBe(5);
  });

  it('writes a step’s time in milliseconds up to ten seconds, then in seconds', () => {
    expect(formatStepTime(850)).toBe('850 ms');
    expect(formatStepTime(9999)).toBe('9999 ms');
    expect(formatStepTime(62_400)).toBe('62 s');
  });
});
