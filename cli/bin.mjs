#!/usr/bin/env node
// `connection-utility` and `npm run cli`: the bundled CLI, out/cli/cli.mjs (scripts/build-cli.ts). In a checkout
// the bundle is rebuilt first when it is missing or any of its sources is newer than it (a fraction of a
// second, once); otherwise this only starts it, with Node's compile cache so that later starts skip compiling.

// Built-ins through getBuiltinModule, not import: an import would build each one's ES facade, which reads every
// lazy export (and so loads streams, readline, workers…) before the CLI has done anything.
const { existsSync, readFileSync, statSync } = process.getBuiltinModule('node:fs');
const { enableCompileCache } = process.getBuiltinModule('node:module');
const { fileURLToPath } = process.getBuiltinModule('node:url');

const root = new URL('../', import.meta.url);
const bundle = new URL('out/cli/cli.mjs', root);
const builder = new URL('scripts/build-cli.ts', root);

/** Whether a source listed in build-info.json changed after the build started. */
function stale() {
  let info;
  try {
    info = JSON.parse(readFileSync(new URL('out/cli/build-info.json', root), 'utf8'));
  } catch {
    return true;
  }
  // Paths, not URLs: converting a hundred URLs costs more than the stats. A deleted source changed the file
  // that imported it, so a missing one decides nothing by itself.
  const rootPath = fileURLToPath(root);
  return info.inputs.some(
    (input) => (statSync(rootPath + input, { throwIfNoEntry: false })?.mtimeMs ?? 0) > info.builtAt,
  );
}

/** tsx, when this checkout has its development dependencies and so can build; else null. */
function typeScriptLoader() {
  try {
    import.meta.resolve('esbuild');
    return import.meta.resolve('tsx');
  } catch {
    return null;
  }
}

function build(loader) {
  try {
    process
      .getBuiltinModule('node:child_process')
      .execFileSync(process.execPath, ['--import', loader, fileURLToPath(builder)], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
  } catch {
    process.stderr.write('connection-utility: building the CLI failed (see above).\n');
    process.exit(1);
  }
}

const inCheckout = existsSync(builder);
if (inCheckout ? stale() : !existsSync(bundle)) {
  const loader = inCheckout ? typeScriptLoader() : null;
  if (loader) build(loader);
  else if (!existsSync(bundle)) {
    process.stderr.write(
      'connection-utility: the CLI is not built (out/cli/cli.mjs): run "npm run build:cli".\n',
    );
    process.exit(2);
  }
}
enableCompileCache?.();
await import(bundle.href);
