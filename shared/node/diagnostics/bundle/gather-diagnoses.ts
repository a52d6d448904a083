import type { ConnectionView } from '../../../common/connections/connection';
import type { DiagnoseResult } from '../../../common/diagnostics/diagnosis';
import { type AppError, AppErrorCode, AppFailure, isAppFailure } from '../../../common/errors/app-error';
import type { HandlerContext } from '../../ipc/router';
import type { LastDiagnoses } from '../last-diagnoses';
import type { BundledDiagnosis } from './bundle-entries';

export interface GatherOptions {
  connectionIds: readonly string[];
  agent: boolean;
  operationId: string | undefined;
  /** The stored connections, by id. */
  connections: ReadonlyMap<string, ConnectionView>;
  last: LastDiagnoses;
  diagnose: (
    request: { connectionId: string; agent: boolean; operationId?: string },
    context: HandlerContext,
  ) => Promise<DiagnoseResult>;
  context: HandlerContext;
}

/** Diagnoses at once: enough to overlap their network waits, few enough not to flood a domain controller. */
const parallel = 4;

const cancelled = (): AppError => ({
  code: AppErrorCode.operationCancelled,
  message: 'Export diagnostics was cancelled; no file was written.',
  hint: 'Export again when you are ready.',
});

function notFound(connectionId: string): AppError {
  return {
    code: AppErrorCode.connectionsNotFound,
    message: 'This connection no longer exists, and it was not diagnosed this session.',
    hint: 'Select the connections in the panel again and export once more.',
    detail: { connectionId },
  };
}

/**
 * The last diagnosis of each selected connection; those not diagnosed this session are diagnosed now (their
 * stages arrive as progress events under the export's operation id). A diagnosis that cannot run goes into the
 * bundle as its error; a cancellation ends the export.
 */
export async function gatherDiagnoses(options: GatherOptions): Promise<BundledDiagnosis[]> {
  const ids = [...new Set(options.connectionIds)];
  const { context, operationId } = options;
  const results: BundledDiagnosis[] = ids.map((connectionId) => {
    const connection = options.connections.get(connectionId) ?? null;
    const result = options.last.of(connectionId);
    return {
      connectionId,
      connection,
      result,
      diagnosedFor: result ? 'session' : null,
      error: result || connection ? null : notFound(connectionId),
    };
  });
  const pending = results.filter((item) => item.result === null && item.error === null);
  let done = 0;
  const report = (step: string) => {
    if (operationId) context.emit('progress', { operationId, step, done, total: pending.length + 1 });
  };
  const next = pending.values();
  const worker = async () => {
    for (let item = next.next(); !item.done; item = next.next()) {
      if (context.signal?.aborted) throw new AppFailure(cancelled());
      const target = item.value;
      report(`Diagnosing ${target.connection?.name ?? target.connectionId}`);
      try {
        target.result = await options.diagnose(
          {
            connectionId: target.connectionId,
            agent: options.agent,
            ...(operationId ? { operationId } : {}),
          },
          context,
        );
        target.diagnosedFor = 'bundle';
      } catch (error) {
        if (context.signal?.aborted) throw new AppFailure(cancelled());
        if (isAppFailure(error) && error.appError.code === AppErrorCode.operationCancelled) throw error;
        target.error = isAppFailure(error)
          ? error.appError
          : { code: AppErrorCode.internal, message: 'The diagnosis ended unexpectedly.' };
      }
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, pending.length) }, worker));
  if (context.signal?.aborted) throw new AppFailure(cancelled());
  report('Writing the bundle');
  return results;
}
