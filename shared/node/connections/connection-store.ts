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

export const storeFileName = 'connections.json';

type DataKeyRecord = NonNullable<ConnectionStoreDocument['dataKey']>;
const storeVersion = 1;

export interface ConnectionStoreOptions {
  /** The data folder; the store is `connections.json` inside it. */
  dir: string;
  vault: Vault;
  /** Readers (CLI list/export) take no lock and cannot write. */
  readOnly?: boolean;
  now?: () => Date;
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
  ) {
    this.secretIndex = indexSecrets(document.secrets);
  }

  static async open(options: ConnectionStoreOptions): Promise<ConnectionStore> {
    const now = options.now ?? (() => new Date());
    const unsealed = new UnsealedKey(options.vault);
    const fileOptions = {
      path: join(options.dir, storeFileName),
      version: storeVersion,
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
      const { value, recovered } = await file.read();
      return new ConnectionStore(file, options.vault, value, recovered ?? null, now, unsealed);
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
    const connection = this.find(id);
    const sealed = this.secretIndex.get(id);
    if (!sealed) return null;
    const { key } = await this.dataKeyFor(this.document);
    return new SealedSecrets(key).open(id, secretNameOf[connection.kind], sealed);
  }

  save(request: ParsedConnectionSaveRequest): Promise<ConnectionView> {
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

      const secretName = secretNameOf[request.kind];
      const input = request.kind === 'activeDirectory' ? request.password : request.secret;
      // A new auth mode reinterprets the secret (a user password is not a client secret): drop the old one.
      const modeChanged =
        existing?.kind === 'microsoftOnline' &&
        request.kind === 'microsoftOnline' &&
        existing.authMode !== request.authMode;
      let dataKey = document.dataKey;
      let secrets = document.secrets;
      if (input !== undefined && input !== '') {
        const { key, record: keyRecord } = await this.dataKeyFor(document);
        dataKey = keyRecord;
        const sealed = new SealedSecrets(key).seal(id, secretName, input);
        secrets = [...secrets.filter((entry) => entry.connectionId !== id), { connectionId: id, ...sealed }];
      } else if (input === '' || (input === undefined && modeChanged)) {
        secrets = secrets.filter((entry) => entry.connectionId !== id);
      }
      const stored =
        secrets === document.secrets ? this.secretIndex.has(id) : secrets.some((e) => e.connectionId === id);
      return { next: { ...document, dataKey, connections, secrets }, result: withSecretFlag(record, stored) };
    });
  }

  /** Remembers the outcome of a test for the panel's "last test" column. */
  recordTest(id: string, lastTest: NonNullable<Connection['lastTest']>): Promise<ConnectionView> {
    return this.replaceRecord(id, (connection) => ({ ...connection, lastTest }));
  }

  /** "Trust this certificate": pins its SHA-256 fingerprint on an Active Directory connection. */
  pinCertificate(id: string, fingerprint: string): Promise<ConnectionView> {
    return this.replaceRecord(id, (connection) => {
      if (connection.kind !== 'activeDirectory')
        throw invalid('only Active Directory connections pin certificates', 'kind');
      const pins = connection.trust.pinnedFingerprints;
      const pinnedFingerprints = pins.includes(fingerprint) ? pins : [...pins, fingerprint];
      return {
        ...connection,
        trust: { ...connection.trust, pinnedFingerprints },
        updatedAt: this.now().toISOString(),
      };
    });
  }

  private replaceRecord(id: string, update: (connection: Connection) => Connection): Promise<ConnectionView> {
    return this.change(async (document) => {
      const record = ConnectionSchema.parse(update(this.find(id)));
      return {
        next: { ...document, connections: document.connections.map((c) => (c.id === id ? record : c)) },
        result: withSecretFlag(record, this.secretIndex.has(id)),
      };
    });
  }

  /** Remembers a Remote Agent's API key for its host:port, sealed; replaces an older one. */
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
    return withSecretFlag(connection, this.secretIndex.has(connection.id));
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
