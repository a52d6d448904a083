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

/**
 * One diagnosis in progress. Each stage is placed in the order it was started (so parallel stages keep their
 * planned order in the waterfall), timed from the diagnosis' start, and reported as soon as it ends. A failed
 * stage records its typed error and returns undefined: the caller skips what depended on it.
 */
export class StageRun {
  private readonly stages: Stage[] = [];
  private readonly started = performance.now();
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly kind: DiagnosisKind,
    private readonly side: Diagnosis['side'],
    private readonly domain: string,
    private readonly onStage: (stage: Stage) => void = () => {},
    private readonly signal?: AbortSignal,
  ) {}

  async stage<T>(
    id: string,
    name: string,
    body: () => Promise<T>,
    options: StageOptions<T> = {},
  ): Promise<T | undefined> {
    this.throwIfCancelled();
    const index = this.stages.length;
    const startMs = this.elapsed();
    const base = { id, name, ...(options.group ? { group: options.group } : {}), startMs };
    this.stages.push({ ...base, status: 'skipped', durationMs: 0, detail: 'running' });
    try {
      const value = await body();
      const finding = options.finding?.(value);
      this.settle(index, {
        ...base,
        status: finding?.warning ? 'warn' : 'ok',
        durationMs: this.elapsed() - startMs,
        ...(finding?.detail ? { detail: finding.detail.slice(0, 1000) } : {}),
        ...(finding?.warning ? { error: finding.warning } : {}),
      });
      return value;
    } catch (error) {
      // A cancelled diagnosis ends as a whole; it is not a stage that failed.
      if (this.signal?.aborted) throw error;
      const appError = appErrorOf(error, name);
      const detail =
        typeof appError.detail?.stageDetail === 'string' ? appError.detail.stageDetail : undefined;
      this.settle(index, {
        ...base,
        status: 'fail',
        durationMs: this.elapsed() - startMs,
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
      startMs: this.elapsed(),
      durationMs: 0,
      detail: reason.slice(0, 1000),
    };
    this.stages.push(stage);
    this.onStage(stage);
  }

  finish(): Diagnosis {
    const status = worst.find((candidate) => this.stages.some((stage) => stage.status === candidate)) ?? 'ok';
    return {
      kind: this.kind,
      side: this.side,
      domain: this.domain,
      startedAt: this.startedAt,
      durationMs: this.elapsed(),
      status: status === 'skipped' ? 'ok' : status,
      stages: [...this.stages],
    };
  }

  private settle(index: number, stage: Stage): void {
    this.stages[index] = stage;
    this.onStage(stage);
  }

  private elapsed(): number {
    return Math.round((performance.now() - this.started) * 10) / 10;
  }

  private throwIfCancelled(): void {
    if (this.signal?.aborted)
      throw new AppFailure({
        code: AppErrorCode.operationCancelled,
        message: 'The diagnosis was cancelled.',
      });
  }
}
