import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ConnectionStoreDocument,
  ConnectionStoreDocumentSchema,
} from '../../common/connections/store-document';
import type { AppError } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { packageVersion } from '../app/package-version';
import { AtomicJsonFile } from '../storage/atomic-json-file';
import type { Vault } from '../vault/vault';

/** Where versions before the SQLite store kept the connections: read once, then renamed. */
export const legacyStoreFileName = 'connections.json';

export interface LegacyStore {
  document: ConnectionStoreDocument;
  /** Set when the JSON file was damaged (it was set aside, as those versions did). */
  recovered: AppError | null;
  /** Renames the file to `connections.json.migrated-<time>` once its contents are in the database. */
  retire(): Promise<AppError>;
  /** Releases the file's lock without renaming it (the migration failed or another process did it). */
  release(): Promise<void>;
}

/**
 * Opens connections.json as the JSON store's writer did (same versions, integrity tag, lock), so a version of
 * the app that still runs and writes it makes the migration wait (store.locked) instead of forking the data.
 * Null when there is no such file.
 */
export async function openLegacyStore(
  dir: string,
  vault: Vault,
  now: () => Date,
): Promise<LegacyStore | null> {
  const path = join(dir, legacyStoreFileName);
  if (!existsSync(path)) return null;
  const file = await AtomicJsonFile.openForWriting({
    path,
    // Named for the admin: the file the previous versions kept connections in.
    label: `earlier versions' connection store (${legacyStoreFileName})`,
    version: 2,
    migrations: { 1: (document: Record<string, unknown>) => document },
    schema: ConnectionStoreDocumentSchema,
    empty: (): ConnectionStoreDocument => ({ connections: [], secrets: [], agentKeys: [] }),
    integrity: { keyFor: (document) => dataKeyOf(document, vault), context: packageVersion },
    now,
  });
  try {
    const { value, recovered } = await file.read();
    return {
      document: value,
      recovered: recovered ?? null,
      async retire() {
        const movedTo = `${path}.migrated-${now().toISOString().replace(/[:.]/g, '-')}`;
        // A damaged file was already set aside by read(); nothing is left to rename.
        if (existsSync(path)) await rename(path, movedTo);
        await file.close();
        return {
          code: AppErrorCode.storeMigrated,
          message: `Your ${value.connections.length} connection(s) were moved into the new connection store.`,
          hint: `The old file is kept at ${movedTo}; delete it once you have checked your connections.`,
          detail: { file: path, movedTo, connections: value.connections.length },
        };
      },
      release: () => file.close(),
    };
  } catch (error) {
    await file.close();
    throw error;
  }
}

async function dataKeyOf(document: Record<string, unknown>, vault: Vault): Promise<Buffer | null> {
  const record = document.dataKey as { vault?: unknown; sealed?: unknown } | undefined;
  if (typeof record?.sealed !== 'string' || record.vault !== vault.info.kind) return null;
  return vault.open(record.sealed);
}
