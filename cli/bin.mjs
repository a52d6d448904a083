#!/usr/bin/env node
// The installed command runs the bundle that `npm run build` writes; in a checkout, `npm run --silent cli -- <args>`
// runs the TypeScript sources directly.
import { existsSync } from 'node:fs';

const bundle = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    'connection-utility: the CLI is not built yet. Run "npm run build" first, or use "npm run --silent cli -- <args>" in a checkout.\n',
  );
  process.exit(2);
}
await import(bundle.href);
