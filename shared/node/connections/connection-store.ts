import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { z } from 'zod';
import {
  type Connection,
  type ConnectionApplication,
  ConnectionSchema,
  type ConnectionView,
} from '../../common/connections/connection';
import type { CredentialExpiry } from '../../common/connections/expiry';
import { type ParsedConnectionSaveRequest, secretNameOf } from '../../common/connections/save-request';
import { SealedValueSchema, StoredSecretSchema } from '../../common/connections/store-document';
import type { TestHistory, TestHistoryEntry, TestSource } from '../../common/connections/test-history';
import {
  type ConnectionsExport,
  ConnectionsImportEnvelopeSchema,
  exportFormat,
  type ImportReport,
} from '../../common/connections/transfer';
import { type AppError, AppFailure } from '../../common/errors/app-error';
import { describeIssues } from '../../common/errors/describe-issues';
import { AppErrorCode } from '../../common/errors/error-codes';
import { newAesKey } from '../crypto/aes-gcm';
import { SealedSecrets } from '../storage/sealed-secrets';
import { openSqliteDatabase, translateSqliteError, writeTransaction } from '../storage/sqlite-database';
import type { Vault } from '../vault/vault';
import { connectionStoreSchema, storeFileName } from './connection-store-schema';
import { expiriesAtSave, mergeExpiries } from './expiry-records';
import { type LegacyStore, openLegacyStore } from './legacy-json-store';
import { bindingDigest } from './secret-binding';
import { TestHistoryRows } from './test-history-rows';

export { storeFileName } from './connection-store-schema';

export interface ConnectionStoreOptions {
  /** The data folder; the store is `connections.db` inside it. */
  dir: string;
  vault: Vault;
  now?: () => Date;
}

export interface SaveOptions {
  /** Whether main's own evidence vouches for the saved record's new destination, so its secret may stay. */
  keepSecret?: (previous: Connection, next: Connection) => boolean;
  /** Main's own record of the application object and certificate key a Microsoft Online connection signs in with. */
  application?: ConnectionApplication;
}

export interface ConnectionList {
  connections: ConnectionView[];
  /** What this session's open found: a damaged store set aside (store.corrupt), or connections.json moved in. */
  notice: AppError | null;
}

const DataKeySchema = z.strictObject({
  vault: z.enum(['safeStorage', 'keyFile']),
  sealed: z.string().min(1),
});
type DataKeyRecord = z.output<typeof DataKeySchema>;
/** The sealed secret as a row holds it: the StoredSecret of connections.json without its connection id. */
const RowSecretSchema = StoredSecretSchema.omit({ connectionId: true });
type RowSecret = z.output<typeof RowSecretSchema>;

interface Row {
  connection: Connection;
  secret: RowSecret | null;
}

/** What the test history keeps beside the last test: how long the test took and where it ran from. */
export interface TestRun {
  source: TestSource;
  durationMs: number;
}

/**
 * The connections and their sealed secrets in SQLite, shared by the app, the CLI and any other process: every
 * change is one write transaction that reads the rows it changes inside it, so concurrent writers queue and
 * none loses another's update; readers are never blocked. The list is cached and reloaded when another
 * process has committed (PRAGMA data_version), so a change made by the CLI shows up in the window.
 */
export class ConnectionStore {
  private readonly statements: Statements;
  private readonly history: TestHistoryRows;
  /** The views, in creation order, as of data version `version`; null until first read or after a failure. */
  private cache: ViewCache | null = null;
  /** The unsealed data key and the sealed value it came from: unsealed at most once per process. */
  private key: { sealed: string; key: Buffer } | null = null;

  private constructor(
    private readonly db: DatabaseSync,
    private readonly path: string,
    private readonly vault: Vault,
    private notice: AppError | null,
    private readonly now: () => Date,
  ) {
    this.statements = prepareStatements(db);
    this.history = new TestHistoryRows(db);
  }

  static async open(options: ConnectionStoreOptions): Promise<ConnectionStore> {
    const now = options.now ?? (() => new Date());
    const path = join(options.dir, storeFileName);
    const { db, recovered } = await openSqliteDatabase({
      path,
      steps: connectionStoreSchema,
      label: 'connection store',
      now,
    });
    const store = new ConnectionStore(db, path, options.vault, recovered, now);
    try {
      const legacy = await openLegacyStore(options.dir, options.vault, now);
      // Secrets sealed before binding come only from connections.json: bound once, right after the move.
      if (legacy) await store.importLegacy(legacy);
      return store;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  list(): ConnectionList {
    const cache = this.current();
    return { connections: cache.views.slice(), notice: this.listNotice(cache.unreadable) };
  }

  get(id: string): ConnectionView {
    const cache = this.current();
    const view = cache.views[positionsOf(cache).get(id) ?? -1];
    if (!view) throw notFound(id);
    return view;
  }

  /**
   * Calls `onChange` (at most every `intervalMs`) when another process committed a change, e.g. the CLI
   * importing while the window is open. Returns the function that stops watching.
   */
  watch(onChange: () => void, intervalMs = 500): () => void {
    let seen = this.dataVersion();
    const timer = setInterval(() => {
      if (!this.db.isOpen) return;
      let version: number;
      try {
        version = this.dataVersion();
      } catch {
        // A busy or vanished file now is no reason to crash main: the next tick asks again.
        return;
      }
      if (version === seen) return;
      seen = version;
      onChange();
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The stored secret in plaintext, for the services that sign in; never for a response. */
  async readSecret(id: string): Promise<string | null> {
    return (await this.boundSecret(id)).secret;
  }

  /**
   * The record and its secret, read together (one row) so that the caller sends the secret only to the
   * destination of this very record. The secret is null when none is stored or it is no longer bound to the
   * record's destination (changed in the app, or by hand in the database): "password needed", never corruption.
   */
  async boundSecret(id: string): Promise<{ connection: Connection; secret: string | null }> {
    const { connection, secret } = this.readRow(id);
    if (!secret || !isBound(connection, secret)) return { connection, secret: null };
    const key = await this.dataKey();
    if (!key) return { connection, secret: null };
    // Read again with the key in hand: the row may have changed while the vault was unsealing it.
    const row = this.readRow(id);
    if (!row.secret || !isBound(row.connection, row.secret))
      return { connection: row.connection, secret: null };
    try {
      const name = secretNameOf[row.connection.kind];
      return {
        connection: row.connection,
        secret: new SealedSecrets(key).open(id, name, row.secret, row.secret.binding),
      };
    } catch {
      // Also a bound secret whose binding was removed by hand to pass it off as one from before binding.
      return { connection: row.connection, secret: null };
    }
  }

  /**
   * Saves a connection. A secret typed with the request is sealed to the record's destination; without one, the
   * stored secret stays only while the destination and trust are unchanged, or when `keepSecret` (main's own
   * evidence, e.g. a DC it discovered and verified itself) vouches for the new destination. Otherwise the
   * secret is dropped and the view says it is needed.
   */
  async save(request: ParsedConnectionSaveRequest, options: SaveOptions = {}): Promise<ConnectionView> {
    const {
      id: requestedId,
      password: _password,
      secret: _secret,
      ...fields
    } = request as ParsedConnectionSaveRequest & { password?: string; secret?: string };
    // The auth mode is part of the binding: a user password is not a client secret.
    const input = request.kind === 'activeDirectory' ? request.password : request.secret;
    const typed = input !== undefined && input !== '';
    // Unsealing is asynchronous (the OS keychain); the transaction below is not, so the key comes first.
    const key = typed ? await this.ensureDataKey() : await this.dataKey().catch((error: unknown) => error);
    return this.write((tx) => {
      const timestamp = this.now().toISOString();
      const existing = requestedId ? tx.readRow(requestedId) : null;
      if (existing && existing.connection.kind !== request.kind) {
        throw invalid(`a ${existing.connection.kind} connection cannot become ${request.kind}`, 'kind');
      }
      const previous = existing?.connection;
      const parsed = ConnectionSchema.parse({
        ...fields,
        id: previous?.id ?? randomUUID(),
        createdAt: previous?.createdAt ?? timestamp,
        updatedAt: timestamp,
        ...(previous?.lastTest ? { lastTest: previous.lastTest } : {}),
      });
      const expiries = expiriesAtSave(previous, parsed, typed || input === '', this.now());
      const application = options.application ?? applicationKept(previous, parsed);
      const record =
        expiries || application
          ? ConnectionSchema.parse({
              ...parsed,
              ...(expiries ? { expiries } : {}),
              ...(application ? { application } : {}),
            })
          : parsed;
      let secret: RowSecret | null = null;
      if (typed) secret = seal(usableKey(key), record, input);
      else if (existing && input === undefined)
        secret = rebound(existing, record, options.keepSecret?.(existing.connection, record) ?? false, key);
      tx.putRow(record, secret);
      return viewOf(record, secret !== null);
    });
  }

  /**
   * Remembers the outcome of a test for the panel's "last test" column and, given the run, appends it to the
   * connection's test history in the same transaction: the two never disagree about the latest test.
   */
  recordTest(
    id: string,
    lastTest: NonNullable<Connection['lastTest']>,
    run?: TestRun,
  ): Promise<ConnectionView> {
    return this.write((tx) => {
      const { connection, secret } = tx.readRow(id);
      const record = ConnectionSchema.parse({ ...connection, lastTest });
      tx.putRow(record, secret);
      if (run) this.history.append(id, { ...lastTest, ...run });
      return viewOf(record, secret !== null);
    });
  }

  /** Adds an outcome to the connection's test history only (its last test stays); the newest 50 are kept. */
  appendTest(id: string, entry: TestHistoryEntry): Promise<void> {
    return this.write(() => {
      if (!this.statements.exists.get(id)) throw notFound(id);
      this.history.append(id, entry);
    });
  }

  /** The connection's last test outcomes, oldest first. Not part of exports: history stays with this store. */
  testHistory(id: string): TestHistory {
    try {
      if (!this.statements.exists.get(id)) throw notFound(id);
      return { connectionId: id, entries: this.history.read(id) };
    } catch (error) {
      throw translateSqliteError(error, this.path, 'read');
    }
  }

  /**
   * Remembers when credentials of a connection expire, as a test or handshake just showed them, replacing what
   * was known of the same credentials. `applies` is asked inside the transaction: a record saved with other
   * settings meanwhile is left alone (null is returned).
   */
  recordCredentials(
    id: string,
    learned: readonly CredentialExpiry[],
    applies: (connection: Connection) => boolean = () => true,
  ): Promise<ConnectionView | null> {
    return this.write((tx) => {
      const { connection, secret } = tx.readRow(id);
      if (!learned.length || !applies(connection)) return null;
      const record = ConnectionSchema.parse({
        ...connection,
        expiries: mergeExpiries(connection.expiries, learned),
      });
      tx.putRow(record, secret);
      return viewOf(record, secret !== null);
    });
  }

  /**
   * "Trust this certificate": pins its SHA-256 fingerprint on an Active Directory connection. The caller has
   * made sure main itself saw that certificate at one of the connection's targets, so the password stays
   * bound (re-sealed to the new trust).
   */
  async pinCertificate(id: string, fingerprint: string): Promise<ConnectionView> {
    const key = await this.dataKey().catch((error: unknown) => error);
    return this.write((tx) => {
      const existing = tx.readRow(id);
      const { connection } = existing;
      if (connection.kind !== 'activeDirectory')
        throw invalid('only Active Directory connections pin certificates', 'kind');
      const pins = connection.trust.pinnedFingerprints;
      const record = ConnectionSchema.parse({
        ...connection,
        trust: {
          ...connection.trust,
          pinnedFingerprints: pins.includes(fingerprint) ? pins : [...pins, fingerprint],
        },
        updatedAt: this.now().toISOString(),
      });
      const secret = rebound(existing, record, true, key);
      tx.putRow(record, secret);
      return viewOf(record, secret !== null);
    });
  }

  /**
   * Remembers a Remote Agent's API key under its binding (scheme, host, port, CA: see agentBinding), sealed;
   * replaces an older one. Callers remember only keys the agent accepted.
   */
  async saveAgentKey(endpoint: string, apiKey: string): Promise<void> {
    const key = await this.ensureDataKey();
    const sealed = new SealedSecrets(key).seal(endpoint, 'agentApiKey', apiKey);
    await this.write(() => {
      this.statements.putAgentKey.run(endpoint, JSON.stringify(sealed));
    });
  }

  /** The bindings that have a remembered (so accepted) API key. */
  agentKeyBindings(): string[] {
    return (this.statements.agentKeyEndpoints.all() as { endpoint: string }[]).map((row) => row.endpoint);
  }

  async readAgentKey(endpoint: string): Promise<string | null> {
    const row = this.statements.agentKey.get(endpoint) as { sealed: string } | undefined;
    if (!row) return null;
    const sealed = SealedValueSchema.safeParse(parseJson(row.sealed));
    const key = await this.dataKey();
    if (!sealed.success || !key) return null;
    return new SealedSecrets(key).open(endpoint, 'agentApiKey', sealed.data);
  }

  /** Pins the certificate (SHA-256 fingerprint) of the HTTPS agent at `origin`, replacing an older pin. */
  async saveAgentPin(origin: string, fingerprint: string): Promise<void> {
    const key = await this.ensureDataKey();
    const sealed = new SealedSecrets(key).seal(origin, 'agentPin', fingerprint.toUpperCase());
    await this.write(() => {
      this.statements.putAgentPin.run(origin, JSON.stringify(sealed));
    });
  }

  /**
   * The fingerprint pinned for the agent at `origin`, or null. A pin that does not open (edited by hand, or
   * moved from another origin) counts as none: the admin is asked again, nothing else is trusted.
   */
  async readAgentPin(origin: string): Promise<string | null> {
    const row = this.statements.agentPin.get(origin) as { sealed: string } | undefined;
    if (!row) return null;
    const sealed = SealedValueSchema.safeParse(parseJson(row.sealed));
    const key = await this.dataKey();
    if (!sealed.success || !key) return null;
    try {
      return new SealedSecrets(key).open(origin, 'agentPin', sealed.data);
    } catch {
      return null;
    }
  }

  /**
   * The unfinished "Set up certificate sign-in" of a tenant domain (the JSON its service wrote), or null. One
   * that does not open (edited by hand, sealed under another data key) counts as none: it cannot be used.
   */
  async readSetupJournal(domain: string): Promise<string | null> {
    const row = this.db.prepare('SELECT sealed FROM setup_journals WHERE domain = ?').get(domain) as
      | { sealed: string }
      | undefined;
    if (!row) return null;
    const sealed = SealedValueSchema.safeParse(parseJson(row.sealed));
    const key = await this.dataKey();
    if (!sealed.success || !key) return null;
    try {
      return new SealedSecrets(key).open(`setup:${domain}`, 'setupJournal', sealed.data);
    } catch {
      return null;
    }
  }

  /** Keeps (replaces) the journal of a setup in progress, sealed: it holds the new application's private key. */
  async saveSetupJournal(domain: string, journal: string): Promise<void> {
    const key = await this.ensureDataKey();
    const sealed = new SealedSecrets(key).seal(`setup:${domain}`, 'setupJournal', journal);
    await this.write(() => {
      this.db
        .prepare(
          'INSERT INTO setup_journals (domain, sealed) VALUES (?, ?) ON CONFLICT (domain) DO UPDATE SET sealed = excluded.sealed',
        )
        .run(domain, JSON.stringify(sealed));
    });
  }

  /** Forgets the journal of a setup that finished. */
  async clearSetupJournal(domain: string): Promise<void> {
    await this.write(() => {
      this.db.prepare('DELETE FROM setup_journals WHERE domain = ?').run(domain);
    });
  }

  delete(id: string): Promise<{ id: string }> {
    return this.write((tx) => {
      // Existence only: a row that cannot be read must still be deletable.
      if (!this.statements.exists.get(id)) throw notFound(id);
      this.statements.deleteRow.run(id);
      tx.forget(id);
      return { id };
    });
  }

  exportDocument(ids?: readonly string[]): ConnectionsExport {
    const chosen = ids
      ? ids.map((id) => this.readRow(id).connection)
      : (this.statements.allRecords.all() as { id: string; record: string }[]).flatMap(({ id, record }) => {
          const checked = ConnectionSchema.safeParse(parseJson(record));
          return checked.success && checked.data.id === id ? [checked.data] : [];
        });
    return { format: exportFormat, version: 1, exportedAt: this.now().toISOString(), connections: chosen };
  }

  async import(input: unknown): Promise<ImportReport> {
    const envelope = ConnectionsImportEnvelopeSchema.safeParse(input);
    if (!envelope.success) {
      throw new AppFailure({
        code: AppErrorCode.inputInvalid,
        message: 'The file is not a Connection Utility export that this version can read.',
        hint: 'Choose a file made with Export... (connections.json exports), or check that it was not edited.',
        detail: { issues: describeIssues(envelope.error.issues) },
      });
    }
    return this.write((tx) => {
      const report: ImportReport = { imported: [], skipped: [] };
      envelope.data.connections.forEach((entry, index) => {
        const name =
          typeof (entry as { name?: unknown })?.name === 'string'
            ? (entry as { name: string }).name
            : undefined;
        const checked = ConnectionSchema.safeParse(entry);
        if (!checked.success) {
          report.skipped.push({
            index,
            ...(name ? { name } : {}),
            reasons: describeIssues(checked.error.issues),
          });
        } else if (this.statements.exists.get(checked.data.id)) {
          report.skipped.push({
            index,
            name: checked.data.name,
            reasons: ['a connection with this id already exists'],
          });
        } else {
          tx.putRow(checked.data, null);
          report.imported.push({ id: checked.data.id, name: checked.data.name });
        }
      });
      return report;
    });
  }

  /**
   * Moves connections.json into the database, once: the first process that finds it does it in one
   * transaction and renames the file; a process that finds it already done only releases the file.
   */
  private async importLegacy(legacy: LegacyStore): Promise<boolean> {
    const { document } = legacy;
    try {
      // Secrets sealed before binding (v1) are bound here, before they enter the database: the database never
      // holds an unbound secret, so none can be made to open for another destination (see isBound). If the
      // file's key cannot be opened here (another vault, a locked keychain), those secrets are left behind in
      // the kept file and read as "needed".
      const legacyKey =
        document.dataKey?.vault === this.vault.info.kind
          ? await this.vault.open(document.dataKey.sealed).catch(() => null)
          : null;
      const secrets = new Map<string, RowSecret>();
      for (const { connectionId, ...sealed } of document.secrets) {
        const connection = document.connections.find((c) => c.id === connectionId);
        if (!connection) continue;
        if (sealed.binding !== undefined) secrets.set(connectionId, sealed);
        else if (legacyKey) {
          try {
            const value = new SealedSecrets(legacyKey).open(
              connectionId,
              secretNameOf[connection.kind],
              sealed,
            );
            secrets.set(connectionId, seal(legacyKey, connection, value));
          } catch {
            // Not openable as v1 either: read as needed.
          }
        }
      }
      const moved = await this.write(() => {
        if (this.statements.meta.get('legacyImport')) return false;
        const keyRow = this.statements.meta.get('dataKey') as { value: string } | undefined;
        // A database that already seals with another key cannot take these sealed values as they are.
        const keepSecrets =
          !keyRow || (document.dataKey && keyRow.value === JSON.stringify(document.dataKey));
        if (!keyRow && document.dataKey)
          this.statements.putMeta.run('dataKey', JSON.stringify(document.dataKey));
        for (const connection of document.connections) {
          if (this.statements.exists.get(connection.id)) continue;
          this.statements.putRow.run(
            connection.id,
            JSON.stringify(connection),
            keepSecrets && secrets.has(connection.id) ? JSON.stringify(secrets.get(connection.id)) : null,
          );
        }
        if (keepSecrets) {
          for (const { endpoint, ...sealed } of document.agentKeys)
            this.statements.putAgentKey.run(endpoint, JSON.stringify(sealed));
        }
        this.statements.putMeta.run(
          'legacyImport',
          JSON.stringify({ at: this.now().toISOString(), connections: document.connections.length }),
        );
        return true;
      });
      this.cache = null;
      if (moved) {
        const notice = await legacy.retire();
        this.notice = legacy.recovered ?? this.notice ?? notice;
      } else await legacy.release();
      return moved;
    } catch (error) {
      await legacy.release();
      throw error;
    }
  }

  /** The data key, or null when no secret was ever sealed; vault.mismatch when another vault kind sealed it. */
  private async dataKey(): Promise<Buffer | null> {
    const row = this.statements.meta.get('dataKey') as { value: string } | undefined;
    if (!row) return null;
    const record = DataKeySchema.safeParse(parseJson(row.value));
    if (!record.success) return null;
    if (record.data.vault !== this.vault.info.kind) throw vaultMismatch(record.data, this.vault.info.kind);
    if (this.key?.sealed !== record.data.sealed)
      this.key = { sealed: record.data.sealed, key: await this.vault.open(record.data.sealed) };
    return this.key.key;
  }

  /** The data key, created with the first secret. Two processes creating one at once both end up with the winner's. */
  private async ensureDataKey(): Promise<Buffer> {
    const existing = await this.dataKey();
    if (existing) return existing;
    const key = newAesKey();
    const record: DataKeyRecord = { vault: this.vault.info.kind, sealed: await this.vault.seal(key) };
    await this.write(() => {
      if (!this.statements.meta.get('dataKey'))
        this.statements.putMeta.run('dataKey', JSON.stringify(record));
    });
    const stored = await this.dataKey();
    if (!stored) throw new Error('the data key was not stored');
    return stored;
  }

  /** Runs `work` in one write transaction; keeps the cached list in step with what it wrote. */
  private write<R>(work: (tx: Transaction) => R): Promise<R> {
    return Promise.resolve().then(() => {
      const changed = new Map<string, ConnectionView | null>();
      const tx: Transaction = {
        readRow: (id) => this.readRow(id),
        findRow: (id) => this.findRow(id),
        putRow: (record, secret) => {
          this.statements.putRow.run(
            record.id,
            JSON.stringify(record),
            secret ? JSON.stringify(secret) : null,
          );
          changed.set(record.id, viewOf(record, secret !== null));
        },
        forget: (id) => changed.set(id, null),
      };
      try {
        const result = writeTransaction(this.db, this.path, () => work(tx));
        this.applyToCache(changed);
        return result;
      } catch (error) {
        throw translateSqliteError(error, this.path, 'write');
      }
    });
  }

  /** Our own commits do not move our data_version, so the cache takes them over directly. */
  private applyToCache(changed: Map<string, ConnectionView | null>): void {
    const cache = this.cache;
    if (!cache) return;
    for (const [id, view] of changed) {
      if (cache.unreadable.includes(id)) cache.unreadable = cache.unreadable.filter((other) => other !== id);
      const at = positionsOf(cache).get(id);
      if (view && at !== undefined) cache.views[at] = view;
      else if (view) {
        positionsOf(cache).set(id, cache.views.length);
        cache.views.push(view);
      } else if (at !== undefined) {
        cache.views.splice(at, 1);
        cache.positions = null;
      }
    }
  }

  /** The cached views, reloaded when another process committed since they were read. */
  private current(): ViewCache {
    try {
      const version = this.dataVersion();
      if (this.cache?.version === version) return this.cache;
      const views: ConnectionView[] = [];
      const unreadable: string[] = [];
      // Records are validated on every write, so the list only parses them; the IPC layer validates what it
      // sends, and every use of a record with its secret validates that row again (readRow).
      for (const { id, record, hasSecret } of this.statements.listRows.all() as unknown as ListRow[]) {
        const view = parseJson(record) as (ConnectionView & Record<string, unknown>) | undefined;
        if (view?.id !== id || (view.kind !== 'activeDirectory' && view.kind !== 'microsoftOnline')) {
          unreadable.push(id);
          continue;
        }
        if (view.kind === 'activeDirectory') view.hasPassword = hasSecret === 1;
        else view.hasSecret = hasSecret === 1;
        views.push(view);
      }
      this.cache = { version, views, positions: null, unreadable };
      return this.cache;
    } catch (error) {
      throw translateSqliteError(error, this.path, 'read');
    }
  }

  private dataVersion(): number {
    return (this.statements.dataVersion.get() as { data_version: number }).data_version;
  }

  private listNotice(unreadable: readonly string[]): AppError | null {
    if (unreadable.length === 0) return this.notice;
    return {
      code: AppErrorCode.storeCorrupt,
      message: `${unreadable.length} connection(s) in the store could not be read and are not listed.`,
      hint: 'They were left untouched in the store. Restore a backup or an export, or re-create them.',
      detail: { file: this.path, ids: unreadable.slice(0, 20) },
    };
  }

  /** One row, validated, read now (not from the cache): what a write or a use of the secret works from. */
  private readRow(id: string): Row {
    const row = this.findRow(id);
    if (!row) throw notFound(id);
    return row;
  }

  private findRow(id: string): Row | null {
    const raw = this.statements.row.get(id) as { record: string; secret: string | null } | undefined;
    if (!raw) return null;
    const connection = ConnectionSchema.safeParse(parseJson(raw.record));
    if (!connection.success || connection.data.id !== id) {
      throw new AppFailure({
        code: AppErrorCode.storeCorrupt,
        message: 'This connection could not be read from the store.',
        hint: 'Delete it and re-create it, or restore it from an export.',
        detail: {
          file: this.path,
          id,
          reasons: connection.success ? ['id mismatch'] : describeIssues(connection.error.issues).slice(0, 5),
        },
      });
    }
    // A secret that does not parse is one that cannot be used: "password needed".
    const secret = raw.secret === null ? null : RowSecretSchema.safeParse(parseJson(raw.secret));
    return { connection: connection.data, secret: secret?.success ? secret.data : null };
  }
}

/** The views in creation order as of data version `version`; `positions` (id → index) is built on first need. */
interface ViewCache {
  version: number;
  views: ConnectionView[];
  positions: Map<string, number> | null;
  unreadable: string[];
}

function positionsOf(cache: ViewCache): Map<string, number> {
  cache.positions ??= new Map(cache.views.map((view, index) => [view.id, index]));
  return cache.positions;
}

interface Transaction {
  readRow(id: string): Row;
  findRow(id: string): Row | null;
  putRow(record: Connection, secret: RowSecret | null): void;
  forget(id: string): void;
}

interface ListRow {
  id: string;
  record: string;
  hasSecret: number;
}

interface Statements {
  listRows: StatementSync;
  allRecords: StatementSync;
  row: StatementSync;
  exists: StatementSync;
  putRow: StatementSync;
  deleteRow: StatementSync;
  agentKey: StatementSync;
  agentKeyEndpoints: StatementSync;
  putAgentKey: StatementSync;
  agentPin: StatementSync;
  putAgentPin: StatementSync;
  meta: StatementSync;
  putMeta: StatementSync;
  dataVersion: StatementSync;
}

function prepareStatements(db: DatabaseSync): Statements {
  return {
    listRows: db.prepare(
      'SELECT id, record, secret IS NOT NULL AS hasSecret FROM connections ORDER BY rowid',
    ),
    allRecords: db.prepare('SELECT id, record FROM connections ORDER BY rowid'),
    row: db.prepare('SELECT record, secret FROM connections WHERE id = ?'),
    exists: db.prepare('SELECT 1 AS found FROM connections WHERE id = ?'),
    // An upsert keeps the rowid, so a saved connection keeps its place in the list.
    putRow: db.prepare(
      'INSERT INTO connections (id, record, secret) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record, secret = excluded.secret',
    ),
    deleteRow: db.prepare('DELETE FROM connections WHERE id = ?'),
    agentKey: db.prepare('SELECT sealed FROM agent_keys WHERE endpoint = ?'),
    agentKeyEndpoints: db.prepare('SELECT endpoint FROM agent_keys ORDER BY rowid'),
    putAgentKey: db.prepare(
      'INSERT INTO agent_keys (endpoint, sealed) VALUES (?, ?) ON CONFLICT (endpoint) DO UPDATE SET sealed = excluded.sealed',
    ),
    agentPin: db.prepare('SELECT sealed FROM agent_pins WHERE origin = ?'),
    putAgentPin: db.prepare(
      'INSERT INTO agent_pins (origin, sealed) VALUES (?, ?) ON CONFLICT (origin) DO UPDATE SET sealed = excluded.sealed',
    ),
    meta: db.prepare('SELECT value FROM meta WHERE name = ?'),
    putMeta: db.prepare(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ),
    dataVersion: db.prepare('PRAGMA data_version'),
  };
}

/** Seals `value` as the record's secret, bound to the record's destination. */
function seal(key: Buffer, record: Connection, value: string): RowSecret {
  const binding = bindingDigest(record);
  return { ...new SealedSecrets(key).seal(record.id, secretNameOf[record.kind], value, binding), binding };
}

/**
 * The previous row's secret under the next record: untouched when the binding is the same, re-sealed when
 * `keep` vouches for the new destination, else dropped. `key` is the
 * data key, null, or why it could not be had (thrown only if it is needed).
 */
function rebound(previous: Row, next: Connection, keep: boolean, key: unknown): RowSecret | null {
  const sealed = previous.secret;
  if (!sealed) return null;
  if (sealed.binding === bindingDigest(next)) return sealed;
  if (!keep || !isBound(previous.connection, sealed)) return null;
  const dataKey = usableKey(key);
  let value: string;
  try {
    value = new SealedSecrets(dataKey).open(
      previous.connection.id,
      secretNameOf[previous.connection.kind],
      sealed,
      sealed.binding,
    );
  } catch {
    return null;
  }
  return seal(dataKey, next, value);
}

function usableKey(key: unknown): Buffer {
  if (Buffer.isBuffer(key)) return key;
  if (key instanceof Error) throw key;
  // No data key although a secret is stored: the store lost its key; the secret cannot be opened.
  throw new AppFailure({
    code: AppErrorCode.storeSecretUnreadable,
    message: 'A stored secret could not be opened: the store has no data key.',
    hint: 'Re-enter the password or secret of this connection and save it.',
  });
}

/**
 * What a save keeps of main's record of the application (no save request carries one): its object id while the
 * client id is the same, its certificate's keyId while the certificate is too. Renew would otherwise modify an
 * application, or remove a key, that the connection no longer names.
 */
function applicationKept(
  previous: Connection | undefined,
  next: Connection,
): ConnectionApplication | undefined {
  if (previous?.kind !== 'microsoftOnline' || next.kind !== 'microsoftOnline' || !previous.application)
    return undefined;
  if (previous.clientId?.toLowerCase() !== next.clientId?.toLowerCase()) return undefined;
  const { objectId, keyId } = previous.application;
  return keyId && previous.certificatePem === next.certificatePem ? { objectId, keyId } : { objectId };
}

function viewOf(connection: Connection, stored: boolean): ConnectionView {
  return connection.kind === 'activeDirectory'
    ? { ...connection, hasPassword: stored }
    : { ...connection, hasSecret: stored };
}

/**
 * Whether a sealed secret may be used with this record: bound to its destination. A secret without a binding
 * (sealed before binding, or its binding removed by hand) is never used: it would open for any destination.
 */
function isBound(connection: Connection, sealed: RowSecret): sealed is RowSecret & { binding: string } {
  return sealed.binding !== undefined && sealed.binding === bindingDigest(connection);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function notFound(id: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.connectionsNotFound,
    message: 'That connection does not exist (any more).',
    hint: 'Refresh the connections list.',
    detail: { id },
  });
}

function invalid(message: string, field: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.inputInvalid,
    message: `The connection was not saved: ${message}.`,
    detail: { issues: [`${field}: ${message}`] },
  });
}

function vaultMismatch(record: DataKeyRecord, thisProgram: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.vaultMismatch,
    message:
      record.vault === 'safeStorage'
        ? 'The stored secrets were sealed by the desktop app with the OS keychain, which this program cannot use.'
        : 'The stored secrets were sealed with a key file, which the desktop app does not use.',
    hint: 'Use the program that saved them, or re-enter the password or secret here.',
    detail: { sealedBy: record.vault, thisProgram },
  });
}
