import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AgentConnection, AgentConnectionPut } from '../shared/common/agent/agent-api';
import { SealedValueSchema } from '../shared/common/connections/store-document';
import { type AppError, AppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { assertPrivateFile, openPrivateFolder } from '../shared/node/storage/private-folder';
import { SealedSecrets } from '../shared/node/storage/sealed-secrets';
import { openSqliteDatabase } from '../shared/node/storage/sqlite-database';
import type { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { AgentDataKey } from './agent-data-key';
import { migrateLegacyAgentFile } from './agent-store-migration';
import {
  agentStoreFileName,
  agentStoreSchema,
  type StoredAgentConnection,
  StoredAgentConnectionSchema,
} from './agent-store-schema';
import { AgentTables, type ConnectionRow } from './agent-store-tables';
import { legacyAgentStoreFileName } from './legacy-agent-file';

export { agentStoreFileName } from './agent-store-schema';

export interface AgentStoreOptions {
  now?: () => Date;
  /** How long to wait for agent-connections.json's lock before refusing to start (tests shorten it). */
  legacyLockWaitMs?: number;
}

/**
 * The agent's connections by domain, in agent-connections.db. Nothing is held in memory but the opened data key:
 * every read asks the database, so agents sharing a data folder see each other's changes, and every change is
 * one write transaction that reads the row it replaces, so concurrent PUTs (of this agent or another) each land
 * whole and none is lost.
 */
export class AgentStore {
  private constructor(
    private readonly tables: AgentTables,
    private readonly dataKey: AgentDataKey,
    private readonly now: () => Date,
    /** What happened on open that the admin should hear of: a damaged file set aside, a migration. */
    readonly notices: readonly AppError[],
  ) {}

  static async open(
    dataDir: string,
    vault: KeyFileVault,
    options: AgentStoreOptions = {},
  ): Promise<AgentStore> {
    const now = options.now ?? (() => new Date());
    const path = join(dataDir, agentStoreFileName);
    await openPrivateFolder(dataDir);
    await assertPrivateFile(path);
    await assertPrivateFile(join(dataDir, legacyAgentStoreFileName));
    const { db, recovered } = await openSqliteDatabase({
      path,
      steps: agentStoreSchema,
      label: 'Remote Agent store (agent-connections.db)',
      now,
    });
    const tables = new AgentTables(db, path);
    try {
      const dataKey = new AgentDataKey(tables, vault);
      const migrated = await migrateLegacyAgentFile({
        dataDir,
        tables,
        dataKey,
        vault,
        now,
        lockWaitMs: options.legacyLockWaitMs,
      });
      return new AgentStore(tables, dataKey, now, [...(recovered ? [recovered] : []), ...migrated]);
    } catch (error) {
      tables.close();
      throw error;
    }
  }

  list(): AgentConnection[] {
    return this.tables.read(() => this.tables.all()).map(view);
  }

  /** For /api/health, which is polled: one count, no rows read. */
  count(): number {
    return this.tables.read(() => this.tables.count());
  }

  get(domain: string): AgentConnection | null {
    const row = this.tables.read(() => this.tables.byDomain(domain));
    return row ? view(row) : null;
  }

  /** The connection with its secret opened, for TestConnection only. */
  async withSecret(domain: string): Promise<(StoredAgentConnection & { secret: string }) | null> {
    const row = this.tables.read(() => this.tables.byDomain(domain));
    if (!row?.secret) return null;
    const key = await this.dataKey.existing();
    if (!key) throw secretUnreadable(row.id);
    const sealed = SealedValueSchema.safeParse(parseJson(row.secret));
    if (!sealed.success) throw secretUnreadable(row.id);
    return { ...record(row), secret: new SealedSecrets(key).open(row.id, 'secret', sealed.data) };
  }

  /** Upsert. The row is read inside the transaction, so the id the secret is sealed to is the one saved. */
  async put(domain: string, body: AgentConnectionPut): Promise<AgentConnection> {
    const secrets = new SealedSecrets(await this.dataKey.obtain());
    const { secret, ...fields } = body;
    const saved = this.tables.write(() => {
      const existing = this.tables.byDomain(domain);
      const stored = StoredAgentConnectionSchema.parse({
        ...fields,
        id: existing?.id ?? randomUUID(),
        domain,
        updatedAt: this.now().toISOString(),
      });
      const row: ConnectionRow = {
        id: stored.id,
        domain,
        record: JSON.stringify(stored),
        secret: JSON.stringify(secrets.seal(stored.id, 'secret', secret)),
      };
      if (existing) this.tables.update(row);
      else this.tables.insert(row);
      return row;
    });
    return view(saved);
  }

  async delete(domain: string): Promise<boolean> {
    return this.tables.write(() => this.tables.remove(domain));
  }

  close(): void {
    this.tables.close();
  }
}

function record(row: ConnectionRow): StoredAgentConnection {
  // Validated when it was written; the file is the agent account's alone (0600).
  return JSON.parse(row.record) as StoredAgentConnection;
}

function view(row: ConnectionRow): AgentConnection {
  const { id: _id, ...connection } = record(row);
  return { ...connection, hasSecret: row.secret !== null };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function secretUnreadable(connectionId: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.storeSecretUnreadable,
    message: 'The stored secret of this connection could not be opened: it or the data key is damaged.',
    hint: 'Put the connection again with its password or secret.',
    detail: { connectionId, field: 'secret' },
  });
}
