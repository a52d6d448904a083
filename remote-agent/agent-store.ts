import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import {
  type AgentConnection,
  type AgentConnectionPut,
  AgentConnectionPutSchema,
} from '../shared/common/agent/agent-api';
import { ConnectionIdSchema, TimestampSchema } from '../shared/common/connections/fields';
import { StoredSecretSchema } from '../shared/common/connections/store-document';
import { newAesKey } from '../shared/node/crypto/aes-gcm';
import { AtomicJsonFile } from '../shared/node/storage/atomic-json-file';
import { assertPrivateFile, openPrivateFolder } from '../shared/node/storage/private-folder';
import { SealedSecrets } from '../shared/node/storage/sealed-secrets';
import type { KeyFileVault } from '../shared/node/vault/key-file-vault';

const StoredAgentConnectionSchema = AgentConnectionPutSchema.omit({ secret: true }).extend({
  id: ConnectionIdSchema,
  domain: z.string(),
  updatedAt: TimestampSchema,
});

/** agent-connections.json: the connections by domain, their secrets sealed in the same atomically written file. */
const AgentDocumentSchema = z.strictObject({
  connections: z.array(StoredAgentConnectionSchema),
  dataKey: z.strictObject({ vault: z.literal('keyFile'), sealed: z.string() }).optional(),
  secrets: z.array(StoredSecretSchema).default([]),
});
type AgentDocument = z.output<typeof AgentDocumentSchema>;
type StoredAgentConnection = z.output<typeof StoredAgentConnectionSchema>;

export const agentStoreFileName = 'agent-connections.json';

export class AgentStore {
  private writes: Promise<unknown> = Promise.resolve();
  private key: Buffer | null = null;

  private constructor(
    private readonly file: AtomicJsonFile<AgentDocument>,
    private readonly vault: KeyFileVault,
    private document: AgentDocument,
  ) {}

  static async open(dataDir: string, vault: KeyFileVault): Promise<AgentStore> {
    const path = join(dataDir, agentStoreFileName);
    await openPrivateFolder(dataDir);
    await assertPrivateFile(path);
    const file = await AtomicJsonFile.openForWriting({
      path,
      version: 1,
      schema: AgentDocumentSchema,
      empty: () => ({ connections: [], secrets: [] }),
    });
    const { value } = await file.read();
    return new AgentStore(file, vault, value);
  }

  list(): AgentConnection[] {
    return this.document.connections.map((connection) => this.view(connection));
  }

  /** For /api/health, which is polled: no views built. */
  count(): number {
    return this.document.connections.length;
  }

  get(domain: string): AgentConnection | null {
    const found = this.find(domain);
    return found ? this.view(found) : null;
  }

  /** The connection with its secret opened, for TestConnection only. */
  async withSecret(domain: string): Promise<(StoredAgentConnection & { secret: string }) | null> {
    const found = this.find(domain);
    const sealed = found && this.document.secrets.find((entry) => entry.connectionId === found.id);
    if (!found || !sealed) return null;
    return { ...found, secret: new SealedSecrets(await this.dataKey()).open(found.id, 'secret', sealed) };
  }

  /** Upsert. Serialised, so concurrent PUTs of one domain end with one complete write, never a mix. */
  put(domain: string, body: AgentConnectionPut): Promise<AgentConnection> {
    return this.change(async (document) => {
      const existing = this.find(domain);
      const { secret, ...fields } = body;
      const record: StoredAgentConnection = {
        ...fields,
        id: existing?.id ?? randomUUID(),
        domain,
        updatedAt: new Date().toISOString(),
      };
      const sealed = new SealedSecrets(await this.dataKey()).seal(record.id, 'secret', secret);
      return {
        next: {
          ...document,
          dataKey: document.dataKey ?? (await this.sealedKey()),
          connections: [...document.connections.filter((c) => c.domain !== domain), record],
          secrets: [
            ...document.secrets.filter((s) => s.connectionId !== record.id),
            { connectionId: record.id, ...sealed },
          ],
        },
        // The secret was sealed just above: the new document holds it.
        result: { ...this.view(record), hasSecret: true },
      };
    });
  }

  delete(domain: string): Promise<boolean> {
    return this.change(async (document) => {
      const existing = this.find(domain);
      if (!existing) return { next: document, result: false };
      return {
        next: {
          ...document,
          connections: document.connections.filter((c) => c.id !== existing.id),
          secrets: document.secrets.filter((s) => s.connectionId !== existing.id),
        },
        result: true,
      };
    });
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private find(domain: string): StoredAgentConnection | undefined {
    return this.document.connections.find((connection) => connection.domain === domain);
  }

  private view({ id, ...connection }: StoredAgentConnection): AgentConnection {
    return { ...connection, hasSecret: this.document.secrets.some((entry) => entry.connectionId === id) };
  }

  private async dataKey(): Promise<Buffer> {
    if (this.key) return this.key;
    this.key = this.document.dataKey ? await this.vault.open(this.document.dataKey.sealed) : newAesKey();
    return this.key;
  }

  private async sealedKey(): Promise<{ vault: 'keyFile'; sealed: string }> {
    return { vault: 'keyFile', sealed: await this.vault.seal(await this.dataKey()) };
  }

  private change<R>(
    apply: (document: AgentDocument) => Promise<{ next: AgentDocument; result: R }>,
  ): Promise<R> {
    const run = this.writes.then(async () => {
      const { next, result } = await apply(this.document);
      if (next !== this.document) {
        await this.file.write(next);
        this.document = next;
      }
      return result;
    });
    this.writes = run.catch(() => {});
    return run;
  }
}
