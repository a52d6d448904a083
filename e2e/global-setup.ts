import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The specs drive the built renderer (and, with Electron, the built main): build once per run. */
export default function globalSetup(): void {
  if (process.env.CU_E2E_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, [resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
