import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type Connection, ConnectionSchema, type ConnectionView } from '../../common/connections/connection';
import { type ParsedConnectionSaveRequest, secretNameOf } from '../../common/connections/save-request';
import {
  type ConnectionStoreDocument,
  ConnectionStoreDocumentSchema,
  type StoredSecret,
} from '../../common/connections/store-document';
import {
  type ConnectionsExport,
  ConnectionsImportEnvelopeSchema,
  exportFormat,
  type ImportReport,
} from '../../common/connections/transfer';
import { type AppError, AppFailure } from '../../common/errors/app-error';
import { describeIssues } from '../../common/errors/describe-issues';
import { AppErrorCode } from '../../common/errors/error-codes';
import { packageVersion } from '../app/package-version';
import { newAesKey } from '../crypto/aes-gcm';
import { AtomicJsonFile } from '../storage/atomic-json-file';
import { SealedSecrets } from '../storage/sealed-secrets';
import type { Vault } from '../vault/vault';
import { bindingDigest } from './secret-binding';

export const storeFileName = 'connections.json';

type DataKeyRecord = NonNullable<ConnectionStoreDocument['dataKey']>;
// 2: secrets carry their binding. Version 1 documents read as they are (their secrets are bound on the first
// writer's open); a build that knows only version 1 says the store is newer instead of setting it aside.
const storeVersion = 2;

export interface ConnectionStoreOptions {
  /** The data folder; the store is `connections.json` inside it. */
  dir: string;
  vault: Vault;
  /** Readers (CLI list/export) take no lock and cannot write. */
  readOnly?: boolean;
  now?: () => Date;
}

export interface SaveOptions {
  /** Whether main's own evidence vouches for the saved record's new destination, so its secret may stay. */
  keepSecret?: (previous: Connection, next: Connection) => boolean;
}

export interface ConnectionList {
  connections: ConnectionView[];
  /** Why the store started empty this session (store.corrupt), until the app restarts. */
  notice: AppError | null;
}

/**
 * The connections and their sealed secrets. Every change is applied to a copy, written atomically, and only
 * then becomes the current state, so a failed write changes nothing in memory or on disk.
 */
export class ConnectionStore {
  private writes: Promise<unknown> = Promise.resolve();
  /** connection id → its sealed secret, rebuilt whenever the document changes. */
  private secretIndex: Map<string, StoredSecret>;

  private constructor(
    private readonly file: AtomicJsonFile<ConnectionStoreDocument>,
    private readonly vault: Vault,
    private document: ConnectionStoreDocument,
    private readonly notice: AppError | null,
    private readonly now: () => Date,
    /** The unsealed data key, shared with the file's integrity check: unsealed at most once per process. */
    private readonly unsealed: UnsealedKey,
    /**
     * This program wrote the file (integrity tag) and keeps every binding in step with its record, so the list
     * need not hash 10,000 destinations to say which secrets are bound. A hand-edited file is checked per record.
     * Using a secret always checks its record's binding.
     */
    private readonly trust: { bindingsAttested: boolean },
  ) {
    this.secretIndex = indexSecrets(document.secrets);
  }

  static async open(options: ConnectionStoreOptions): Promise<ConnectionStore> {
    const now = options.now ?? (() => new Date());
    const unsealed = new UnsealedKey(options.vault);
    const fileOptions = {
      path: join(options.dir, storeFileName),
      version: storeVersion,
      migrations: { 1: (document: Record<string, unknown>) => document },
      schema: ConnectionStoreDocumentSchema,
      empty: (): ConnectionStoreDocument => ({ connections: [], secrets: [], agentKeys: [] }),
      // Each change validates the record it writes; re-checking 10,000 unchanged ones would double a save.
      validateWrites: false,
      // …and a document this program wrote (tag keyed by its data key) is not re-validated on load either.
      integrity: {
        keyFor: (document: Record<string, unknown>) => unsealed.forDocument(document),
        context: packageVersion,
      },
      now,
    };
    const file = options.readOnly
      ? AtomicJsonFile.forReading(fileOptions)
      : await AtomicJsonFile.openForWriting(fileOptions);
    try {
      const { value, recovered, attested } = await file.read();
      const store = new ConnectionStore(file, options.vault, value, recovered ?? null, now, unsealed, {
        bindingsAttested: attested === true,
      });
      if (!options.readOnly) await store.upgradeUnboundSecrets();
      return store;
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.writes.catch(() => {});
    await this.file.close();
  }

  list(): ConnectionList {
    return {
      connections: this.document.connections.map((connection) => this.view(connection)),
      notice: this.notice,
    };
  }

  get(id: string): ConnectionView {
    return this.view(this.find(id));
  }

  /** The stored secret in plaintext, for the services that sign in; never for a response. */
  async readSecret(id: string): Promise<string | null> {
    return (await this.boundSecret(id)).secret;
  }

  /**
   * The record and its secret, read together so that the caller sends the secret only to the destination of
   * this very record. The secret is null when none is stored or it is no longer bound to the record's
   * destination (it was changed, in the app or by hand in the file): "password needed", never corruption.
   */
  async boundSecret(id: string): Promise<{ connection: Connection; secret: string | null }> {
    const connection = this.find(id);
    const sealed = this.secretIndex.get(id);
    if (!sealed || !isBound(connection, sealed)) return { connection, secret: null };
    const { key } = await this.dataKeyFor(this.document);
    const name = secretNameOf[connection.kind];
    try {
      return { connection, secret: new SealedSecrets(key).open(id, name, sealed, sealed.binding) };
    } catch {
      // Also a bound secret whose binding was removed by hand to pass it off as one from before binding.
      return { connection, secret: null };
    }
  }

  /**
   * Saves a connection. A secret typed with the request is sealed to the record's destination; without one, the
   * stored secret stays only while the destination and trust are unchanged, or when `keepSecret` (main's own
   * evidence, e.g. a DC it discovered and verified itself) vouches for the new destination. Otherwise the
   * secret is dropped and the view says it is needed.
   */
  save(request: ParsedConnectionSaveRequest, options: SaveOptions = {}): Promise<ConnectionView> {
    return this.change(async (document) => {
      const timestamp = this.now().toISOString();
      const {
        id: requestedId,
        password: _password,
        secret: _secret,
        ...fields
      } = request as ParsedConnectionSaveRequest & {
        password?: string;
        secret?: string;
      };
      const existing = requestedId ? this.find(requestedId) : null;
      if (existing && existing.kind !== request.kind) {
        throw invalid(`a ${existing.kind} connection cannot become ${request.kind}`, 'kind');
      }
      const id = existing?.id ?? randomUUID();
      const record = ConnectionSchema.parse({
        ...fields,
        id,
        createdAt: existing?.createdAt ?? timestamp,
        updatedAt: timestamp,
        ...(existing?.lastTest ? { lastTest: existing.lastTest } : {}),
      });
      const connections = existing
        ? document.connections.map((connection) => (connection.id === id ? record : connection))
        : [...document.connections, record];

      // The auth mode is part of the binding: a user password is not a client secret.
      const input = request.kind === 'activeDirectory' ? request.password : request.secret;
      let next: ConnectionStoreDocument = { ...document, connections };
      if (input !== undefined && input !== '') {
        next = await this.withSecret(next, record, input);
      } else if (existing && input === undefined) {
        next = await this.rebound(next, existing, record, options.keepSecret?.(existing, record) ?? false);
      } else {
        next = { ...next, secrets: next.secrets.filter((entry) => entry.connectionId !== id) };
      }
      return { next, result: withSecretFlag(record, storedAndBound(next, record)) };
    });
  }

  /** Remembers the outcome of a test for the panel's "last test" column. */
  recordTest(id: string, lastTest: NonNullable<Connection['lastTest']>): Promise<ConnectionView> {
    return this.replaceRecord(id, (connection) => ({ ...connection, lastTest }));
  }

  /**
   * "Trust this certificate": pins its SHA-256 fingerprint on an Active Directory connection. The caller has
   * made sure main itself saw that certificate at one of the connection's targets, so the password stays
   * bound (re-sealed to the new trust).
   */
  pinCertificate(id: string, fingerprint: string): Promise<ConnectionView> {
    return this.change(async (document) => {
      const connection = this.find(id);
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
      const connections = document.connections.map((c) => (c.id === id ? record : c));
      const next = await this.rebound({ ...document, connections }, connection, record, true);
      return { next, result: withSecretFlag(record, storedAndBound(next, record)) };
    });
  }

  private replaceRecord(id: string, update: (connection: Connection) => Connection): Promise<ConnectionView> {
    return this.change(async (document) => {
      const record = ConnectionSchema.parse(update(this.find(id)));
      return {
        next: { ...document, connections: document.connections.map((c) => (c.id === id ? record : c)) },
        result: this.view(record),
      };
    });
  }

  /** Seals `value` as the record's secret, bound to the record's destination. */
  private async withSecret(
    document: ConnectionStoreDocument,
    record: Connection,
    value: string,
  ): Promise<ConnectionStoreDocument> {
    const { key, record: dataKey } = await this.dataKeyFor(document);
    const binding = bindingDigest(record);
    const sealed = new SealedSecrets(key).seal(record.id, secretNameOf[record.kind], value, binding);
    return {
      ...document,
      dataKey,
      secrets: [
        ...document.secrets.filter((entry) => entry.connectionId !== record.id),
        { connectionId: record.id, ...sealed, binding },
      ],
    };
  }

  /**
   * The previous record's secret under the next record: untouched when the binding is the same, re-sealed
   * when `keep` vouches for the new destination (or an unbound v1 secret is upgraded), else dropped.
   */
  private async rebound(
    document: ConnectionStoreDocument,
    previous: Connection,
    next: Connection,
    keep: boolean,
  ): Promise<ConnectionStoreDocument> {
    const sealed = this.secretIndex.get(previous.id);
    if (!sealed || sealed.binding === bindingDigest(next)) return document;
    const legacyUnchanged = sealed.binding === undefined && bindingDigest(previous) === bindingDigest(next);
    if (keep || legacyUnchanged) {
      const { secret } = await this.boundSecret(previous.id);
      if (secret !== null) return this.withSecret(document, next, secret);
    }
    return { ...document, secrets: document.secrets.filter((entry) => entry.connectionId !== previous.id) };
  }

  /** Secrets sealed before they were bound (v1) get their binding, once, when a writer opens the store. */
  private async upgradeUnboundSecrets(): Promise<void> {
    const unbound = this.document.secrets.filter((entry) => entry.binding === undefined);
    if (unbound.length === 0) return;
    await this.change(async (document) => {
      let next = document;
      for (const entry of unbound) {
        const connection = document.connections.find((c) => c.id === entry.connectionId);
        next = connection ? await this.rebound(next, connection, connection, false) : next;
      }
      return { next, result: undefined };
    });
  }

  /**
   * Remembers a Remote Agent's API key under its binding (scheme, host, port, CA: see agentBinding), sealed;
   * replaces an older one. Callers remember only keys the agent accepted.
   */
  saveAgentKey(endpoint: string, apiKey: string): Promise<void> {
    return this.change(async (document) => {
      const { key, record } = await this.dataKeyFor(document);
      const sealed = new SealedSecrets(key).seal(endpoint, 'agentApiKey', apiKey);
      return {
        next: {
          ...document,
          dataKey: record,
          agentKeys: [...document.agentKeys.filter((k) => k.endpoint !== endpoint), { endpoint, ...sealed }],
        },
        result: undefined,
      };
    });
  }

  /** The bindings that have a remembered (so accepted) API key. */
  agentKeyBindings(): string[] {
    return this.document.agentKeys.map((entry) => entry.endpoint);
  }

  async readAgentKey(endpoint: string): Promise<string | null> {
    const sealed = this.document.agentKeys.find((entry) => entry.endpoint === endpoint);
    if (!sealed) return null;
    const { key } = await this.dataKeyFor(this.document);
    return new SealedSecrets(key).open(endpoint, 'agentApiKey', sealed);
  }

  delete(id: string): Promise<{ id: string }> {
    return this.change(async (document) => {
      this.find(id);
      return {
        next: {
          ...document,
          connections: document.connections.filter((c) => c.id !== id),
          secrets: document.secrets.filter((entry) => entry.connectionId !== id),
        },
        result: { id },
      };
    });
  }

  exportDocument(ids?: readonly string[]): ConnectionsExport {
    const chosen = ids ? ids.map((id) => this.find(id)) : this.document.connections;
    return { format: exportFormat, version: 1, exportedAt: this.now().toISOString(), connections: chosen };
  }

  import(input: unknown): Promise<ImportReport> {
    return this.change(async (document) => {
      const envelope = ConnectionsImportEnvelopeSchema.safeParse(input);
      if (!envelope.success) {
        throw new AppFailure({
          code: AppErrorCode.inputInvalid,
          message: 'The file is not a Connection Utility export that this version can read.',
          hint: 'Choose a file made with Export... (connections.json exports), or check that it was not edited.',
          detail: { issues: describeIssues(envelope.error.issues) },
        });
      }
      const taken = new Set(document.connections.map((connection) => connection.id));
      const report: ImportReport = { imported: [], skipped: [] };
      const added: Connection[] = [];
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
        } else if (taken.has(checked.data.id)) {
          report.skipped.push({
            index,
            name: checked.data.name,
            reasons: ['a connection with this id already exists'],
          });
        } else {
          taken.add(checked.data.id);
          added.push(checked.data);
          report.imported.push({ id: checked.data.id, name: checked.data.name });
        }
      });
      return { next: { ...document, connections: [...document.connections, ...added] }, result: report };
    });
  }

  /** Serialises changes: each sees the result of the previous one, and a failure leaves the state untouched. */
  private change<R>(
    apply: (document: ConnectionStoreDocument) => Promise<{ next: ConnectionStoreDocument; result: R }>,
  ): Promise<R> {
    const run = this.writes.then(async () => {
      const { next, result } = await apply(this.document);
      await this.file.write(next);
      if (next.secrets !== this.document.secrets) this.secretIndex = indexSecrets(next.secrets);
      this.document = next;
      return result;
    });
    this.writes = run.catch(() => {});
    return run;
  }

  private find(id: string): Connection {
    const connection = this.document.connections.find((candidate) => candidate.id === id);
    if (!connection) {
      throw new AppFailure({
        code: AppErrorCode.connectionsNotFound,
        message: 'That connection does not exist (any more).',
        hint: 'Refresh the connections list.',
        detail: { id },
      });
    }
    return connection;
  }

  private view(connection: Connection): ConnectionView {
    const sealed = this.secretIndex.get(connection.id);
    const bound =
      sealed !== undefined &&
      (this.trust.bindingsAttested || sealed.binding === undefined || isBound(connection, sealed));
    return withSecretFlag(connection, bound);
  }

  /** The data key is created with the first secret and unsealed at most once per process. */
  private async dataKeyFor(
    document: ConnectionStoreDocument,
  ): Promise<{ key: Buffer; record: DataKeyRecord }> {
    const record = document.dataKey;
    if (!record) {
      const key = newAesKey();
      return { key, record: { vault: this.vault.info.kind, sealed: await this.vault.seal(key) } };
    }
    if (record.vault !== this.vault.info.kind) {
      throw new AppFailure({
        code: AppErrorCode.vaultMismatch,
        message:
          record.vault === 'safeStorage'
            ? 'The stored secrets were sealed by the desktop app with the OS keychain, which this program cannot use.'
            : 'The stored secrets were sealed with a key file, which the desktop app does not use.',
        hint: 'Use the program that saved them, or re-enter the password or secret here.',
        detail: { sealedBy: record.vault, thisProgram: this.vault.info.kind },
      });
    }
    return { key: await this.unsealed.open(record.sealed), record };
  }
}

function withSecretFlag(connection: Connection, stored: boolean): ConnectionView {
  return connection.kind === 'activeDirectory'
    ? { ...connection, hasPassword: stored }
    : { ...connection, hasSecret: stored };
}

/** Whether a sealed secret may be used with this record: bound to its destination, or sealed before binding. */
function isBound(connection: Connection, sealed: StoredSecret): boolean {
  return sealed.binding === undefined || sealed.binding === bindingDigest(connection);
}

function storedAndBound(document: ConnectionStoreDocument, record: Connection): boolean {
  const sealed = document.secrets.find((entry) => entry.connectionId === record.id);
  return sealed !== undefined && isBound(record, sealed);
}

function indexSecrets(secrets: readonly StoredSecret[]): Map<string, StoredSecret> {
  return new Map(secrets.map((entry) => [entry.connectionId, entry]));
}

function invalid(message: string, field: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.inputInvalid,
    message: `The connection was not saved: ${message}.`,
    detail: { issues: [`${field}: ${message}`] },
  });
}

/** The data key, unsealed by the vault once per sealed value. */
class UnsealedKey {
  private cached: { sealed: string; key: Buffer } | null = null;

  constructor(private readonly vault: Vault) {}

  async open(sealed: string): Promise<Buffer> {
    if (this.cached?.sealed !== sealed) this.cached = { sealed, key: await this.vault.open(sealed) };
    return this.cached.key;
  }

  /** The key of a document as read or about to be written; null when it has none or another vault sealed it. */
  async forDocument(document: Record<string, unknown>): Promise<Buffer | null> {
    const record = document.dataKey as { vault?: unknown; sealed?: unknown } | undefined;
    if (typeof record?.sealed !== 'string' || record.vault !== this.vault.info.kind) return null;
    return this.open(record.sealed);
  }
}
