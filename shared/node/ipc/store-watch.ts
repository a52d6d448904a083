import type { ConnectionStore } from '../connections/connection-store';
import type { ConnectionStoreProvider } from '../connections/connection-store-provider';

export interface StoreWatchOptions {
  /** Called when another process (the CLI, a script) committed a change to the store. */
  onChange: () => void;
  /** Called when onChange throws: a failing listener must not take down the host's timer. */
  onError?: (error: unknown) => void;
  intervalMs?: number;
}

/**
 * The provider the window's hosts (electron/main.ts, the development host) hand to the handlers: the same
 * store, watched from the moment it is first opened. The store opens lazily and a failed open is retried, so
 * whichever store the provider hands out is the one watched, once; close() stops the watch first.
 */
export function watchConnectionStores(
  provider: ConnectionStoreProvider,
  { onChange, onError = () => {}, intervalMs }: StoreWatchOptions,
): ConnectionStoreProvider {
  let watched: { store: ConnectionStore; stop: () => void } | null = null;
  const notify = () => {
    try {
      onChange();
    } catch (error) {
      onError(error);
    }
  };
  const watch = (store: ConnectionStore) => {
    if (watched?.store !== store) {
      watched?.stop();
      watched = { store, stop: store.watch(notify, intervalMs) };
    }
    return store;
  };
  return {
    forReading: () => provider.forReading().then(watch),
    forWriting: () => provider.forWriting().then(watch),
    async close() {
      watched?.stop();
      watched = null;
      await provider.close();
    },
  };
}
