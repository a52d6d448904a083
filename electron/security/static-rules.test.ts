import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|tsx)$/.test(name) && !name.endsWith('.test.ts'))
    .map((name) => join(root, dir, name));
}

describe('the Electron security checklist, from the code', () => {
  it('never uses the remote module', () => {
    for (const file of [...sources('electron'), ...sources('renderer/src')]) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(
        /@electron\/remote|enableRemoteModule|require\(['"]electron['"]\)\.remote/,
      );
    }
  });

  it('ships a strict Content Security Policy', () => {
    const html = readFileSync(join(root, 'renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(
      csp.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('enters IPC only through registerIpcEntry (its order, sender check first, is tested in ipc-entry.test.ts)', () => {
    const main = readFileSync(join(root, 'electron/main.ts'), 'utf8');
    expect(main).toMatch(/registerIpcEntry\(ipcMain, \{/);
    expect(main.match(/ipcMain\./g)).toBeNull();
    for (const file of sources('electron').filter((name) => !name.endsWith('ipc-entry.ts')))
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/ipcMain\.(handle|on|once)\(/);
  });
});
