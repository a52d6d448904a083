import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findElectronBinary } from './electron-binary';

export type ElectronDownload = { ok: true; binary: string } | { ok: false; sentence: string };

const defaultSource = 'https://github.com/electron/electron/releases/download/';
const tenMinutes = 10 * 60_000;

/** Where @electron/get downloads from: ELECTRON_MIRROR (or its npm config twin), else GitHub. */
function sourceHost(env: NodeJS.ProcessEnv): string {
  const source = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || defaultSource;
  try {
    return new URL(source).host;
  } catch {
    return source;
  }
}

/** The first line of the installer's error that says something (not a stack frame), without the error's class. */
function firstReason(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text && !text.startsWith('at '));
  return (line ?? 'no message').replace(/^[A-Za-z]*Error: /, '').slice(0, 200);
}

/** One sentence on why the download failed, and what to do next. */
export function explainDownloadFailure(
  failure: { stderr: string; timedOut: boolean; version: string },
  env: NodeJS.ProcessEnv = process.env,
): string {
  const host = sourceHost(env);
  const reason = firstReason(failure.stderr);
  const why = failure.timedOut
    ? `the download from ${host} took longer than ten minutes`
    : /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up/i.test(
          failure.stderr,
        )
      ? `this computer cannot reach ${host} (${reason})`
      : /checksum|sha256/i.test(failure.stderr)
        ? `the file from ${host} does not match Electron's published checksum (${reason})`
        : `the installer stopped with: ${reason}`;
  return [
    `The Electron ${failure.version} runtime could not be downloaded: ${why}.`,
    'Next: run "npm run install-electron" where the internet is reachable (HTTPS_PROXY is honoured; ELECTRON_MIRROR',
    `names another download host), or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron ${failure.version};`,
    'without Electron, "npm run dev:host" opens the same window in Chromium.',
  ].join('\n');
}

/** The installer's exit, its error output, and whether it ran out of time. */
function runInstaller(
  script: string,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ status: number | null; stderr: string; timedOut: boolean }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script], { ...options, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString('utf8');
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, tenMinutes);
    child.once('error', (error) => {
      stderr += error.message;
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      done({ status, stderr, timedOut });
    });
  });
}

/**
 * Runs the electron package's own installer (node_modules/electron/install.js), which fetches the ~100 MB runtime
 * once, and turns its failure (a bare `TypeError: fetch failed` without a network) into one sentence.
 */
export async function downloadElectron(
  projectRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ElectronDownload> {
  const packageDir = join(projectRoot, 'node_modules', 'electron');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const behindProxy = Boolean(env.HTTPS_PROXY || env.https_proxy || env.ALL_PROXY || env.all_proxy);
  const install = await runInstaller(join(packageDir, 'install.js'), {
    cwd: projectRoot,
    // @electron/get goes through a proxy only when asked to.
    env: behindProxy && !env.ELECTRON_GET_USE_PROXY ? { ...env, ELECTRON_GET_USE_PROXY: 'true' } : env,
  });
  const binary = install.status === 0 ? findElectronBinary(projectRoot, env) : null;
  if (binary) return { ok: true, binary };
  return { ok: false, sentence: explainDownloadFailure({ ...install, version }, env) };
}
