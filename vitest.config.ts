import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{electron,shared,cli,tools,renderer,remote-agent,scripts,e2e}/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'out/**', 'e2e/specs/**'],
    environment: 'node',
    globalSetup: ['e2e/fixtures/vitest-global-setup.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/unit-results.json' }]],
  },
});
