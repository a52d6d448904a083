import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

describe('npm run verify:electron', () => {
  it('without an Electron runtime, exits 1 and says how to get one instead of testing Chromium', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/verify-electron.ts')], {
      cwd: root,
      encoding: 'utf8',
      // An empty override folder: no binary, whatever is installed on this machine.
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: mkdtempSync(join(tmpdir(), 'cu-no-electron-')) },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('verify:electron needs the Electron runtime');
    expect(run.stderr).toContain('npm run install-electron');
    expect(run.stdout).not.toContain('Running');
  }, 30_000);
});
