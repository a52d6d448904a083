import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

// `npm run build:agent`: the Remote Agent as a separate Node program — one bundled file plus the Swagger UI's
// static files — in out-agent/remote-agent/, which electron-builder ships as an extra resource.

const root = resolve(import.meta.dirname, '..');

export async function buildAgent(outDir = join(root, 'out-agent', 'remote-agent')): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const entry = join(outDir, 'agent.mjs');
  await build({
    entryPoints: [join(root, 'remote-agent', 'main.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    legalComments: 'none',
    logLevel: 'warning',
    // The CommonJS dependencies (Fastify and friends) expect require and __dirname.
    banner: {
      js: [
        "import { createRequire as __cuCreateRequire } from 'node:module';",
        "import { dirname as __cuDirname } from 'node:path';",
        "import { fileURLToPath as __cuFileUrlToPath } from 'node:url';",
        'const require = __cuCreateRequire(import.meta.url);',
        'const __filename = __cuFileUrlToPath(import.meta.url);',
        'const __dirname = __cuDirname(__filename);',
      ].join('\n'),
    },
  });
  cpSync(join(root, 'node_modules', '@fastify', 'swagger-ui', 'static'), join(outDir, 'swagger-ui'), {
    recursive: true,
  });
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(
    join(outDir, 'package.json'),
    `${JSON.stringify({ name: 'connection-utility-agent', version, private: true, type: 'module', bin: { 'connection-utility-agent': 'agent.mjs' }, engines: { node: '^22.16.0 || >=24.0.0' } }, null, 2)}\n`,
  );
  return entry;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const entry = await buildAgent();
  process.stdout.write(`Remote Agent built: ${entry}\n`);
}
