import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCli } from '../scripts/build-cli';
import { median, printTable, type Row } from './measure';

const root = resolve(import.meta.dirname, '..');

/** Wall time of one process from spawn to exit; a failed run throws, so a broken CLI cannot look fast. */
function timed(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', fail);
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) done(ms);
      else fail(new Error(`${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

/**
 * Start-up of the CLI as users run it (cli/bin.mjs → out/cli, compile cache on), against starting Node with
 * nothing to do, measured in the same loop so that both see the same machine load; the TypeScript sources
 * through tsx (what `npm run cli` ran before) for reference. Two untimed rounds first: the bundle's compile
 * cache is filled, as it is after a user's first run.
 */
export async function cliBench(runs: number): Promise<Row[]> {
  await buildCli();
  const dataDir = mkdtempSync(join(tmpdir(), 'cu-bench-cli-'));
  const env = { ...process.env, CU_USER_DATA: dataDir };
  const cases = {
    node: ['-e', '0'],
    appInfo: [join(root, 'cli', 'bin.mjs'), 'app', 'info', '--json'],
    help: [join(root, 'cli', 'bin.mjs'), '--help'],
    tsx: ['--import', 'tsx', join(root, 'cli', 'main.ts'), 'app', 'info', '--json'],
  } as const;
  const times: Record<keyof typeof cases, number[]> = { node: [], appInfo: [], help: [], tsx: [] };
  try {
    for (let round = -2; round < runs; round += 1) {
      for (const [name, args] of Object.entries(cases) as [keyof typeof cases, readonly string[]][]) {
        const ms = await timed(args, env);
        if (round >= 0) times[name].push(ms);
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const baseline = { baseline: 'node -e 0', baselineMs: median(times.node) };
  return [
    {
      case: 'app info --json (bundle, cli/bin.mjs)',
      medianMs: median(times.appInfo),
      ...baseline,
      target: '≤ 3×',
    },
    { case: '--help (bundle, cli/bin.mjs)', medianMs: median(times.help), ...baseline },
    { case: 'app info --json (tsx cli/main.ts, before)', medianMs: median(times.tsx), ...baseline },
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  printTable(
    'CLI start-up (process spawn to exit)',
    await cliBench(process.argv.includes('--quick') ? 5 : 20),
  );
}
