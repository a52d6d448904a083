import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEntraEmulator } from '../e2e/fixtures/entra-emulator/emulator';
import { defaultSeed, SeedSchema } from '../e2e/fixtures/entra-emulator/seed';

// `npm run --silent emulator -- [--port P] [--seed FILE] [--out DIR]`: prints one JSON line once it answers.
const { values } = parseArgs({
  options: { port: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } },
  strict: true,
});
const seed = values.seed ? SeedSchema.parse(JSON.parse(readFileSync(values.seed, 'utf8'))) : defaultSeed;
const emulator = await startEntraEmulator({
  seed,
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(values.out ? { outDir: values.out } : {}),
});
const { url, caFile, tenants } = emulator;
process.stdout.write(`${JSON.stringify({ url, caFile, tenants })}\n`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
