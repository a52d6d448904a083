import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';

export interface StageDeadline {
  /** The stage's name, as the waterfall shows it. */
  name: string;
  timeoutMs: number;
  /** The next step when the stage ran out of time. */
  hint: string;
  /** The diagnosis' cancellation. */
  signal: AbortSignal | undefined;
}

/**
 * Runs a stage's body with a signal of its own, aborted when the diagnosis is cancelled or the deadline passes;
 * the body hands it to every request it makes, so either ends their sockets, not only the wait. Past the
 * deadline the stage fails with diagnostics.stageTimeout, whatever the body was still waiting for.
 */
export async function withStageDeadline<T>(
  deadline: StageDeadline,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onCancel: (() => void) | undefined;
  const ended = new Promise<never>((_, reject) => {
    const end = (failure: AppFailure) => {
      reject(failure);
      stop.abort();
    };
    onCancel = () =>
      end(new AppFailure({ code: AppErrorCode.operationCancelled, message: 'The diagnosis was cancelled.' }));
    if (deadline.signal?.aborted) return onCancel();
    deadline.signal?.addEventListener('abort', onCancel, { once: true });
    timer = setTimeout(
      () =>
        end(
          new AppFailure({
            code: AppErrorCode.diagnosticsStageTimeout,
            message: `${deadline.name} did not finish within ${deadline.timeoutMs / 1000} s, so it was stopped.`,
            hint: deadline.hint,
            detail: { timeoutMs: deadline.timeoutMs },
          }),
        ),
      deadline.timeoutMs,
    );
  });
  try {
    return await Promise.race([body(stop.signal), ended]);
  } finally {
    clearTimeout(timer);
    if (onCancel) deadline.signal?.removeEventListener('abort', onCancel);
  }
}
