import { defineConfig } from 'vitest/config';

// Vitest as StrykerJS runs it (stryker.config.mjs names the test files of each target): no global setup, so no
// Samba and no Entra emulator start, and none of the suites that need them, spawn whole processes or kill them
// in loops. Those still run in `npm test`; here each mutant must be judged in seconds.

export default defineConfig({
  test: {
    // The chosen target's test files (stryker.config.mjs sets them); all candidates when run by hand.
    include: process.env.CU_MUTATION_TESTS?.split(',') ?? ['{electron,shared,cli,remote-agent}/**/*.test.ts'],
    exclude: [
      'node_modules/**',
      'out/**',
      'e2e/**',
      'renderer/**',
      '**/*.integration.test.ts',
      '**/*.crash.test.ts',
      '**/*.concurrency.test.ts',
      '**/*.bundle.test.ts',
      'cli/bundle.test.ts',
      // Need the emulator through inject('entra').
      'shared/node/entra/https-client.test.ts',
      'shared/node/ipc/handlers/entra.test.ts',
      'shared/node/ipc/handlers/test-history.test.ts',
    ],
    environment: 'node',
    reporters: ['default'],
  },
});
