/** A stage's time as the report and the CLI print it: whole milliseconds, and "<1 ms" for a sliver of one. */
export function milliseconds(ms: number): string {
  if (ms > 0 && ms < 0.5) return '<1 ms';
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}
