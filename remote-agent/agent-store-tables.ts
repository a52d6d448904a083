import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';
import { AppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { translateSqliteError, writeTransaction } from '../shared/node/storage/sqlite-database';

/** One row of `connections`: `record` is a StoredAgentConnection as JSON, `secret` a SealedValue as JSON. */
export interface ConnectionRow {
  id: string;
  domain: string;
  record: string;
  secret: string | null;
}

export type MetaName = 'dataKey' | 'legacyImport';

/**
 * The agent store's statements, prepared once. Plain reads and writes: the caller decides what runs inside one
 * `write` (one transaction that holds the write lock, so what it reads cannot change before it commits).
 */
export class AgentTables {
  private readonly statements: {
    count: StatementSync;
    all: StatementSync;
    byDomain: StatementSync;
    insert: StatementSync;
    update: StatementSync;
    remove: StatementSync;
    meta: StatementSync;
    insertMeta: StatementSync;
  };

  constructor(
    private readonly db: DatabaseSync,
    readonly path: string,
  ) {
    this.statements = {
      count: db.prepare('SELECT count(*) AS n FROM connections'),
      // rowid: the order the connections were first saved in, as the JSON store kept them.
      all: db.prepare('SELECT id, domain, record, secret FROM connections ORDER BY rowid'),
      byDomain: db.prepare('SELECT id, domain, record, secret FROM connections WHERE domain = ?'),
      // A row whose id or domain is taken is left alone: the caller read inside the transaction and decided.
      insert: db.prepare(
        'INSERT INTO connections (id, domain, record, secret) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      update: db.prepare('UPDATE connections SET record = ?, secret = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM connections WHERE domain = ?'),
      meta: db.prepare('SELECT value FROM meta WHERE name = ?'),
      // Insert-or-ignore: when two processes race, the first value stays and both read it back.
      insertMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    };
  }

  /** One transaction: all of `work` is saved, or (it threw) none of it. */
  write<R>(work: () => R): R {
    return writeTransaction(this.db, this.path, work);
  }

  /** SQLite's failures as the store's typed errors. WAL: a read never waits for a writer. */
  read<R>(work: () => R): R {
    try {
      return work();
    } catch (error) {
      throw translateSqliteError(error, this.path, 'read');
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  count(): number {
    return Number(this.statements.count.get()?.n ?? 0);
  }

  all(): ConnectionRow[] {
    return this.statements.all.all().map((row) => this.connectionRow(row));
  }

  byDomain(domain: string): ConnectionRow | null {
    const row = this.statements.byDomain.get(domain);
    return row ? this.connectionRow(row) : null;
  }

  /** False when the id or the domain was already there. */
  insert(row: ConnectionRow): boolean {
    return this.statements.insert.run(row.id, row.domain, row.record, row.secret).changes > 0;
  }

  update(row: ConnectionRow): void {
    this.statements.update.run(row.record, row.secret, row.id);
  }

  remove(domain: string): boolean {
    return this.statements.remove.run(domain).changes > 0;
  }

  meta(name: MetaName): string | null {
    const value = this.statements.meta.get(name)?.value;
    return typeof value === 'string' ? value : null;
  }

  /** A row as node:sqlite returns it, held to the STRICT table's TEXT columns. */
  private connectionRow({ id, domain, record, secret }: Record<string, SQLOutputValue>): ConnectionRow {
    if (
      typeof id === 'string' &&
      typeof domain === 'string' &&
      typeof record === 'string' &&
      (secret === null || typeof secret === 'string')
    )
      return { id, domain, record, secret };
    throw new AppFailure({
      code: AppErrorCode.storeCorrupt,
      message: `${this.path} holds a connection row of the wrong shape.`,
      hint: 'Restore agent-connections.db from a backup, or delete the connection and put it again.',
      detail: { file: this.path },
    });
  }

  /** Sets `name` unless it is set, and returns what it holds afterwards (ours or the value that was first). */
  metaIfAbsent(name: MetaName, value: string): string {
    this.statements.insertMeta.run(name, value);
    return this.meta(name) ?? value;
  }
}
