import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEntraEmulator } from '../e2e/fixtures/entra-emulator/emulator';
import { defaultSeed, SeedSchema } from '../e2e/fixtures/entra-emulator/seed';

// `npm run --silent emulator -- [--port P] [--seed FILE] [--out DIR] [--propagation-delay-ms MS]`: prints one
// JSON line on stdout once it answers; MFA codes and refused key proofs follow on stderr, one JSON line each.
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'propagation-delay-ms': { type: 'string' },
  },
  strict: true,
});
const delay = values['propagation-delay-ms'];
if (delay !== undefined && !/^\d+$/.test(delay)) {
  process.stderr.write('--propagation-delay-ms takes a whole number of milliseconds, e.g. 0 or 3000.\n');
  process.exit(2);
}
const seed = values.seed ? SeedSchema.parse(JSON.parse(readFileSync(values.seed, 'utf8'))) : defaultSeed;
const emulator = await startEntraEmulator({
  seed,
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(values.out ? { outDir: values.out } : {}),
  ...(delay !== undefined ? { propagationDelayMs: Number(delay) } : {}),
});
const { url, caFile, tenants, controls, settings } = emulator;
process.stdout.write(`${JSON.stringify({ url, caFile, tenants, controls, settings })}\n`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
