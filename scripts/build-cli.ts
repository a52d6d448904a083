import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { lazyBuiltins } from './lazy-builtins';

// `npm run build:cli` (and `npm run build`): the CLI as plain JavaScript in out/cli/, which cli/bin.mjs runs.
// An entry that parses the command line and answers `app info`, and a chunk with every handler (LDAP, MSAL, the
// store) that the entry imports only when a command calls one. build-info.json lists the sources, so that
// cli/bin.mjs can tell in a checkout whether the bundle is older than them and rebuild it once.

const root = resolve(import.meta.dirname, '..');
export const cliOutDir = join(root, 'out', 'cli');

/** The facts cli/bin.mjs reads: when the build started, and what went into it (paths from the root). */
export interface CliBuildInfo {
  builtAt: number;
  inputs: string[];
}

/**
 * zod ships every language of its error messages and imports them all for `z.locales`, which nothing here
 * uses; its English messages (`config(en())`) come from their own module. Only English is bundled.
 */
const englishOnlyZod: Plugin = {
  name: 'english-only-zod',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(args.resolveDir, '..', 'locales', 'en.js'), namespace: 'zod-english' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: root,
    }));
  },
};

export async function buildCli(outDir = cliOutDir): Promise<string> {
  const builtAt = Date.now();
  // Written beside the live folder, then swapped in: a CLI starting meanwhile finds the old or the new one.
  const staging = `${outDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const { metafile } = await build({
    entryPoints: { cli: join(root, 'cli', 'main.ts') },
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    plugins: [englishOnlyZod, lazyBuiltins],
  });
  // Our sources one by one; the dependencies through the file npm rewrites on every install.
  const sources = Object.keys(metafile.inputs)
    .filter((input) => !input.includes(':') && !input.includes('node_modules/'))
    .map((input) => relative(root, resolve(root, input)).split('\\').join('/'));
  const info: CliBuildInfo = {
    builtAt,
    inputs: [...sources, 'scripts/build-cli.ts', 'package-lock.json', 'node_modules/.package-lock.json'],
  };
  writeFileSync(join(staging, 'build-info.json'), `${JSON.stringify(info)}\n`);
  const previous = `${outDir}.${process.pid}.old`;
  rmSync(previous, { recursive: true, force: true });
  try {
    renameSync(outDir, previous);
  } catch {
    // First build: nothing to set aside.
  }
  try {
    renameSync(staging, outDir);
  } catch (error) {
    // Another build of the same sources swapped its folder in first: keep that one.
    if (!existsSync(join(outDir, 'cli.mjs'))) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(previous, { recursive: true, force: true });
  return join(outDir, 'cli.mjs');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const entry = await buildCli();
  process.stdout.write(`CLI built: ${relative(process.cwd(), entry)}\n`);
}
