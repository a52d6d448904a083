import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchRendererHost } from '../tools/renderer-host';
import { median, type Row } from './measure';
import { seedStore } from './seed-store';

/** Milliseconds from the list response's arrival in the page to the first painted frame showing it. */
async function renderTimes(count: number, runs: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cu-bench-panel-'));
  await seedStore(dir, count);
  const host = await launchRendererHost({ userDataDir: dir, headless: true });
  try {
    const times: number[] = [];
    for (let run = -1; run < runs; run += 1) {
      if (run >= 0) await host.page.reload();
      await host.page.waitForFunction(
        () => performance.getEntriesByName('connections:painted').length > 0,
        null,
        {
          timeout: 60_000,
        },
      );
      const ms = await host.page.evaluate(() => {
        const [data] = performance.getEntriesByName('connections:data');
        const [painted] = performance.getEntriesByName('connections:painted');
        return (painted?.startTime ?? Number.NaN) - (data?.startTime ?? Number.NaN);
      });
      // The first load warms the browser's caches and is not counted.
      if (run >= 0) times.push(ms);
    }
    return times;
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function panelBench(runs: number): Promise<Row[]> {
  execFileSync(process.execPath, [resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseline = median(await renderTimes(10, runs));
  const full = median(await renderTimes(10_000, runs));
  return [
    {
      case: 'render panel, 10,000 connections',
      medianMs: full,
      baseline: 'same, 10 connections',
      baselineMs: baseline,
      target: '≤ 200 ms',
    },
  ];
}
