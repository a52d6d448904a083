import type { SchemaStep } from '../storage/sqlite-database';

export const storeFileName = 'connections.db';

/**
 * connections.db. One row per connection: the record as JSON (validated by ConnectionSchema on every write) and
 * its one sealed secret beside it, so one row write saves both and a connection can never point at a secret
 * that was not written. Row order (rowid) is the order the admin created them in.
 * Append steps; never edit one that shipped.
 */
export const connectionStoreSchema: readonly SchemaStep[] = [
  (db) =>
    db.exec(`
      CREATE TABLE connections (
        id TEXT PRIMARY KEY NOT NULL,
        record TEXT NOT NULL,
        -- {nonce, ciphertext, tag, binding}: AES-256-GCM under the data key, bound to the record's destination.
        secret TEXT
      ) STRICT;
      -- Remote Agent API keys by binding (scheme://host:port[#ca=digest]), sealed like the secrets.
      CREATE TABLE agent_keys (
        endpoint TEXT PRIMARY KEY NOT NULL,
        sealed TEXT NOT NULL
      ) STRICT;
      -- dataKey: {vault, sealed}, the data key sealed by the vault that created it;
      -- legacyImport: when and from which file connections.json was migrated.
      CREATE TABLE meta (
        name TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `),
  // The certificate pinned for each HTTPS Remote Agent by its origin (https://host:port), by "Trust this agent".
  // Sealed, not for secrecy but so that a hand-edited pin fails to open instead of trusting another server.
  (db) =>
    db.exec(`
      CREATE TABLE agent_pins (
        origin TEXT PRIMARY KEY NOT NULL,
        sealed TEXT NOT NULL
      ) STRICT;
    `),
  // An unfinished "Set up certificate sign-in" per tenant domain: what it created so far (app, service principal,
  // grants, connection) and the new certificate, so Retry resumes instead of registering a second application.
  // Sealed like the secrets: it holds the new private key. Removed once the setup finished.
  (db) =>
    db.exec(`
      CREATE TABLE setup_journals (
        domain TEXT PRIMARY KEY NOT NULL,
        sealed TEXT NOT NULL
      ) STRICT;
    `),
  // The last outcomes of each connection's tests (TestHistoryEntry as JSON), oldest first by seq; the store keeps
  // the newest testHistoryLimit per connection. Deleting the connection deletes them (foreign_keys is on); the
  // upsert that saves a connection updates its row in place, so saving keeps them.
  (db) =>
    db.exec(`
      CREATE TABLE test_history (
        seq INTEGER PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        entry TEXT NOT NULL
      ) STRICT;
      CREATE INDEX test_history_by_connection ON test_history (connection_id, seq);
    `),
];
