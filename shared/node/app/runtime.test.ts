import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The app runs on the Node inside Electron 45 (the 24 line); the tests must run on that line too, whatever Node
// the machine has (package.json pins the npm package `node`, whose binary npm scripts find first on PATH).
describe('the runtime the tests run on', () => {
  it('is Node 24, the line Electron 45 embeds', () => {
    expect(process.versions.node).toMatch(/^24\./);
  });

  it('has what the app relies on: node:sqlite and the operating system trust store', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    expect(new DatabaseSync(':memory:').prepare('select 1 as one').get()).toEqual({ one: 1 });
    const tls = await import('node:tls');
    expect(Array.isArray(tls.getCACertificates('system'))).toBe(true);
  });

  it('installs the dependencies without an engine warning on the Node it ships with', () => {
    const npmCli = findNpmCli();
    const run = spawnSync(process.execPath, [npmCli, 'install', '--dry-run', '--no-audit', '--no-fund'], {
      cwd: join(import.meta.dirname, '../../..'),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(`${run.stdout}\n${run.stderr}`).not.toContain('EBADENGINE');
  }, 130_000);

  it('states the same requirement in engines as the README', () => {
    const root = join(import.meta.dirname, '../../..');
    const engines = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(engines);
  });
});

/** npm's own entry point: the one running this test under npm, else the one beside the machine's npm. */
function findNpmCli(): string {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm?.endsWith('.js') && existsSync(fromNpm)) return fromNpm;
  const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  return join(dirname(realpathSync(which)), 'npm-cli.js');
}
