import type { Connection } from '../../common/connections/connection';

type LastTest = NonNullable<Connection['lastTest']>;

/** A wizard's test as the save records it: its outcome, and how long it took for the test history. */
export interface RecentTest {
  lastTest: LastTest;
  durationMs: number;
}

interface Entry extends RecentTest {
  /** The domains the outcome speaks for (a tenant test covers its verified domains); null: any. */
  domains: ReadonlySet<string> | null;
  expires: number;
}

/**
 * Outcomes of tests run before their connection existed (the wizards test, then Finish saves), kept briefly by
 * operation id so the save can record them as the connection's last test. Only main writes them: the window
 * names a test it ran, it cannot claim a result.
 */
export class RecentTests {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 30 * 60_000,
    private readonly now = () => Date.now(),
  ) {}

  remember(
    operationId: string,
    lastTest: LastTest,
    domains: readonly string[] | null,
    durationMs: number,
  ): void {
    this.prune();
    this.entries.set(operationId, {
      lastTest,
      durationMs,
      domains: domains ? new Set(domains.map((domain) => domain.toLowerCase())) : null,
      expires: this.now() + this.ttlMs,
    });
  }

  outcomeFor(operationId: string, domain: string): RecentTest | null {
    this.prune();
    const entry = this.entries.get(operationId);
    if (!entry || (entry.domains && !entry.domains.has(domain.toLowerCase()))) return null;
    return { lastTest: entry.lastTest, durationMs: entry.durationMs };
  }

  private prune(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expires <= now) this.entries.delete(id);
    // Bounded whatever the window sends.
    while (this.entries.size > 100) this.entries.delete(this.entries.keys().next().value as string);
  }
}
