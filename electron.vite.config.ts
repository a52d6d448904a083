import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Rollup } from 'vite';

// zod ships comments that Rollup cannot place; they are harmless and drown real warnings.
function onwarn(warning: Rollup.RollupLog, warn: (warning: Rollup.RollupLog) => void): void {
  if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
}

/**
 * React, which the shell needs, and zod, which only the lazily loaded dialogs need, change less often than the
 * app: chunks of their own. The rest is left to Rollup, which keeps what only the dialogs use (tabs, radios, the
 * dialog machinery) out of the shell's chunks; a broader vendor chunk would pull all of it into the first load.
 */
function rendererVendorChunk(id: string): string | undefined {
  if (/[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/.test(id)) return 'react';
  if (/[\\/]node_modules[\\/]zod[\\/]/.test(id)) return 'zod';
  return undefined;
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        onwarn,
        // The CLI is bundled on its own (scripts/build-cli.ts, into out/cli).
        input: { index: resolve('electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot load ES modules or node_modules: one self-contained CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        onwarn,
        input: { index: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified; the window parses every byte before its first paint.
      minify: true,
      rollupOptions: {
        onwarn,
        input: { index: resolve('renderer/index.html') },
        output: { manualChunks: rendererVendorChunk },
      },
    },
  },
});
