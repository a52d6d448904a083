import type { TestHistoryEntry, TestSource } from '../../../../shared/common/connections/test-history';

/** The chart's drawing area in SVG units; the SVG scales to its container's width. */
export const chartBox = { width: 560, height: 132, left: 52, right: 12, top: 10, bottom: 24 } as const;

export const sourceLabel: Record<TestSource, string> = {
  wizard: 'Wizard',
  dialog: 'Connection window',
  agent: 'Remote Agent',
  cli: 'Command line',
  diagnose: 'Diagnose',
};

export interface ChartPoint {
  x: number;
  y: number;
  ok: boolean;
  /** The point's tooltip: time, duration, where from, result and summary. */
  title: string;
  entry: TestHistoryEntry;
}

export interface ChartLayout {
  points: ChartPoint[];
  /** The line through the points, oldest to newest. */
  path: string;
  /** Horizontal grid lines with their labels, bottom (0) to top (the scale's maximum). */
  grid: { y: number; label: string }[];
  /** The first and last test's time, under the ends of the line. */
  timeLabels: { x: number; label: string; anchor: 'start' | 'end' | 'middle' }[];
  /** What a screen reader hears for the picture. */
  summary: string;
}

export type TimeFormat = (iso: string) => string;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
export const defaultTimeFormat: TimeFormat = (iso) => dateTime.format(new Date(iso));

/** "840 ms", "1.2 s", "14 s", "2 min 5 s": what an admin compares at a glance. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** The smallest 1, 2 or 5 × 10^k at or above `value` (at least 10 ms): round numbers on the axis. */
export function niceCeiling(value: number): number {
  const floor = Math.max(value, 10);
  const power = 10 ** Math.floor(Math.log10(floor));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= floor) ?? 10;
  return step * power;
}

export function resultWords(entry: TestHistoryEntry): string {
  return entry.ok ? 'Passed' : `Failed${entry.code ? ` (${entry.code})` : ''}`;
}

export function pointTitle(entry: TestHistoryEntry, time: TimeFormat = defaultTimeFormat): string {
  return [
    time(entry.at),
    `${resultWords(entry)} in ${formatDuration(entry.durationMs)}`,
    `From: ${sourceLabel[entry.source]}`,
    entry.summary,
  ].join('\n');
}

/**
 * Where each test goes: one step to the right per test, oldest at the left (evenly spaced, so a burst of tests
 * stays readable beside a quiet month), and its duration upwards on a scale from 0 to a round maximum.
 */
export function layoutTestHistory(
  entries: readonly TestHistoryEntry[],
  time: TimeFormat = defaultTimeFormat,
): ChartLayout {
  const { width, height, left, right, top, bottom } = chartBox;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const longest = Math.max(0, ...entries.map((entry) => entry.durationMs));
  const scaleMax = niceCeiling(longest);
  const yOf = (ms: number) => round(top + plotHeight * (1 - ms / scaleMax));
  const xOf = (index: number) =>
    round(entries.length < 2 ? left + plotWidth / 2 : left + (plotWidth * index) / (entries.length - 1));
  const points = entries.map((entry, index) => ({
    x: xOf(index),
    y: yOf(entry.durationMs),
    ok: entry.ok,
    title: pointTitle(entry, time),
    entry,
  }));
  const first = entries[0];
  const last = entries.at(-1);
  const timeLabels: ChartLayout['timeLabels'] =
    !first || !last
      ? []
      : entries.length === 1
        ? [{ x: xOf(0), label: time(first.at), anchor: 'middle' }]
        : [
            { x: xOf(0), label: time(first.at), anchor: 'start' },
            { x: xOf(entries.length - 1), label: time(last.at), anchor: 'end' },
          ];
  return {
    points,
    path: points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x} ${point.y}`).join(' '),
    grid: [0, scaleMax / 2, scaleMax].map((ms) => ({ y: yOf(ms), label: formatDuration(ms) })),
    timeLabels,
    summary: summarize(entries, time),
  };
}

/** One sentence for the picture: how many, how many failed, the latest result, the range of durations. */
export function summarize(
  entries: readonly TestHistoryEntry[],
  time: TimeFormat = defaultTimeFormat,
): string {
  const first = entries[0];
  const last = entries.at(-1);
  if (!first || !last) return 'Test history: no tests recorded yet.';
  const failed = entries.filter((entry) => !entry.ok).length;
  const durations = entries.map((entry) => entry.durationMs);
  const span = entries.length === 1 ? `on ${time(first.at)}` : `from ${time(first.at)} to ${time(last.at)}`;
  const range =
    entries.length === 1
      ? `it took ${formatDuration(last.durationMs)}`
      : `durations ${formatDuration(Math.min(...durations))} to ${formatDuration(Math.max(...durations))}`;
  return (
    `Test history: ${plural(entries.length, 'test')} ${span}, ${failed} failed; ` +
    `the latest ${last.ok ? 'passed' : 'failed'} (${sourceLabel[last.source]}); ${range}.`
  );
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
const round = (value: number) => Math.round(value * 10) / 10;
