import { describe, expect, it } from 'vitest';
import type { TestHistoryEntry } from '../../../../shared/common/connections/test-history';
import {
  chartBox,
  formatDuration,
  layoutTestHistory,
  niceCeiling,
  pointTitle,
  summarize,
} from './test-history-layout';

const time = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const entry = (
  minute: number,
  durationMs: number,
  extra: Partial<TestHistoryEntry> = {},
): TestHistoryEntry => ({
  at: new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString(),
  durationMs,
  ok: true,
  summary: `test at minute ${minute}`,
  source: 'dialog',
  ...extra,
});

describe('the test-history chart layout', () => {
  it('spaces tests evenly, oldest at the left edge, newest at the right', () => {
    const { points } = layoutTestHistory([entry(0, 100), entry(1, 200), entry(50, 300)], time);
    expect(points.map((point) => point.x)).toEqual([
      chartBox.left,
      (chartBox.left + chartBox.width - chartBox.right) / 2,
      chartBox.width - chartBox.right,
    ]);
  });

  it('draws duration upwards from 0 at the bottom to a round maximum at the top', () => {
    const { points, grid } = layoutTestHistory([entry(0, 0), entry(1, 1000), entry(2, 1600)], time);
    const bottom = chartBox.height - chartBox.bottom;
    expect(grid.map((line) => line.label)).toEqual(['0 ms', '1.0 s', '2.0 s']);
    expect(grid[0]?.y).toBe(bottom);
    expect(grid[2]?.y).toBe(chartBox.top);
    expect(points[0]?.y).toBe(bottom);
    expect(points[1]?.y).toBe(grid[1]?.y);
    // Longer is higher.
    expect(points[2]?.y).toBeLessThan(points[1]?.y ?? 0);
    expect(points[2]?.y).toBeGreaterThan(chartBox.top);
  });

  it('marks failures, and gives every point its time, duration, source, result and summary', () => {
    const failed = entry(3, 2400, {
      ok: false,
      code: 'agent.unreachable',
      source: 'agent',
      summary: 'The Remote Agent at http://127.0.0.1:1 did not answer.',
    });
    const { points, path } = layoutTestHistory([entry(0, 100, { source: 'wizard' }), failed], time);
    expect(points.map((point) => point.ok)).toEqual([true, false]);
    expect(points[1]?.title).toBe(
      '2026-03-01 09:03\nFailed (agent.unreachable) in 2.4 s\nFrom: Remote Agent\nThe Remote Agent at http://127.0.0.1:1 did not answer.',
    );
    expect(pointTitle(entry(0, 100, { source: 'wizard' }), time)).toContain('From: Wizard');
    expect(path.startsWith(`M${points[0]?.x} ${points[0]?.y} L`)).toBe(true);
  });

  it('centres a single test and labels its time once', () => {
    const { points, timeLabels } = layoutTestHistory([entry(7, 50)], time);
    expect(points[0]?.x).toBe(chartBox.left + (chartBox.width - chartBox.left - chartBox.right) / 2);
    expect(timeLabels).toEqual([{ x: points[0]?.x, label: '2026-03-01 09:07', anchor: 'middle' }]);
  });

  it('summarises the picture in one sentence for a screen reader', () => {
    expect(summarize([], time)).toBe('Test history: no tests recorded yet.');
    expect(
      summarize(
        [
          entry(0, 120, { source: 'wizard' }),
          entry(1, 3400, { ok: false }),
          entry(2, 800, { source: 'cli' }),
        ],
        time,
      ),
    ).toBe(
      'Test history: 3 tests from 2026-03-01 09:00 to 2026-03-01 09:02, 1 failed; the latest passed (Command line); durations 120 ms to 3.4 s.',
    );
    expect(summarize([entry(0, 15_000, { ok: false })], time)).toBe(
      'Test history: 1 test on 2026-03-01 09:00, 1 failed; the latest failed (Connection window); it took 15 s.',
    );
  });

  it('words durations and rounds the scale to 1, 2 or 5 × 10ⁿ', () => {
    expect([0, 840, 1234, 14_400, 125_000].map(formatDuration)).toEqual([
      '0 ms',
      '840 ms',
      '1.2 s',
      '14 s',
      '2 min 5 s',
    ]);
    expect([0, 10, 11, 180, 201, 4999, 5001].map(niceCeiling)).toEqual([10, 10, 20, 200, 500, 5000, 10_000]);
  });
});
