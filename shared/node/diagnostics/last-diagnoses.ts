import type { DiagnoseResult } from '../../common/diagnostics/diagnosis';

/**
 * The last diagnosis of each connection this session, for Export diagnostics…: main's own results, never
 * anything a window sent. Bounded: a long session diagnosing many connections keeps the newest 500.
 */
export class LastDiagnoses {
  private readonly byConnection = new Map<string, DiagnoseResult>();

  remember(result: DiagnoseResult): void {
    this.byConnection.delete(result.connectionId);
    this.byConnection.set(result.connectionId, result);
    while (this.byConnection.size > 500)
      this.byConnection.delete(this.byConnection.keys().next().value as string);
  }

  of(connectionId: string): DiagnoseResult | null {
    return this.byConnection.get(connectionId) ?? null;
  }
}
