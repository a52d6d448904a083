import type { Diagnosis, Stage, StageStatus } from '../../../../shared/common/diagnostics/diagnosis';
import { type WaterfallBar, waterfallLayout } from '../../../../shared/common/diagnostics/waterfall-layout';

/** One side's bar in a row, with the stage it draws (its error and hint live there). */
export interface WaterfallCell {
  bar: WaterfallBar;
  stage: Stage;
}

/** One stage across the sides drawn next to each other; a side that did not run it has null. */
export interface WaterfallRow {
  id: string;
  label: string;
  cells: (WaterfallCell | null)[];
  /** The first stage whose outcome differs between this computer and the agent host. */
  differs: boolean;
}

/** Rows of one domain controller (its host name), or the connection's own stages (no name). */
export interface WaterfallGroup {
  key: string;
  name: string | undefined;
  rows: WaterfallRow[];
}

/**
 * Lines the sides up by stage id, in the first side's order: a stage only another side ran comes after the
 * stage that preceded it there, so the rows stay in the order each host planned them. Stages of a domain
 * controller stay together (parallel probes interleave in start order); stages of the connection itself that
 * come after the first controller's form their own group after the controllers.
 */
export function waterfallRows(
  sides: readonly (Diagnosis | null)[],
  scaleMs: number,
  differenceId: string | null,
): WaterfallGroup[] {
  const cells = sides.map((side) => {
    const byId = new Map<string, WaterfallCell>();
    if (!side) return byId;
    const stages = new Map(side.stages.map((stage) => [stage.id, stage]));
    for (const bar of waterfallLayout(side, scaleMs).bars) {
      const stage = stages.get(bar.id);
      if (stage) byId.set(bar.id, { bar, stage });
    }
    return byId;
  });

  const order: Stage[] = [];
  for (const side of sides) {
    let after = -1;
    for (const stage of side?.stages ?? []) {
      const at = order.findIndex((known) => known.id === stage.id);
      if (at >= 0) {
        after = at;
        continue;
      }
      after += 1;
      order.splice(after, 0, stage);
    }
  }

  const groups = new Map<string, WaterfallGroup>();
  let seenController = false;
  for (const stage of order) {
    if (stage.group) seenController = true;
    const key = stage.group ? `dc:${stage.group}` : seenController ? 'after' : 'before';
    const group = groups.get(key) ?? { key, name: stage.group, rows: [] };
    groups.set(key, group);
    group.rows.push({
      id: stage.id,
      label: stage.name,
      cells: cells.map((byId) => byId.get(stage.id) ?? null),
      differs: stage.id === differenceId,
    });
  }
  // Own stages first, then each controller, then own stages that came after them.
  const all = [...groups.values()];
  return [
    ...all.filter((group) => group.key === 'before'),
    ...all.filter((group) => group.name !== undefined),
    ...all.filter((group) => group.key === 'after'),
  ];
}

export const statusText: Record<StageStatus, string> = {
  ok: 'Passed',
  warn: 'Warning',
  fail: 'Failed',
  skipped: 'Skipped',
};

/** How long a stage took, as the waterfall labels it: whole milliseconds, grouped. */
export function formatMs(ms: number): string {
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

/** What a screen reader hears for a bar: the stage, where, the outcome, how long and when it started. */
export function barLabel(cell: WaterfallCell, sideName: string): string {
  const { bar } = cell;
  return `${bar.label}, ${sideName}: ${statusText[bar.status].toLowerCase()}, ${formatMs(bar.durationMs)}, started at ${formatMs(cell.stage.startMs)}`;
}

/** Whether a row has something to unfold: a failure or warning with its message and hint. */
export function rowHasFindings(row: WaterfallRow): boolean {
  return row.cells.some((cell) => cell?.stage.error !== undefined);
}
