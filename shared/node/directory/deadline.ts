import { CancelledError, DeadlineError } from './directory-errors';

/**
 * Runs `work` until it settles, the deadline passes or the signal aborts, whichever is first; then calls
 * `cleanup` so a server that accepted the connection but never answers cannot hold anything open.
 */
export async function withDeadline<T>(
  work: () => Promise<T>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  cleanup: () => void,
): Promise<T> {
  if (signal?.aborted) throw new CancelledError('cancelled');
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    onAbort = () => reject(new CancelledError('cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(), stopped]);
  } catch (error) {
    cleanup();
    throw error;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
