import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildAgent } from './build-agent';

const root = resolve(import.meta.dirname, '..');

describe('electron-builder.yml', () => {
  const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));

  it('packages only the build output into an asar, under the product name', () => {
    expect(config).toMatchObject({
      appId: expect.stringMatching(/^[a-z]+(\.[a-z]+)+$/),
      productName: 'Connection Utility',
      asar: true,
    });
    expect(config.files.filter((pattern: string) => !pattern.startsWith('!'))).toEqual([
      'out/**/*',
      'package.json',
    ]);
  });

  it('targets Windows nsis and portable, macOS dmg, Linux AppImage and deb', () => {
    expect(config.win.target).toEqual(['nsis', 'portable']);
    expect(config.mac.target).toBe('dmg');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('ships the Remote Agent as a separate program beside the app', () => {
    expect(config.extraResources).toEqual([
      expect.objectContaining({ from: 'out-agent/remote-agent', to: 'remote-agent' }),
    ]);
  });

  it('holds no signing secret', () => {
    const text = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    expect(text).not.toMatch(/CSC_|certificatePassword|cscKeyPassword|appleIdPassword|-----BEGIN/i);
  });
});

describe('the packaged Remote Agent', () => {
  it('runs from its bundle alone: health, the Swagger page and its files, the API key', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'cu-agent-bundle-')), 'remote-agent');
    const entry = await buildAgent(outDir);
    // Nothing from the checkout: run it from a folder with no node_modules in reach.
    const dataDir = mkdtempSync(join(tmpdir(), 'cu-agent-data-'));
    const agent = spawn(process.execPath, [entry, '--host', '127.0.0.1', '--port', '0', '--data', dataDir], {
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((done, fail) => {
        agent.stdout.once('data', (data: Buffer) =>
          done(JSON.parse(data.toString().split('\n')[0] ?? '{}').url),
        );
        agent.once('exit', (code) => fail(new Error(`the bundled agent exited with ${code}`)));
      });
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      const page = await fetch(`${url}/swagger/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('swagger');
      expect((await fetch(`${url}/swagger/static/swagger-ui.css`)).status).toBe(200);
      expect((await fetch(`${url}/api/connections`)).status).toBe(401);
      const key = readFileSync(join(dataDir, 'api-key'), 'utf8').trim();
      const listed = await fetch(`${url}/api/connections`, { headers: { authorization: `Bearer ${key}` } });
      expect(listed.status).toBe(200);
    } finally {
      agent.kill('SIGTERM');
    }
  }, 60_000);

  it('is not tied to the checkout: the bundle imports no workspace path', () => {
    const outDir = join(root, 'out-agent', 'remote-agent');
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build-agent.ts')], { cwd: root });
    expect(readFileSync(join(outDir, 'agent.mjs'), 'utf8')).not.toContain(root);
  }, 60_000);
});
