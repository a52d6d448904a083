import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { launchRendererHost, rendererOutDir } from '../tools/renderer-host';
import { serveStatic } from '../tools/static-server';
import { median, type Row } from './measure';

/** kB as Vite prints them (1,000 bytes), gzip at zlib's default level. */
const kB = (bytes: number) => bytes / 1000;
const gzipBytes = (file: string) => gzipSync(readFileSync(join(rendererOutDir, file))).length;

/** The files the page fetches before its first render: the entry script, its modulepreloads and stylesheets. */
export function initialFiles(html: string): string[] {
  const files: string[] = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    const attributes = Object.fromEntries(
      [...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value]),
    );
    const isEntry = tag.startsWith('<script') && attributes.type === 'module' && attributes.src;
    const isPreload = attributes.rel === 'modulepreload' || attributes.rel === 'stylesheet';
    const url = isEntry ? attributes.src : isPreload ? attributes.href : undefined;
    if (url) files.push(url.replace(/^\.\//, ''));
  }
  return files;
}

export function bundleSizes(): Row[] {
  const initial = initialFiles(readFileSync(join(rendererOutDir, 'index.html'), 'utf8'));
  if (initial.length === 0) throw new Error('out/renderer/index.html names no entry script');
  const all = readdirSync(join(rendererOutDir, 'assets'))
    .filter((name) => /\.(js|css)$/.test(name))
    .map((name) => `assets/${name}`);
  const total = all.reduce((sum, file) => sum + gzipBytes(file), 0);
  const entry = initial.find((file) => file.endsWith('.js')) ?? '';
  return [
    {
      case: `entry + ${initial.length - 1} preloads/CSS, gzip`,
      medianMs: kB(initial.reduce((sum, file) => sum + gzipBytes(file), 0)),
      baseline: `all ${all.length} chunks, gzip`,
      baselineMs: kB(total),
      target: '≤ 200 kB',
    },
    {
      case: 'entry chunk alone, gzip',
      medianMs: kB(gzipBytes(entry)),
      baseline: `all ${all.length} chunks, gzip`,
      baselineMs: kB(total),
    },
  ];
}

/** First contentful paint of the page's current navigation, in ms from navigation start. */
async function firstPaint(page: Page): Promise<number> {
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, {
    timeout: 60_000,
  });
  return page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
  );
}

/**
 * The shell's first paint in Chromium (the development host, empty store), against a static page with one line
 * of text served the same way: the difference is what the shell's JavaScript costs before anything shows.
 */
export async function firstPaintRows(runs: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cu-bench-paint-'));
  const plainDir = join(dir, 'plain');
  mkdirSync(plainDir);
  writeFileSync(
    join(plainDir, 'index.html'),
    '<!doctype html><title>plain</title><h1>Connection Utility</h1>',
  );
  const plain = await serveStatic(plainDir);
  const host = await launchRendererHost({ userDataDir: dir, headless: true });
  try {
    const plainPage = await host.page.context().newPage();
    const shell: number[] = [];
    const bare: number[] = [];
    // Run -1 warms the caches on both pages and is not counted.
    for (let run = -1; run < runs; run += 1) {
      await host.page.reload();
      const shellMs = await firstPaint(host.page);
      await plainPage.goto(`${plain.url}index.html`);
      const bareMs = await firstPaint(plainPage);
      if (run >= 0) {
        shell.push(shellMs);
        bare.push(bareMs);
      }
    }
    return [
      {
        case: 'shell first contentful paint',
        medianMs: median(shell),
        baseline: 'static one-line page',
        baselineMs: median(bare),
      },
    ];
  } finally {
    await host.close();
    await plain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds the app as shipped, then measures what the window loads before its first paint, and that paint. */
export async function bundleBench(runs: number): Promise<[title: string, rows: Row[], unit: string][]> {
  execFileSync(process.execPath, [resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return [
    ['Renderer JavaScript and CSS before the first paint (out/renderer, gzip)', bundleSizes(), 'kB'],
    ['Shell first paint in Chromium (empty store)', await firstPaintRows(runs), 'median ms'],
  ];
}
