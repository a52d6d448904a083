// @ts-check
import { readFileSync } from 'node:fs';

// StrykerJS over the security and data core (`npm run mutation`, see docs/testing.md#mutation-testing). The run
// is split into six targets, each an area's source files with the test files that exist to test them: a mutant
// then runs only its own tests (per-test coverage inside that set), static mutants stay affordable, and one
// target can be run alone. Few targets, because each costs ~30 s of start-up (type checker, dry run). scripts/mutation.ts runs the targets one after another (CU_MUTATION_TARGET picks one here) and
// prints the score per file.

/**
 * `file:first-last` for the lines of a block: from the first line matching `from` to the end of its block (the
 * next line that closes at the same indentation), or to the first line after it matching `to`. Found by text, so
 * edits elsewhere in the file do not shift the range.
 * @param {string} file
 * @param {RegExp} from
 * @param {RegExp} [to]
 */
function block(file, from, to) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => from.test(line));
  if (start < 0) throw new Error(`stryker.config.mjs: ${from} is not in ${file} any more`);
  const indent = /^\s*/.exec(lines[start] ?? '')?.[0] ?? '';
  const closes = (/** @type {string} */ line) => line === `${indent}}` || line === `${indent}};`;
  const end = lines.findIndex((line, index) => index > start && (to ? to.test(line) : closes(line)));
  if (end < 0) throw new Error(`stryker.config.mjs: the block at ${file}:${start + 1} has no end`);
  return `${file}:${start + 1}-${end + 1}`;
}

const store = 'shared/node/connections/connection-store.ts';
const server = 'remote-agent/server.ts';

/**
 * @typedef {{ name: string, mutate: string[], tests: string[] }} Target
 * @type {Target[]}
 */
export const targets = [
  {
    name: 'ipc',
    mutate: [
      'shared/common/ipc/channel-map.ts',
      'shared/common/ipc/channel-names.ts',
      'shared/common/errors/app-error.ts',
      'shared/node/ipc/router.ts',
      'electron/ipc-entry.ts',
      'shared/node/ipc/trusted-sender.ts',
    ],
    tests: [
      'shared/common/ipc/channel-map.test.ts',
      'shared/common/ipc/response-extra-field.test.ts',
      'shared/common/errors/app-error.test.ts',
      'shared/node/ipc/router.test.ts',
      'shared/node/ipc/router.instances.test.ts',
      'electron/preload.test.ts',
      'electron/ipc-entry.test.ts',
      'shared/node/ipc/trusted-sender.test.ts',
      'shared/node/ipc/trusted-sender.parts.test.ts',
    ],
  },
  {
    name: 'secrets',
    // Of the store, only the parts that seal, open, bind and drop secrets are in scope.
    mutate: [
      'shared/node/storage/sealed-secrets.ts',
      'shared/node/crypto/aes-gcm.ts',
      'shared/node/connections/secret-binding.ts',
      block(store, /^ {2}async readSecret\(/),
      block(store, /^ {2}async boundSecret\(/),
      block(store, /^ {4}\/\/ The auth mode is part of the binding/, /^ {4}const key = typed/),
      block(store, /^ {6}let secret: RowSecret \| null = null;/, /^ {6}tx\.putRow\(record, secret\);/),
      block(store, /^ {2}async pinCertificate\(/),
      block(store, /^ {2}async saveAgentKey\(/),
      block(store, /^ {2}async readAgentKey\(/),
      block(store, /^ {2}async saveAgentPin\(/),
      block(store, /^ {2}async readAgentPin\(/),
      block(store, /^ {2}async readSetupJournal\(/),
      block(store, /^ {2}async saveSetupJournal\(/),
      block(store, /^ {2}private async dataKey\(/),
      block(store, /^ {2}private async ensureDataKey\(/),
      block(store, /^function seal\(/),
      block(store, /^function rebound\(/),
      block(store, /^function usableKey\(/),
      block(store, /^function isBound\(/),
    ],
    tests: [
      'shared/node/storage/sealed-secrets.test.ts',
      'shared/node/storage/sealed-secrets.format.test.ts',
      'shared/node/crypto/aes-gcm.test.ts',
      'shared/node/connections/secret-binding.test.ts',
      'shared/node/connections/connection-store.test.ts',
      'shared/node/connections/connection-store.binding.test.ts',
      'shared/node/connections/connection-store.moved-secret.test.ts',
      'shared/node/connections/connection-store-provider.test.ts',
      'shared/node/connections/connection-store.sealing.test.ts',
    ],
  },
  {
    name: 'tls',
    mutate: ['shared/node/agent/agent-tls.ts', 'shared/node/directory/verifying-tls.ts'],
    tests: [
      'shared/node/agent/agent-tls.test.ts',
      'shared/node/agent/agent-client.handshake.test.ts',
      'shared/node/agent/expiry-agent-certificate.test.ts',
      'shared/node/directory/verifying-tls.test.ts',
    ],
  },
  {
    name: 'agent-auth',
    mutate: [
      'remote-agent/api-key.ts',
      'remote-agent/failed-auth.ts',
      'remote-agent/allowed-hosts.ts',
      block(server, /^ {2}const guard = async /),
    ],
    tests: [
      'remote-agent/guarded-routes.test.ts',
      'remote-agent/allowed-hosts.test.ts',
      'remote-agent/api-key.test.ts',
      'remote-agent/failed-auth.test.ts',
      'remote-agent/server.test.ts',
      'remote-agent/key-command.test.ts',
      'remote-agent/agent-data-folder.test.ts',
    ],
  },
  {
    name: 'redaction',
    mutate: ['shared/node/logs/redact.ts', 'shared/common/secret-names.ts'],
    tests: [
      'shared/node/logs/redact.test.ts',
      'shared/node/logs/redact.instances.test.ts',
      'shared/node/logs/create-log.test.ts',
      'shared/common/errors/app-error.test.ts',
    ],
  },
  {
    name: 'files',
    mutate: [
      'shared/node/workflow-engine/routes-file.ts',
      'shared/node/storage/write-file-atomically.ts',
      'shared/node/storage/atomic-json-file.ts',
    ],
    tests: [
      'shared/node/workflow-engine/routes-file.test.ts',
      'shared/node/workflow-engine/routes-file.remove.test.ts',
      'shared/node/workflow-engine/routes-file.instances.test.ts',
      'shared/node/storage/write-file-atomically.test.ts',
      'shared/node/storage/atomic-json-file.test.ts',
      'shared/node/storage/atomic-json-file.integrity.test.ts',
      'shared/node/storage/atomic-json-file.instances.test.ts',
    ],
  },
];

const chosen = process.env.CU_MUTATION_TARGET;
const target = targets.find((candidate) => candidate.name === chosen);
if (chosen && !target) throw new Error(`stryker.config.mjs: no target ${chosen}`);
/** Without a target (a bare `stryker run`): every target's files and tests in one run. */
const selected = target ? [target] : targets;
const reportDir = `reports/mutation/${target ? target.name : 'all'}`;
// The test files go to vitest.mutation.config.ts (the test runner processes inherit this environment), not to
// Stryker's own `testFiles`: with `testFiles`, StrykerJS 10.1 activates static mutants only after the modules
// have loaded, so every static mutant would survive whatever the tests check.
process.env.CU_MUTATION_TESTS = [...new Set(selected.flatMap((each) => each.tests))].join(',');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Vitest does not type-check, so the sandbox needs no @ts-nocheck.
  disableTypeChecks: false,
  mutate: selected.flatMap((each) => each.mutate),
  coverageAnalysis: 'perTest',
  // The incremental file is git-ignored with the reports: it is a cache of this machine's last run (rewritten by
  // every run, so committed it would conflict on every branch); a fresh clone runs everything, within budget.
  incremental: true,
  incrementalFile: `${reportDir}/incremental.json`,
  // Two cores: one test runner each; the type checker shares them.
  concurrency: 2,
  // The machine is shared and the TLS, DNS and file-system tests wait on real sockets and disks.
  timeoutMS: 10_000,
  dryRunTimeoutMinutes: 10,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: `${reportDir}/index.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  // What the sandboxes need not copy: build output, reports, screenshots and the renderer (no test here uses it).
  ignorePatterns: [
    'out',
    'out-agent',
    'dist',
    'reports',
    'test-results',
    'playwright-report',
    'e2e/artifacts',
    'docs/images',
    'renderer',
  ],
};
