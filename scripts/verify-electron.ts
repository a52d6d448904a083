import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findElectronBinary } from './electron-binary';
import { ensureSystemPackages } from './system-packages';

// `npm run verify:electron`: the pre-release check on a machine where Electron is installed — the real app under
// Xvfb through Playwright's _electron, running the Foundation smoke spec and the AD wizard spec, with screenshots.

const root = resolve(import.meta.dirname, '..');
const specs = ['e2e/specs/shell.spec.ts', 'e2e/specs/active-directory.spec.ts'];

function main(): number {
  const binary = findElectronBinary(root);
  if (!binary) {
    console.error(
      [
        'verify:electron needs the Electron runtime, and it is not installed here.',
        'On a machine with internet access, "npm install" followed by "npm run install-electron" (or "npm start")',
        'downloads it into node_modules/electron/dist; ELECTRON_OVERRIDE_DIST_PATH may point at an unpacked one.',
        'Then run "npm run verify:electron" again. (Without Electron, "npm test" covers the same specs in Chromium.)',
      ].join('\n'),
    );
    return 1;
  }
  const display = Boolean(process.env.DISPLAY);
  if (!display && !ensureSystemPackages([{ package: 'xvfb', provides: '/usr/bin/xvfb-run' }])) return 1;
  console.log(
    `Electron: ${binary}\nRunning ${specs.join(', ')} in the real app${display ? '' : ' under Xvfb'}…`,
  );
  const playwright = ['npx', '--no-install', 'playwright', 'test', ...specs];
  const [command, ...args] = (display ? playwright : ['xvfb-run', '-a', ...playwright]) as [
    string,
    ...string[],
  ];
  const run = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    // The fixture must not fall back to Chromium here: this run is about Electron.
    env: { ...process.env, CU_REQUIRE_ELECTRON: '1', ELECTRON_ENABLE_LOGGING: '1' },
  });
  if (run.status === 0 && existsSync(resolve(root, 'e2e/artifacts'))) {
    console.log('Screenshots: e2e/artifacts/');
  }
  return run.status ?? 1;
}

process.exit(main());
