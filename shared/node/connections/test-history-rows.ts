import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  type TestHistoryEntry,
  TestHistoryEntrySchema,
  testHistoryLimit,
} from '../../common/connections/test-history';

/**
 * The test_history table of connections.db: one row per test outcome, in the order they were recorded. Writes
 * run inside the store's write transaction, so an append and its trim are one commit with the last test.
 */
export class TestHistoryRows {
  private readonly insert: StatementSync;
  private readonly trim: StatementSync;
  private readonly newest: StatementSync;

  constructor(db: DatabaseSync) {
    this.insert = db.prepare('INSERT INTO test_history (connection_id, entry) VALUES (?, ?)');
    // Everything at or below the (limit+1)-th newest seq goes; with fewer rows the subquery is NULL: nothing does.
    this.trim = db.prepare(
      'DELETE FROM test_history WHERE connection_id = ? AND seq <= (SELECT seq FROM test_history WHERE connection_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)',
    );
    this.newest = db.prepare(
      'SELECT entry FROM test_history WHERE connection_id = ? ORDER BY seq DESC LIMIT ?',
    );
  }

  /** Call inside a write transaction, for a connection whose row exists (the foreign key refuses others). */
  append(connectionId: string, entry: TestHistoryEntry): void {
    this.insert.run(connectionId, JSON.stringify(TestHistoryEntrySchema.parse(entry)));
    this.trim.run(connectionId, connectionId, testHistoryLimit);
  }

  /** Oldest first. An entry that no longer parses (edited by hand) is left out rather than failing the chart. */
  read(connectionId: string): TestHistoryEntry[] {
    const rows = this.newest.all(connectionId, testHistoryLimit) as { entry: string }[];
    return rows.reverse().flatMap(({ entry }) => {
      const parsed = TestHistoryEntrySchema.safeParse(parseJson(entry));
      return parsed.success ? [parsed.data] : [];
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
