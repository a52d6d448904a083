import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { findElectronBinary } from './electron-binary';

// `npm start`: build, then open the app in Electron, or explain why it cannot.

const projectRoot = resolve(import.meta.dirname, '..');

/** npm installs the electron package without its runtime; the first start fetches it once, where it can. */
function downloadElectron(): string | null {
  console.error('The Electron runtime is not installed yet; downloading it once (about 100 MB)…');
  const install = spawnSync(process.execPath, [resolve(projectRoot, 'node_modules/electron/install.js')], {
    cwd: projectRoot,
    stdio: ['ignore', 'inherit', 'pipe'],
    timeout: 10 * 60_000,
  });
  if (install.status !== 0) {
    const reason =
      install.stderr
        ?.toString('utf8')
        .split('\n')
        .find((line) => line.trim()) ?? 'no answer';
    console.error(`The download failed: ${reason.trim()}\n`);
  }
  return findElectronBinary(projectRoot);
}

const binary = findElectronBinary(projectRoot) ?? downloadElectron();

if (!binary) {
  console.error(
    [
      'Connection Utility cannot start: the Electron runtime is not installed and could not be downloaded.',
      'npm installs the electron package but not its ~100 MB binary, which is fetched from the internet on the',
      'first start into node_modules/electron/dist (or taken from ELECTRON_OVERRIDE_DIST_PATH). On a machine',
      'with internet access run "npx install-electron" (or simply "npm start" again). Without Electron you can',
      'still open the same user interface, wired to the same main-process code, in Chromium: "npm run dev:host".',
    ].join('\n'),
  );
  process.exit(1);
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The build failed (see above); Connection Utility was not started.');
  process.exit(build.status ?? 1);
}
const app = spawnSync(binary, [projectRoot], { cwd: projectRoot, stdio: 'inherit' });
process.exit(app.status ?? 1);
