import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// cli/bin.mjs in a checkout of its own: a stand-in build script that counts its runs and writes a bundle that
// says which build made it, and one source file the bundle is said to be made of.

const root = resolve(import.meta.dirname, '..');

const standInBuild = `import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const root = new URL('../', import.meta.url);
const log = new URL('builds.log', root);
const count = (existsSync(log) ? readFileSync(log, 'utf8').split('\\n').filter(Boolean).length : 0) + 1;
appendFileSync(log, 'build\\n');
mkdirSync(new URL('out/cli/', root), { recursive: true });
const said = ['bundle', count].join(' ');
writeFileSync(new URL('out/cli/cli.mjs', root), 'process.stdout.write(' + JSON.stringify(said) + " + ' ' + process.argv.slice(2).join(' '));");
writeFileSync(new URL('out/cli/build-info.json', root), JSON.stringify({ builtAt: Date.now(), inputs: ['src/a.ts'] }));
`;

function checkout() {
  const dir = mkdtempSync(join(tmpdir(), 'cu-cli-bin-'));
  for (const folder of ['cli', 'scripts', 'src']) mkdirSync(join(dir, folder));
  copyFileSync(join(root, 'cli', 'bin.mjs'), join(dir, 'cli', 'bin.mjs'));
  writeFileSync(join(dir, 'scripts', 'build-cli.ts'), standInBuild);
  writeFileSync(join(dir, 'src', 'a.ts'), 'export {};\n');
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'junction');
  return dir;
}

function bin(dir: string, ...argv: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done, fail) => {
    execFile(
      process.execPath,
      [join(dir, 'cli', 'bin.mjs'), ...argv],
      { cwd: tmpdir() },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') fail(error);
        else done({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

const builds = (dir: string) =>
  readFileSync(join(dir, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;

describe('cli/bin.mjs', () => {
  it('builds the bundle on first use, then runs it as built while no source changes', async () => {
    const dir = checkout();
    expect(await bin(dir, 'app', 'info')).toMatchObject({ code: 0, stdout: 'bundle 1 app info' });
    expect(await bin(dir, 'app', 'info', '--json')).toMatchObject({
      code: 0,
      stdout: 'bundle 1 app info --json',
    });
    expect(builds(dir)).toBe(1);
  }, 30_000);

  it('rebuilds once when a source is newer than the bundle', async () => {
    const dir = checkout();
    await bin(dir, 'x');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'src', 'a.ts'), later, later);
    expect((await bin(dir, 'x')).stdout).toBe('bundle 2 x');
    expect(builds(dir)).toBe(2);
  }, 30_000);

  it('outside a checkout runs the bundle there is, and says how to build one when there is none', async () => {
    const dir = checkout();
    await bin(dir, 'x');
    rmSync(join(dir, 'scripts'), { recursive: true });
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'src', 'a.ts'), later, later);
    expect(await bin(dir, 'y')).toMatchObject({ code: 0, stdout: 'bundle 1 y' });
    rmSync(join(dir, 'out'), { recursive: true });
    const missing = await bin(dir, 'y');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('npm run build:cli');
  }, 30_000);
});
