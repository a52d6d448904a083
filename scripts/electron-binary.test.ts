import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-binary';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cu-electron-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

describe('findElectronBinary', () => {
  it('is null when the package was installed but the binary never downloaded (this machine)', () => {
    expect(findElectronBinary(project({ 'node_modules/electron/index.js': '' }), {})).toBeNull();
  });

  it('is null when path.txt names a binary that is missing', () => {
    expect(findElectronBinary(project({ 'node_modules/electron/path.txt': 'electron' }), {})).toBeNull();
  });

  it('finds the downloaded binary that path.txt names', () => {
    const root = project({
      'node_modules/electron/path.txt': 'electron',
      'node_modules/electron/dist/electron': '',
    });
    expect(findElectronBinary(root, {})).toBe(join(root, 'node_modules/electron/dist/electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const root = project({ 'node_modules/electron/path.txt': 'electron', 'custom/electron': '' });
    const env = { ELECTRON_OVERRIDE_DIST_PATH: join(root, 'custom') };
    expect(findElectronBinary(root, env)).toBe(join(root, 'custom/electron'));
    expect(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: join(root, 'nowhere') })).toBeNull();
  });
});
