import type { TestSource } from '../../../common/connections/test-history';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import type { RecentTests } from '../recent-tests';
import type { Caller } from './create-handlers';

export interface TestRecording<T> {
  stores: ConnectionStoreProvider;
  /** The saved connection the test concerns, if any. */
  connectionId: string | undefined;
  /**
   * Where the test ran from, for the test history: decided by the handler from its channel and host, never read
   * from a request. Omitted: 'dialog', a test of a saved connection from the window.
   */
  source?: TestSource;
  /** A test of a connection not saved yet: kept so the save can record it. */
  unsaved?: { recent: RecentTests; operationId: string | undefined; domains: (result: T) => string[] | null };
  summarize(result: T): string;
}

/**
 * The source of a test of a saved connection run in this host: 'cli' when the terminal asked (the admin's own
 * command), else 'dialog'. Remote Agent tests are 'agent' whoever asks: the source says where the sign-in ran.
 */
export function testSourceOf(caller: Caller): TestSource {
  return caller === 'terminal' ? 'cli' : 'dialog';
}

/**
 * Runs a connection test and records its outcome for the panel's "Last test" column and the connection's test
 * history (with how long it took): on the saved connection it concerns, or, for a wizard's test, until Finish
 * saves the connection. A cancelled test records nothing; a failure to record never hides the test's own result.
 */
export async function recordTestOutcome<T extends { checkedAt: string }>(
  recording: TestRecording<T>,
  test: () => Promise<T>,
): Promise<T> {
  const { stores, connectionId, unsaved } = recording;
  const source = recording.source ?? 'dialog';
  const started = new Date().toISOString();
  const clock = performance.now();
  const elapsed = () => Math.max(0, Math.round(performance.now() - clock));
  let result: T;
  try {
    result = await test();
  } catch (error) {
    if (
      connectionId &&
      error instanceof AppFailure &&
      error.appError.code !== AppErrorCode.operationCancelled
    ) {
      const { code, message } = error.appError;
      const lastTest = { ok: false, at: started, code, summary: message.slice(0, 500) };
      await record(stores, connectionId, lastTest, { source, durationMs: elapsed() });
    }
    throw error;
  }
  const durationMs = elapsed();
  const lastTest = { ok: true, at: result.checkedAt, summary: recording.summarize(result).slice(0, 500) };
  if (connectionId) await record(stores, connectionId, lastTest, { source, durationMs });
  else if (unsaved?.operationId)
    unsaved.recent.remember(unsaved.operationId, lastTest, unsaved.domains(result), durationMs);
  return result;
}

async function record(
  stores: ConnectionStoreProvider,
  connectionId: string,
  lastTest: { ok: boolean; at: string; code?: string; summary: string },
  run: { source: TestSource; durationMs: number },
): Promise<void> {
  try {
    await (await stores.forWriting()).recordTest(connectionId, lastTest, run);
  } catch {
    // Deleted meanwhile, or the store busy: the admin still sees the test's own outcome.
  }
}
