import { AppFailure } from '../../../shared/common/errors/app-error';
import { AppErrorCode } from '../../../shared/common/errors/error-codes';
import type { ConnectionStoreProvider } from '../../../shared/node/connections/connection-store-provider';

/**
 * Runs a connection test and, when it concerns a saved connection, records its outcome for the panel's
 * "Last test" column. A cancelled test records nothing; a failure to record never hides the test's own result.
 */
export async function recordTestOutcome<T extends { checkedAt: string }>(
  stores: ConnectionStoreProvider,
  connectionId: string | undefined,
  test: () => Promise<T>,
  summarize: (result: T) => string,
): Promise<T> {
  const started = new Date().toISOString();
  try {
    const result = await test();
    if (connectionId) {
      await (await stores.forWriting()).recordTest(connectionId, {
        ok: true,
        at: result.checkedAt,
        summary: summarize(result),
      });
    }
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
