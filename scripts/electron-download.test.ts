import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort } from '../shared/node/fixtures/closed-port';
import { downloadElectron, explainDownloadFailure } from './electron-download';

const root = resolve(import.meta.dirname, '..');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/**
 * A project holding only the electron package's installer, so the download is attempted even where the real
 * project already has its runtime; its dependencies resolve from this project's node_modules.
 */
function projectWithoutRuntime(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'cu-electron-download-'));
  made.push(dir);
  const packageDir = join(dir, 'node_modules', 'electron');
  mkdirSync(packageDir, { recursive: true });
  for (const file of ['install.js', 'package.json', 'checksums.json'])
    copyFileSync(join(root, 'node_modules', 'electron', file), join(packageDir, file));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_PATH: join(root, 'node_modules') };
  // An empty download cache: a cached archive would be installed without any network.
  env.electron_config_cache = join(dir, 'cache');
  return { dir, env };
}

function expectOneSentenceAndNextStep(sentence: string): void {
  expect(sentence).not.toMatch(/TypeError|\n\s+at /);
  expect(sentence).toContain('npm run install-electron');
  expect(sentence).toContain('npm run dev:host');
}

describe('downloadElectron', () => {
  it('says in a sentence that the download host cannot be reached, instead of a stack', async () => {
    const { dir, env } = projectWithoutRuntime();
    const port = await closedPort();
    const result = await downloadElectron(dir, { ...env, ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });
    expect(result.ok).toBe(false);
    const sentence = result.ok ? '' : result.sentence;
    expect(sentence.split('\n')[0]).toMatch(
      new RegExp(
        `^The Electron [\\d.]+ runtime could not be downloaded: this computer cannot reach 127\\.0\\.0\\.1:${port} `,
      ),
    );
    expectOneSentenceAndNextStep(sentence);
  }, 60_000);

  it('goes through HTTPS_PROXY, as the sentence promises', async () => {
    const { dir, env } = projectWithoutRuntime();
    const tunnels: string[] = [];
    const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client) => {
      tunnels.push(String(req.url));
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    try {
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
      const result = await downloadElectron(dir, { ...env, HTTPS_PROXY: proxyUrl });
      expect(result.ok).toBe(false);
      expect(tunnels[0]).toMatch(/^github\.com:443$/);
    } finally {
      await new Promise((done) => proxy.close(done));
    }
  }, 60_000);
});

describe('explainDownloadFailure', () => {
  it('names a slow download and a checksum mismatch for what they are', () => {
    const timedOut = explainDownloadFailure({ stderr: '', timedOut: true, version: '45.5.0' }, {});
    expect(timedOut).toContain('the download from github.com took longer than ten minutes');
    const checksum = explainDownloadFailure(
      {
        stderr: 'Error: Generated checksum for "electron.zip" did not match expected checksum.\n    at x',
        timedOut: false,
        version: '45.5.0',
      },
      {},
    );
    expect(checksum).toContain('does not match Electron');
    expectOneSentenceAndNextStep(checksum);
  });
});
