import { join } from 'node:path';
import { assertPrivateFile, openPrivateFolder } from '../storage/private-folder';
import type { Vault } from '../vault/vault';
import { ConnectionStore, storeFileName } from './connection-store';
import { legacyStoreFileName } from './legacy-json-store';

export interface ConnectionStoreProvider {
  /** The store, opened on first use and kept: every process reads and writes it concurrently. */
  forReading(): Promise<ConnectionStore>;
  forWriting(): Promise<ConnectionStore>;
  close(): Promise<void>;
}

export interface ProviderOptions {
  dir: string;
  vault: () => Promise<Vault>;
  now?: () => Date;
}

/**
 * Opens the store on first use and keeps it. A failed open (a damaged key file, a store file others can read,
 * an old version still writing connections.json) is not kept, so the next request tries again once the admin
 * has fixed the cause.
 */
export function createConnectionStoreProvider(options: ProviderOptions): ConnectionStoreProvider {
  let store: Promise<ConnectionStore> | null = null;

  const open = async () => {
    // Every host opens the data folder here, so here it is closed to other users, and a store file they can
    // read is refused before its secrets are unsealed.
    await openPrivateFolder(options.dir);
    for (const name of [storeFileName, `${storeFileName}-wal`, legacyStoreFileName])
      await assertPrivateFile(join(options.dir, name));
    return ConnectionStore.open({ dir: options.dir, vault: await options.vault(), now: options.now });
  };

  const get = () => {
    store ??= open().catch((error: unknown) => {
      store = null;
      throw error;
    });
    return store;
  };

  return {
    forReading: get,
    forWriting: get,
    async close() {
      const opened = await store?.catch(() => null);
      await opened?.close();
      store = null;
    },
  };
}
