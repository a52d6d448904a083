import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import type { RecentTests } from '../recent-tests';

export interface TestRecording<T> {
  stores: ConnectionStoreProvider;
  /** The saved connection the test concerns, if any. */
  connectionId: string | undefined;
  /** A test of a connection not saved yet: kept so the save can record it. */
  unsaved?: { recent: RecentTests; operationId: string | undefined; domains: (result: T) => string[] | null };
  summarize(result: T): string;
}

/**
 * Runs a connection test and records its outcome for the panel's "Last test" column: on the saved connection
 * it concerns, or, for a wizard's test, until Finish saves the connection. A cancelled test records nothing;
 * a failure to record never hides the test's own result.
 */
export async function recordTestOutcome<T extends { checkedAt: string }>(
  recording: TestRecording<T>,
  test: () => Promise<T>,
): Promise<T> {
  const { stores, connectionId, unsaved } = recording;
  const started = new Date().toISOString();
  try {
    const result = await test();
    const lastTest = { ok: true, at: result.checkedAt, summary: recording.summarize(result).slice(0, 500) };
    if (connectionId) await (await stores.forWriting()).recordTest(connectionId, lastTest);
    else if (unsaved?.operationId)
      unsaved.recent.remember(unsaved.operationId, lastTest, unsaved.domains(result));
    return result;
  } catch (error) {
    if (
      connectionId &&
      error instanceof AppFailure &&
      error.appError.code !== AppErrorCode.operationCancelled
    ) {
      const { code, message } = error.appError;
      await (await stores.forWriting())
        .recordTest(connectionId, { ok: false, at: started, code, summary: message.slice(0, 500) })
        .catch(() => {});
    }
    throw error;
  }
}
