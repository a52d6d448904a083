import type { AppFailure } from '../../../common/errors/app-error';
import { cancellableSleep } from './cancellable-sleep';

/** One try of a Graph write that may meet an object Graph itself has not replicated yet. */
export type ReplicatedTry<T> = { value: T } | { notYet: AppFailure };

/** Graph usually sees what it just created within seconds; beyond these pauses, the failure stands. */
const pausesMs = [1000, 2000, 4000, 8000];

/**
 * Runs `work` until it has a value, pausing between tries while it reports that an object it refers to is not
 * there yet (Graph's directory replicates between its own servers); the last "not yet" is the failure.
 */
export async function untilReplicated<T>(
  work: () => Promise<ReplicatedTry<T>>,
  signal?: AbortSignal,
  pauses: readonly number[] = pausesMs,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await work();
    if ('value' in outcome) return outcome.value;
    const pause = pauses[attempt];
    if (pause === undefined) throw outcome.notYet;
    await cancellableSleep(pause, signal);
  }
}
