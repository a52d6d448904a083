import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { findElectronBinary } from './electron-binary';
import { downloadElectron } from './electron-download';

// `npm start`: build, then open the app in Electron, or explain why it cannot.

const projectRoot = resolve(import.meta.dirname, '..');

/** npm installs the electron package without its runtime; the first start fetches it once, where it can. */
async function fetchElectron(): Promise<string | null> {
  console.error('The Electron runtime is not installed yet; downloading it once (about 100 MB)…');
  const result = await downloadElectron(projectRoot);
  if (result.ok) return result.binary;
  // The sentence says why and what to do next (install elsewhere, a mirror or proxy, or the development host).
  console.error(`Connection Utility cannot start without it.\n${result.sentence}`);
  return null;
}

const binary = findElectronBinary(projectRoot) ?? (await fetchElectron());
if (!binary) process.exit(1);

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The build failed (see above); Connection Utility was not started.');
  process.exit(build.status ?? 1);
}
const app = spawnSync(binary, [projectRoot], { cwd: projectRoot, stdio: 'inherit' });
process.exit(app.status ?? 1);
