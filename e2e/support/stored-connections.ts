import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** What the connection store holds on disk, read through a connection of the spec's own (never the app's cache). */
export interface StoredConnections {
  // biome-ignore lint/suspicious/noExplicitAny: specs match records of either kind with toMatchObject.
  connections: any[];
  /** Each row's sealed secret as stored (JSON text), by connection id. */
  secrets: Record<string, string | null>;
  agentKeys: Record<string, string>;
}

export function readStoredConnections(userDataDir: string): StoredConnections {
  const db = new DatabaseSync(join(userDataDir, 'connections.db'), { readOnly: true });
  try {
    const rows = db.prepare('SELECT id, record, secret FROM connections ORDER BY rowid').all() as {
      id: string;
      record: string;
      secret: string | null;
    }[];
    const keys = db.prepare('SELECT endpoint, sealed FROM agent_keys').all() as {
      endpoint: string;
      sealed: string;
    }[];
    return {
      connections: rows.map((row) => JSON.parse(row.record)),
      secrets: Object.fromEntries(rows.map((row) => [row.id, row.secret])),
      agentKeys: Object.fromEntries(keys.map((key) => [key.endpoint, key.sealed])),
    };
  } finally {
    db.close();
  }
}

/** Every byte of the store on disk (the database and its journal), to show a secret is nowhere in plaintext. */
export function storeBytes(userDataDir: string): string {
  return ['connections.db', 'connections.db-wal']
    .map((name) => join(userDataDir, name))
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('');
}
