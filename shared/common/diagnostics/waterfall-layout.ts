import type { Diagnosis, StageStatus } from './diagnosis';

/** One bar of the waterfall, in fractions of the scale (0..1) so any width can draw it. */
export interface WaterfallBar {
  id: string;
  label: string;
  group: string | undefined;
  status: StageStatus;
  /** Left edge and width as fractions of the scale; a 0 ms stage still gets a visible sliver. */
  left: number;
  width: number;
  durationMs: number;
  detail: string | undefined;
}

export interface WaterfallLayout {
  /** The milliseconds the full width stands for: shared by the sides drawn next to each other. */
  scaleMs: number;
  bars: WaterfallBar[];
}

/** The colour role of each outcome; the window maps them to Fluent tokens, the HTML report to fixed colours. */
export const stageColours: Record<StageStatus, { light: string; dark: string }> = {
  ok: { light: '#107c10', dark: '#54b054' },
  warn: { light: '#c19c00', dark: '#fce100' },
  fail: { light: '#c50f1f', dark: '#e37d80' },
  skipped: { light: '#8a8886', dark: '#8a8886' },
};

const minWidth = 0.004;

/** Longest end of any stage of the given diagnoses: the common scale for drawing them side by side. */
export function commonScaleMs(diagnoses: readonly (Diagnosis | null)[]): number {
  let end = 1;
  for (const diagnosis of diagnoses)
    for (const stage of diagnosis?.stages ?? []) end = Math.max(end, stage.startMs + stage.durationMs);
  return end;
}

/** Bars in the diagnosis' own stage order (the order they were planned, not finished). */
export function waterfallLayout(diagnosis: Diagnosis, scaleMs = commonScaleMs([diagnosis])): WaterfallLayout {
  const scale = Math.max(scaleMs, 1);
  return {
    scaleMs: scale,
    bars: diagnosis.stages.map((stage) => {
      const left = Math.min(stage.startMs / scale, 1 - minWidth);
      return {
        id: stage.id,
        label: stage.name,
        group: stage.group,
        status: stage.status,
        left,
        width: Math.min(Math.max(stage.durationMs / scale, minWidth), 1 - left),
        durationMs: stage.durationMs,
        detail: stage.detail,
      };
    }),
  };
}
