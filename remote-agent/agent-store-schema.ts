import { z } from 'zod';
import { AgentConnectionPutSchema } from '../shared/common/agent/agent-api';
import { ConnectionIdSchema, TimestampSchema } from '../shared/common/connections/fields';
import type { SchemaStep } from '../shared/node/storage/sqlite-database';

export const agentStoreFileName = 'agent-connections.db';

/** A connection as the agent keeps it: the PUT body without its secret, plus who and when. */
export const StoredAgentConnectionSchema = AgentConnectionPutSchema.omit({ secret: true }).extend({
  id: ConnectionIdSchema,
  domain: z.string(),
  updatedAt: TimestampSchema,
});
export type StoredAgentConnection = z.output<typeof StoredAgentConnectionSchema>;

/** What `meta.dataKey` holds: the data key sealed by the agent's key file. */
export const SealedDataKeySchema = z.strictObject({ vault: z.literal('keyFile'), sealed: z.string() });
export type SealedDataKey = z.output<typeof SealedDataKeySchema>;

/**
 * agent-connections.db. One row per connection: the record as JSON (validated by StoredAgentConnectionSchema on
 * every write) with its sealed secret beside it, so one row write saves both. The domain is unique because the
 * HTTP API addresses connections by domain; the id is what each secret is sealed to.
 * Append steps; never edit one that shipped.
 */
export const agentStoreSchema: readonly SchemaStep[] = [
  (db) =>
    db.exec(`
      CREATE TABLE connections (
        id TEXT PRIMARY KEY NOT NULL,
        domain TEXT NOT NULL UNIQUE,
        record TEXT NOT NULL,
        -- {nonce, ciphertext, tag}: AES-256-GCM under the data key, associated data = id and 'secret'.
        secret TEXT
      ) STRICT;
      -- dataKey: {vault, sealed}; legacyImport: when agent-connections.json was moved in, and how many rows.
      CREATE TABLE meta (
        name TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `),
];
