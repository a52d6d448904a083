import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** performance.now() when the process exited: what "within a second of the CLI" is measured from. */
  exitedAt: number;
}

/**
 * The real CLI, as `npm run cli` runs it (cli/bin.mjs: the bundle, rebuilt first if a source changed), in a
 * process of its own on the data folder `userDataDir`.
 */
export function runCli(userDataDir: string, ...argv: string[]): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'cli/bin.mjs'), ...argv], {
      cwd: root,
      env: { ...process.env, CU_USER_DATA: userDataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString('utf8');
    });
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString('utf8');
    });
    let exitedAt = 0;
    child.once('error', fail);
    child.once('exit', () => {
      exitedAt = performance.now();
    });
    // 'close' comes after the output is drained; the clock stopped at 'exit'.
    child.once('close', (code) => done({ code, stdout, stderr, exitedAt }));
  });
}

/** An export file, as Export... writes it, holding `connections`. */
export function exportFile(connections: object[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cu-e2e-cli-')), 'connections-export.json');
  writeFileSync(
    path,
    JSON.stringify({
      format: 'connection-utility/connections',
      version: 1,
      exportedAt: '2026-11-26T08:00:00Z',
      connections,
    }),
  );
  return path;
}
