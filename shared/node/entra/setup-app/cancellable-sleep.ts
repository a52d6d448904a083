import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';

export function setupCancelled(): AppFailure {
  return new AppFailure({ code: AppErrorCode.operationCancelled, message: 'The setup was cancelled.' });
}

/** Waits `ms`, or ends at once with operation.cancelled when `signal` aborts (before or during the wait). */
export function cancellableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(setupCancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}
