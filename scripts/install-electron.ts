import { resolve } from 'node:path';
import { findElectronBinary } from './electron-binary';
import { downloadElectron } from './electron-download';

// `npm run install-electron`: fetch the Electron runtime ahead of the first `npm start`, or say in one sentence
// why it cannot be fetched here (electron's own `npx install-electron` prints a bare stack instead).

const projectRoot = resolve(import.meta.dirname, '..');
if (!findElectronBinary(projectRoot))
  console.log('Downloading the Electron runtime once (about 100 MB) into node_modules/electron/dist…');
const result = await downloadElectron(projectRoot);
if (result.ok) {
  console.log(`The Electron runtime is installed: ${result.binary}`);
} else {
  console.error(result.sentence);
  process.exitCode = 1;
}
