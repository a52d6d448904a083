import type { Diagnosis, DiagnosisKind, Stage, StageStatus } from '../../common/diagnostics/diagnosis';
import { type AppError, AppErrorCode, AppFailure } from '../../common/errors/app-error';

/** What a stage's body may say besides "it worked": one line of what it found, or a warning. */
export interface StageFinding {
  detail?: string;
  /** Works, but needs attention (clock skew over 2 minutes, a certificate expiring soon). */
  warning?: AppError;
}

export interface StageOptions<T> {
  /** The domain controller (host) the stage belongs to. */
  group?: string;
  /** What the stage found, from its value. */
  finding?: (value: T) => StageFinding | undefined;
}

const worst: readonly StageStatus[] = ['fail', 'warn', 'ok', 'skipped'];

/** Typed failures pass as they are; anything else is named without its stack, which may carry paths or data. */
function appErrorOf(error: unknown, stageName: string): AppError {
  if (error instanceof AppFailure) return error.appError;
  return {
    code: AppErrorCode.internal,
    message: `${stageName} failed unexpectedly.`,
    hint: 'Export diagnostics… and send the bundle to support.',
  };
}

/** A place in the planned order: a stage, or a lane of stages that runs beside others. */
type Slot = { stage: Stage } | { lane: Slot[] };

/** What every lane of one diagnosis shares: its clock, its listener and its cancellation. */
interface RunClock {
  elapsed(): number;
  onStage(stage: Stage): void;
  signal: AbortSignal | undefined;
}

/** Milliseconds to a tenth: differences of rounded times still carry float noise (3.1999999999999997). */
const tenths = (ms: number) => Math.max(0, Math.round(ms * 10) / 10);

function flatten(slots: readonly Slot[]): Stage[] {
  return slots.flatMap((slot) => ('stage' in slot ? [slot.stage] : flatten(slot.lane)));
}

/**
 * A sequence of stages in the planned order. Stages started one after another in a lane keep the order they
 * were started in; parallel sequences each get a lane from fork(), placed where fork() was called, so the
 * waterfall shows the plan, never the order in which network answers happened to arrive.
 */
export class StageLane {
  protected constructor(
    protected readonly clock: RunClock,
    private readonly slots: Slot[],
  ) {}

  /**
   * Runs one stage, timed from the diagnosis' start, and reports it as soon as it ends. A failed stage records
   * its typed error and returns undefined: the caller skips what depended on it.
   */
  async stage<T>(
    id: string,
    name: string,
    body: () => Promise<T>,
    options: StageOptions<T> = {},
  ): Promise<T | undefined> {
    this.throwIfCancelled();
    const startMs = this.clock.elapsed();
    const base = { id, name, ...(options.group ? { group: options.group } : {}), startMs };
    const slot: { stage: Stage } = {
      stage: { ...base, status: 'skipped', durationMs: 0, detail: 'running' },
    };
    this.slots.push(slot);
    try {
      const value = await body();
      const finding = options.finding?.(value);
      this.settle(slot, {
        ...base,
        status: finding?.warning ? 'warn' : 'ok',
        durationMs: tenths(this.clock.elapsed() - startMs),
        ...(finding?.detail ? { detail: finding.detail.slice(0, 1000) } : {}),
        ...(finding?.warning ? { error: finding.warning } : {}),
      });
      return value;
    } catch (error) {
      // A cancelled diagnosis ends as a whole; it is not a stage that failed.
      if (this.clock.signal?.aborted) throw error;
      const appError = appErrorOf(error, name);
      const detail =
        typeof appError.detail?.stageDetail === 'string' ? appError.detail.stageDetail : undefined;
      this.settle(slot, {
        ...base,
        status: 'fail',
        durationMs: tenths(this.clock.elapsed() - startMs),
        ...(detail ? { detail: detail.slice(0, 1000) } : {}),
        error: appError,
      });
      return undefined;
    }
  }

  /** A stage that did not run because one it needs failed. */
  skip(id: string, name: string, reason: string, group?: string): void {
    const stage: Stage = {
      id,
      name,
      ...(group ? { group } : {}),
      status: 'skipped',
      startMs: this.clock.elapsed(),
      durationMs: 0,
      detail: reason.slice(0, 1000),
    };
    this.slots.push({ stage });
    this.clock.onStage(stage);
  }

  /** `count` lanes that run beside each other, placed here in the order returned. */
  fork(count: number): StageLane[] {
    return Array.from({ length: count }, () => {
      const lane: Slot[] = [];
      this.slots.push({ lane });
      return new StageLane(this.clock, lane);
    });
  }

  private settle(slot: { stage: Stage }, stage: Stage): void {
    slot.stage = stage;
    this.clock.onStage(stage);
  }

  private throwIfCancelled(): void {
    if (this.clock.signal?.aborted)
      throw new AppFailure({
        code: AppErrorCode.operationCancelled,
        message: 'The diagnosis was cancelled.',
      });
  }
}

/** One diagnosis in progress: the root lane, and the Diagnosis it becomes. */
export class StageRun extends StageLane {
  private readonly root: Slot[];
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly kind: DiagnosisKind,
    private readonly side: Diagnosis['side'],
    private readonly domain: string,
    onStage: (stage: Stage) => void = () => {},
    signal?: AbortSignal,
  ) {
    const started = performance.now();
    const root: Slot[] = [];
    super(
      {
        elapsed: () => Math.round((performance.now() - started) * 10) / 10,
        onStage,
        signal,
      },
      root,
    );
    this.root = root;
  }

  finish(): Diagnosis {
    const stages = flatten(this.root);
    const status = worst.find((candidate) => stages.some((stage) => stage.status === candidate)) ?? 'ok';
    return {
      kind: this.kind,
      side: this.side,
      domain: this.domain,
      startedAt: this.startedAt,
      durationMs: this.clock.elapsed(),
      status: status === 'skipped' ? 'ok' : status,
      stages,
    };
  }
}
