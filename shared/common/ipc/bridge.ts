import type { Result } from '../result';
import type { RequestOf, ResponseOf } from './channel-map';
import type { IpcChannel, IpcEvent } from './channel-names';
import type { EventPayloadOf } from './event-map';

/** The name under which the preload (or the development host) installs the bridge on `window`. */
export const bridgeGlobalName = 'connectionUtility';

/** Everything the renderer can do: exactly these two functions. */
export interface ConnectionUtilityBridge {
  invoke<C extends IpcChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /** Returns the function that removes the listener. */
  on<E extends IpcEvent>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
}
