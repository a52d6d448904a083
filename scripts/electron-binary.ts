import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const defaultExecutable: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

/**
 * Where the Electron executable is, or null when it has not been downloaded.
 * Mirrors node_modules/electron/index.js without requiring it: in 45.x requiring that module starts a
 * download when the binary is missing, which hangs or fails on machines without internet.
 */
export function findElectronBinary(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const packageDir = join(projectRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const executable = recorded || defaultExecutable[process.platform] || 'electron';
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, executable)
    : recorded
      ? join(packageDir, 'dist', recorded)
      : null;
  return candidate && existsSync(candidate) ? candidate : null;
}
