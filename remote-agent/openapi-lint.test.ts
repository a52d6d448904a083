import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { killAgents, startAgent, stopAgents } from './fixtures/agent-process';

// The document a real agent serves, linted by Redocly's CLI as an integrator's CI would: the recommended rules
// plus those of remote-agent/redocly.yaml, with no error and no warning beyond the committed exceptions.

const run = promisify(execFile);
const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const configFile = join(import.meta.dirname, 'redocly.yaml');
const ignoreFile = join(import.meta.dirname, '.redocly.lint-ignore.yaml');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

afterAll(killAgents);

describe('the served OpenAPI document', { timeout: 60_000 }, () => {
  it('passes Redocly’s recommended rules: 0 errors, 0 warnings', async () => {
    const agent = await startAgent([
      '--port',
      '0',
      '--data',
      mkdtempSync(join(tmpdir(), 'cu-openapi-lint-')),
    ]);
    let document: string;
    try {
      document = await (await fetch(`${agent.ready.url}/swagger/json`)).text();
    } finally {
      await stopAgents();
    }
    // Under the name the ignore file gives, beside copies of the configuration that Redocly looks up.
    const folder = mkdtempSync(join(tmpdir(), 'cu-openapi-lint-'));
    writeFileSync(join(folder, 'openapi.snapshot.json'), document);
    copyFileSync(configFile, join(folder, 'redocly.yaml'));
    copyFileSync(ignoreFile, join(folder, '.redocly.lint-ignore.yaml'));
    const { stdout } = await run(
      process.execPath,
      [redocly, 'lint', 'openapi.snapshot.json', '--config', 'redocly.yaml', '--format', 'json'],
      // Loopback only: no usage report, no version check.
      {
        cwd: folder,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1)) as LintReport;
    const found = report.problems.map(
      ({ severity, ruleId, message, location }) =>
        `${severity} ${ruleId} at ${location[0]?.pointer ?? '?'}: ${message}`,
    );
    expect(found).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    // Every exception is one the ignore file lists: nothing is ignored by accident.
    expect(report.totals.ignored).toBe(ignoredEntries().length);
  });

  it('gives a reason for every exception in the ignore file', () => {
    const entries = ignoredEntries();
    expect(entries.filter((entry) => !entry.reason)).toEqual([]);
  });
});

/** Each rule the ignore file switches off for a place, with the comment right above it. */
function ignoredEntries(): { rule: string; pointer: string; reason: string }[] {
  const lines = readFileSync(ignoreFile, 'utf8').split('\n');
  const entries: { rule: string; pointer: string; reason: string }[] = [];
  let rule = '';
  let reason = '';
  lines.forEach((line, index) => {
    const ruleName = /^ {2}([a-z0-9-]+):\s*$/.exec(line)?.[1];
    if (ruleName) {
      rule = ruleName;
      reason = /^\s*#\s*(.+)$/.exec(lines[index - 1] ?? '')?.[1] ?? '';
    }
    const pointer = /^ {4}- '?([^']+)'?\s*$/.exec(line)?.[1];
    if (pointer) entries.push({ rule, pointer, reason });
  });
  return entries;
}
