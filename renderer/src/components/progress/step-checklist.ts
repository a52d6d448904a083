// A long operation shown as a checklist: main names each step as it starts (a progress event), the window times
// it, and the final report (or the failure) settles what each step did.

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface ChecklistStep {
  name: string;
  status: StepStatus;
  /** How long it took (done, failed), as measured by main when its report says so, else by the window. */
  ms?: number;
  /** An earlier attempt had done it: checked, not repeated (a Retry). */
  alreadyDone?: boolean;
  /** What it found, or why it failed or was not done. */
  note?: string;
  /** For a failed step: what to do next. */
  hint?: string;
  /** performance.now() when it started, while it runs. */
  startedAt?: number;
}

export interface Checklist {
  steps: ChecklistStep[];
  /** How many steps main announced; more than `steps` while the names of later ones are not known yet. */
  total: number;
}

/** Every step named in advance, all pending. */
export function plannedChecklist(names: readonly string[]): Checklist {
  return { steps: names.map((name) => ({ name, status: 'pending' })), total: names.length };
}

/** Steps learned as they start (the operation does not publish its list). */
export function unplannedChecklist(total = 0): Checklist {
  return { steps: [], total };
}

function finishRunning(step: ChecklistStep, at: number): ChecklistStep {
  if (step.status !== 'running') return step;
  const { startedAt, ...rest } = step;
  return { ...rest, status: 'done', ms: Math.max(0, Math.round(at - (startedAt ?? at))) };
}

/**
 * A progress event: `name` starts, and whatever ran before it is done. A repeated event of the running step
 * (the sign-in page opening, then its device code) changes nothing. `done >= total` is the end: no new step.
 */
export function stepStarted(
  list: Checklist,
  progress: { step: string; done: number; total?: number | undefined },
  at: number,
): Checklist {
  const total = Math.max(list.total, progress.total ?? 0);
  const finished = progress.total !== undefined && progress.done >= progress.total;
  const index = list.steps.findIndex((step) => step.name === progress.step);
  if (!finished && index >= 0 && list.steps[index]?.status === 'running') return { ...list, total };
  const steps = list.steps.map((step, position) => {
    const ended = finishRunning(step, at);
    // A planned step main passed over without an event of its own is done too, untimed.
    if (!finished && index >= 0 && position < index && ended.status === 'pending')
      return { ...ended, status: 'done' as const };
    return ended;
  });
  if (finished) return { steps, total };
  const running: ChecklistStep = { name: progress.step, status: 'running', startedAt: at };
  if (index >= 0) steps[index] = running;
  else steps.push(running);
  return { steps, total };
}

/**
 * The operation failed (or was cancelled) at `stepName` when known, else at the step that was running: that step
 * shows why, and what to do next.
 */
export function checklistFailed(
  list: Checklist,
  at: number,
  failure: { note: string; hint?: string | undefined; stepName?: string | undefined },
): Checklist {
  const { note, hint, stepName } = failure;
  const named = list.steps.findIndex((step) => step.name === stepName);
  const target = named >= 0 ? named : list.steps.findIndex((step) => step.status === 'running');
  return {
    ...list,
    steps: list.steps.map((step, position) => {
      if (position !== target) return step.status === 'running' ? finishRunning(step, at) : step;
      const { startedAt, ...rest } = step;
      return {
        ...rest,
        status: 'failed',
        note,
        ...(hint ? { hint } : {}),
        ...(startedAt !== undefined ? { ms: Math.max(0, Math.round(at - startedAt)) } : {}),
      };
    }),
  };
}

export interface StepReport {
  step: string;
  ms: number;
  /** Absent: it succeeded. */
  ok?: boolean;
  alreadyDone?: boolean;
  detail?: string | undefined;
}

/**
 * The operation's own report replaces what the window measured: its times, what an earlier attempt had done, and
 * each step's outcome. A step reported as not ok that took no time was passed over on purpose ("skipped").
 */
export function checklistSettled(list: Checklist, reports: readonly StepReport[], at: number): Checklist {
  const byName = new Map(reports.map((report) => [report.step, report]));
  const settle = (name: string, report: StepReport): ChecklistStep => ({
    name,
    status: report.ok === false ? (report.ms === 0 ? 'skipped' : 'failed') : 'done',
    ms: report.ms,
    ...(report.alreadyDone ? { alreadyDone: true } : {}),
    ...(report.detail ? { note: report.detail } : {}),
  });
  const steps = list.steps.map((step) => {
    const report = byName.get(step.name);
    return report ? settle(step.name, report) : finishRunning(step, at);
  });
  for (const report of reports)
    if (!list.steps.some((step) => step.name === report.step)) steps.push(settle(report.step, report));
  return { steps, total: Math.max(list.total, steps.length) };
}

/** Whether the failure shows at a step of the list (else the window says it on its own). */
export const hasFailedStep = (list: Checklist) => list.steps.some((step) => step.status === 'failed');

/** "Step 3 of 8": the running step's place, for the live status line. */
export function checklistPosition(list: Checklist): { current: number; total: number } {
  const running = list.steps.findIndex((step) => step.status === 'running');
  const current = running >= 0 ? running + 1 : list.steps.filter((step) => step.status !== 'pending').length;
  return { current, total: Math.max(list.total, list.steps.length) };
}

/** A step's time as people read it: "850 ms" up to ten seconds, then whole seconds. */
export function formatStepTime(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}
