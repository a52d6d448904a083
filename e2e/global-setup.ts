import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { acquireSamba, sambaInfoVariable } from './fixtures/samba/shared-samba';

/**
 * The specs drive the built renderer (and, with Electron, the built main): build once per run. The AD specs
 * need the run's Samba DC: the one `npm test` started, or one started here for a lone `npm run test:e2e`.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.CU_E2E_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, [resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const samba = await acquireSamba();
  process.env[sambaInfoVariable] ??= join(samba.info.dir, 'samba-dc.json');
  return samba.release;
}
