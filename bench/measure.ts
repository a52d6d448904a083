/** Runs `fn` `runs` times after `warmup` untimed runs; returns the median in milliseconds. */
export async function medianMs(fn: () => Promise<unknown>, runs: number, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export interface Row {
  case: string;
  medianMs: number;
  baseline: string;
  baselineMs: number;
  target?: string;
}

export function printTable(title: string, rows: Row[], unit = 'median ms'): void {
  console.log(`\n${title}\n`);
  console.log(`| case | ${unit} | baseline | baseline ${unit} | ratio | target |`);
  console.log('|---|---:|---|---:|---:|---|');
  for (const row of rows) {
    console.log(
      `| ${row.case} | ${row.medianMs.toFixed(1)} | ${row.baseline} | ${row.baselineMs.toFixed(1)} | ${(row.medianMs / row.baselineMs).toFixed(2)}× | ${row.target ?? ''} |`,
    );
  }
}
