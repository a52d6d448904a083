import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { acquireSamba, sambaInfoVariable } from '../e2e/fixtures/samba/shared-samba';
import { ensureSystemPackages, testRequirements } from './system-packages';

// `npm test`: lint, type-check, unit and end-to-end tests, then one closing line that sums every suite.

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface Step {
  name: string;
  command: string[];
  /** Reads the runner's JSON report; steps without one count as a single check. */
  report?: { file: string; read(json: unknown): Counts };
}

const resultsDir = 'test-results';
const npx = (...args: string[]) => ['npx', '--no-install', ...args];

const steps: Step[] = [
  { name: 'lint', command: npx('biome', 'check', '.') },
  { name: 'type-check', command: ['npm', 'run', '--silent', 'typecheck'] },
  {
    name: 'unit',
    command: npx('vitest', 'run'),
    report: {
      file: join(resultsDir, 'unit-results.json'),
      read: (json) => {
        const r = json as {
          numPassedTests: number;
          numFailedTests: number;
          numPendingTests: number;
          numTodoTests: number;
        };
        return {
          passed: r.numPassedTests,
          failed: r.numFailedTests,
          skipped: r.numPendingTests + r.numTodoTests,
        };
      },
    },
  },
  {
    name: 'e2e',
    command: npx('playwright', 'test'),
    report: {
      file: join(resultsDir, 'e2e-results.json'),
      read: (json) => {
        const { stats } = json as {
          stats: { expected: number; unexpected: number; flaky: number; skipped: number };
        };
        return { passed: stats.expected, failed: stats.unexpected + stats.flaky, skipped: stats.skipped };
      },
    },
  },
  // Static checks of the built Electron app (the e2e step built it).
  { name: 'electronegativity', command: npx('tsx', 'scripts/electronegativity.ts') },
];

function runStep(step: Step): Counts & { ok: boolean } {
  if (step.report) rmSync(step.report.file, { force: true });
  console.log(`\n=== ${step.name}: ${step.command.join(' ')}`);
  const [command, ...args] = step.command as [string, ...string[]];
  const status = spawnSync(command, args, { stdio: 'inherit' }).status;
  if (!step.report) {
    return { ok: status === 0, passed: 0, failed: 0, skipped: 0 };
  }
  if (!existsSync(step.report.file)) {
    // The runner died before writing its report: count it as one failure rather than as nothing.
    return { ok: false, passed: 0, failed: 1, skipped: 0 };
  }
  const counts = step.report.read(JSON.parse(readFileSync(step.report.file, 'utf8')));
  return { ...counts, ok: status === 0 && counts.failed === 0 };
}

async function main(): Promise<number> {
  if (!ensureSystemPackages(testRequirements)) return 1;
  // One Samba AD DC for the whole run, shared by the unit and e2e runners through CU_SAMBA_INFO.
  console.log('\n=== starting a Samba AD domain controller on loopback');
  const samba = await acquireSamba();
  process.env[sambaInfoVariable] = join(samba.info.dir, 'samba-dc.json');
  const stop = () => void samba.release();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let results: (Counts & { ok: boolean; step: Step })[];
  try {
    results = steps.map((step) => ({ step, ...runStep(step) }));
  } finally {
    await samba.release();
  }
  const total = results.reduce(
    (sum, r) => ({
      passed: sum.passed + r.passed,
      failed: sum.failed + r.failed,
      skipped: sum.skipped + r.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log('\n=== summary');
  for (const r of results) {
    const counts = r.step.report ? ` (${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped)` : '';
    console.log(`${r.ok ? 'ok    ' : 'FAILED'} ${r.step.name}${counts}`);
  }
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return results.every((r) => r.ok) ? 0 : 1;
}

process.exitCode = await main();
