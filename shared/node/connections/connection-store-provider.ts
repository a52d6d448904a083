import { join } from 'node:path';
import { assertPrivateFile, openPrivateFolder } from '../storage/private-folder';
import type { Vault } from '../vault/vault';
import { ConnectionStore, storeFileName } from './connection-store';

export interface ConnectionStoreProvider {
  /** A store to read from; in a read-only host it takes no lock. */
  forReading(): Promise<ConnectionStore>;
  /** The writer; fails with store.locked while another process writes. */
  forWriting(): Promise<ConnectionStore>;
  close(): Promise<void>;
}

export interface ProviderOptions {
  dir: string;
  vault: () => Promise<Vault>;
  /** The app writes all session long; the CLI reads without a lock unless a command writes. */
  readersTakeLock: boolean;
  now?: () => Date;
}

/**
 * Opens the store on first use and keeps it. A failed open (store.locked, a damaged key file, a store file others
 * can read) is not kept, so the next request tries again once the admin has fixed the cause.
 */
export function createConnectionStoreProvider(options: ProviderOptions): ConnectionStoreProvider {
  let writer: Promise<ConnectionStore> | null = null;
  let reader: Promise<ConnectionStore> | null = null;

  const open = async (readOnly: boolean) => {
    // Every host opens the data folder here, so here it is closed to other users, and a store file they can
    // read is refused before its secrets are unsealed.
    await openPrivateFolder(options.dir);
    await assertPrivateFile(join(options.dir, storeFileName));
    return ConnectionStore.open({
      dir: options.dir,
      vault: await options.vault(),
      readOnly,
      now: options.now,
    });
  };

  const forWriting = () => {
    writer ??= open(false).catch((error: unknown) => {
      writer = null;
      throw error;
    });
    return writer;
  };

  return {
    forWriting,
    forReading() {
      if (options.readersTakeLock || writer) return forWriting();
      // A reader sees the file as it is now: open afresh each time rather than caching a stale copy.
      reader = open(true);
      return reader;
    },
    async close() {
      const open = await writer?.catch(() => null);
      await open?.close();
      writer = null;
      reader = null;
    },
  };
}
