import type { SealedValue } from '../shared/common/connections/store-document';
import type { AppError } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { SealedSecrets } from '../shared/node/storage/sealed-secrets';
import type { KeyFileVault } from '../shared/node/vault/key-file-vault';
import type { AgentDataKey } from './agent-data-key';
import { StoredAgentConnectionSchema } from './agent-store-schema';
import type { AgentTables } from './agent-store-tables';
import { type LegacyAgentDocument, legacyAgentStoreFileName, withLegacyAgentFile } from './legacy-agent-file';

export interface MigrationContext {
  dataDir: string;
  tables: AgentTables;
  dataKey: AgentDataKey;
  vault: KeyFileVault;
  now: () => Date;
  lockWaitMs?: number;
}

/**
 * Moves agent-connections.json into the database once: all its connections in one transaction, together with
 * the `legacyImport` mark that makes it once (a second agent racing us, or a restart after a crash between the
 * commit and the rename, finds the mark and only renames the file). Returns what the agent should log.
 */
export async function migrateLegacyAgentFile(context: MigrationContext): Promise<AppError[]> {
  const notices = await withLegacyAgentFile(
    context.dataDir,
    context.now,
    async (legacy) => {
      if (legacy.recovered) return [legacy.recovered];
      const { tables, now } = context;
      const secrets = alreadyImported(tables)
        ? new Map<string, SealedValue>()
        : await secretsToStore(legacy.document, context);
      const imported = tables.write(() => {
        if (alreadyImported(tables)) return null;
        let count = 0;
        for (const connection of legacy.document.connections) {
          const record = StoredAgentConnectionSchema.parse(connection);
          const secret = secrets.get(record.id);
          const row = {
            id: record.id,
            domain: record.domain,
            record: JSON.stringify(record),
            secret: secret ? JSON.stringify(secret) : null,
          };
          // A domain the database already holds keeps its row: it was saved by this version, so it is newer.
          if (tables.insert(row)) count += 1;
        }
        const mark = { at: now().toISOString(), file: legacyAgentStoreFileName, connections: count };
        tables.metaIfAbsent('legacyImport', JSON.stringify(mark));
        return count;
      });
      const movedTo = await legacy.retire();
      return [migratedNotice(legacy.path, movedTo, imported)];
    },
    context.lockWaitMs,
  );
  return notices ?? [];
}

function alreadyImported(tables: AgentTables): boolean {
  return tables.read(() => tables.meta('legacyImport')) !== null;
}

/**
 * The file's sealed secrets as the database will hold them. Normally the database has no data key yet and takes
 * the file's, so the sealed values are copied as they are (nothing is opened). If it has another key already,
 * each secret is opened with the file's key and sealed again with the database's.
 */
async function secretsToStore(
  document: LegacyAgentDocument,
  { dataKey, vault }: MigrationContext,
): Promise<Map<string, SealedValue>> {
  const sealed = new Map(
    document.secrets.map(({ connectionId, nonce, ciphertext, tag }) => [
      connectionId,
      { nonce, ciphertext, tag },
    ]),
  );
  if (!document.dataKey || sealed.size === 0) return sealed;
  const kept = dataKey.adopt(document.dataKey);
  if (kept.sealed === document.dataKey.sealed) return sealed;
  const from = new SealedSecrets(await vault.open(document.dataKey.sealed));
  const to = new SealedSecrets(await dataKey.obtain());
  return new Map(
    [...sealed].map(([id, value]) => [id, to.seal(id, 'secret', from.open(id, 'secret', value))]),
  );
}

function migratedNotice(file: string, movedTo: string, imported: number | null): AppError {
  return {
    code: AppErrorCode.storeMigrated,
    message:
      imported === null
        ? `${legacyAgentStoreFileName} had already been moved into agent-connections.db; it was renamed.`
        : `${imported} connection(s) were moved from ${legacyAgentStoreFileName} into agent-connections.db.`,
    hint: `The old file is kept at ${movedTo}; delete it once you have checked the connections.`,
    detail: { file, movedTo, connections: imported ?? 0 },
  };
}
