import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// `npm run mutation [-- TARGET…] [--concurrency N] [--force]`: StrykerJS over the security and data core, one
// target of stryker.config.mjs after another (all of them by default), then one table of scores per file. Exits
// non-zero when a target fails to run or a file scores under 90 %. Not part of `npm test`.

interface Target {
  name: string;
  mutate: string[];
  tests: string[];
}

/** The statuses of mutation-testing-report-schema, as Stryker's JSON reporter writes them. */
type Status =
  | 'Killed'
  | 'Timeout'
  | 'Survived'
  | 'NoCoverage'
  | 'CompileError'
  | 'RuntimeError'
  | 'Ignored'
  | 'Pending';

interface Report {
  files: Record<string, { mutants: { status: Status }[] }>;
}

interface Score {
  target: string;
  file: string;
  counts: Record<Status, number>;
  /** (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker computes its score. */
  percent: number;
}

const root = resolve(import.meta.dirname, '..');
const threshold = 90;

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function scoresOf(target: string, report: Report): Score[] {
  return Object.entries(report.files).map(([file, { mutants }]) => {
    const counts = {
      Killed: 0,
      Timeout: 0,
      Survived: 0,
      NoCoverage: 0,
      CompileError: 0,
      RuntimeError: 0,
      Ignored: 0,
      Pending: 0,
    } satisfies Record<Status, number>;
    for (const mutant of mutants) counts[mutant.status] += 1;
    const detected = counts.Killed + counts.Timeout;
    const valid = detected + counts.Survived + counts.NoCoverage;
    return { target, file, counts, percent: valid === 0 ? 100 : (detected / valid) * 100 };
  });
}

function table(scores: Score[]): string {
  const lines = [
    '| file | target | killed | timeout | survived | no coverage | not compiling | score |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { file, target, counts, percent } of scores) {
    lines.push(
      `| ${file} | ${target} | ${counts.Killed} | ${counts.Timeout} | ${counts.Survived} | ${counts.NoCoverage} | ${counts.CompileError} | ${percent.toFixed(1)} %${percent < threshold ? ' ✗' : ''} |`,
    );
  }
  return lines.join('\n');
}

const config = (await import(pathToFileURL(join(root, 'stryker.config.mjs')).href)) as { targets: Target[] };
const named = process.argv
  .slice(2)
  .filter((arg, index, all) => !arg.startsWith('--') && all[index - 1] !== '--concurrency');
const unknown = named.filter((name) => !config.targets.some((target) => target.name === name));
if (unknown.length) {
  console.error(
    `No mutation target ${unknown.join(', ')}. Targets: ${config.targets.map((t) => t.name).join(', ')}.`,
  );
  process.exit(2);
}
const targets = named.length
  ? config.targets.filter((target) => named.includes(target.name))
  : config.targets;

// The installed CLI; CU_STRYKER_BIN points at another installation (e.g. one made outside the repository).
const stryker = process.env.CU_STRYKER_BIN ?? join(root, 'node_modules', '.bin', 'stryker');
if (!existsSync(stryker)) {
  console.error(`StrykerJS is not installed (${stryker}). Run npm install, then npm run mutation again.`);
  process.exit(2);
}
const extra = [
  ...(option('--concurrency') ? ['--concurrency', option('--concurrency') as string] : []),
  ...(process.argv.includes('--force') ? ['--force'] : []),
];

const started = performance.now();
const scores: Score[] = [];
const failed: string[] = [];
for (const target of targets) {
  const began = performance.now();
  console.log(
    `\n=== mutation: ${target.name} (${target.mutate.length} file part(s), ${target.tests.length} test file(s))`,
  );
  const status = spawnSync(stryker, ['run', 'stryker.config.mjs', ...extra], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CU_MUTATION_TARGET: target.name },
  }).status;
  const reportFile = join(root, 'reports', 'mutation', target.name, 'mutation.json');
  if (status !== 0 || !existsSync(reportFile)) {
    failed.push(target.name);
    continue;
  }
  scores.push(...scoresOf(target.name, JSON.parse(readFileSync(reportFile, 'utf8')) as Report));
  console.log(`=== ${target.name}: ${((performance.now() - began) / 60_000).toFixed(1)} min`);
}

const minutes = ((performance.now() - started) / 60_000).toFixed(1);
const summary = `${table(scores)}\n\n${targets.length} target(s) in ${minutes} min; HTML reports in reports/mutation/<target>/index.html\n`;
console.log(`\nMutation score per file (target ≥ ${threshold} %)\n\n${summary}`);
mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
writeFileSync(join(root, 'reports', 'mutation', 'scores.md'), summary);
if (failed.length) console.error(`Stryker failed for: ${failed.join(', ')}`);
const low = scores.filter((score) => score.percent < threshold);
if (low.length) console.error(`Under ${threshold} %: ${low.map((score) => score.file).join(', ')}`);
process.exit(failed.length || low.length ? 1 : 0);
