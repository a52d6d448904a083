import type { RequestOf, ResponseOf } from '../../../shared/common/ipc/channel-map';
import type { IpcChannel } from '../../../shared/common/ipc/channel-names';
import type { EventPayloadOf } from '../../../shared/common/ipc/event-map';
import type { Result } from '../../../shared/common/result';
import { invoke } from '../bridge';

export interface RunningOperation<C extends IpcChannel> {
  /** Names this run to main later, e.g. as a save's `testedBy`. */
  operationId: string;
  result: Promise<Result<ResponseOf<C>>>;
  cancel(): void;
}

let counter = 0;

/**
 * Starts a slow request with its own operationId: progress events for that id reach `onProgress`, and
 * cancel() asks main to abort it (the request then ends with operation.cancelled).
 */
export function runOperation<C extends IpcChannel>(
  channel: C,
  request: Omit<RequestOf<C>, 'operationId'>,
  onProgress: (progress: EventPayloadOf<'progress'>) => void,
): RunningOperation<C> {
  counter += 1;
  const operationId = `${channel}-${Date.now()}-${counter}`;
  const off = window.connectionUtility?.on('progress', (event) => {
    if (event.operationId === operationId) onProgress(event);
  });
  const result = invoke(channel, { ...request, operationId } as RequestOf<C>).finally(() => off?.());
  return {
    operationId,
    result,
    cancel: () => void invoke('operation:cancel', { cancels: operationId }),
  };
}
