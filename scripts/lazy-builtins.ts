import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import type { Plugin } from 'esbuild';

// How the CLI bundle reaches Node's built-in modules, so that a command loads only the ones it uses. An ES
// import of a built-in builds its ES facade, which reads every export and so loads what the lazy ones stand for
// (process.stdin, crypto.webcrypto, readline…), and node:crypto alone takes about 5 ms to load. So:
// - a named import of plain functions (`import { randomUUID } from 'node:crypto'`) gets functions that load the
//   module on their first call;
// - a default import of a module that is a plain object (`import fs from 'node:fs'`) gets an object that loads
//   it on first use;
// - anything else (classes, constants, require() in CommonJS dependencies) gets the module itself, through
//   process.getBuiltinModule (no facade).

const builtin = new RegExp(
  `^(node:)?(${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})$`,
);

interface ImportShape {
  named: string[];
  hasDefault: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** How `source` imports `specifier`, or null when it does so in a way this plugin does not read. */
function importShape(source: string, specifier: string): ImportShape | null {
  const from = `from\\s*['"]${escapeRegExp(specifier)}['"]`;
  const all = [...source.matchAll(new RegExp(`import\\s+([^;]*?)\\s*${from}`, 'g'))].map((m) => m[1] ?? '');
  if (all.length === 0) return null;
  const named: string[] = [];
  let hasDefault = false;
  for (const clause of all) {
    const match = /^(?:(type\s+)?([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([^}]*)\})?$/.exec(clause.trim());
    if (!match) return null;
    if (match[1]) continue;
    if (match[2]) hasDefault = true;
    for (const item of (match[3] ?? '').split(',')) {
      const name = item.trim();
      if (!name || name.startsWith('type ')) continue;
      const imported = name.split(/\s+as\s+/)[0];
      if (!imported || imported === 'default') return null;
      named.push(imported);
    }
  }
  return { named, hasDefault };
}

/** Whether the built-in's exports `names` are functions called, never constructed (lower-case, no methods). */
function plainFunctions(module: Record<string, unknown>, names: readonly string[]): boolean {
  return names.every((name) => {
    const value = module[name];
    return (
      typeof value === 'function' &&
      /^[a-z]/.test(name) &&
      (value.prototype === undefined || Object.getOwnPropertyNames(value.prototype).length <= 1)
    );
  });
}

function lazyModule(id: string, names: readonly string[], withDefault: boolean): string {
  return [
    `let loaded; const m = () => (loaded ??= process.getBuiltinModule(${JSON.stringify(id)}));`,
    ...names.map((name) => `export function ${name}(...args) { return m().${name}(...args); }`),
    ...(withDefault
      ? [
          'export default new Proxy({}, {',
          '  get: (_, key) => m()[key], set: (_, key, value) => Reflect.set(m(), key, value),',
          '  has: (_, key) => key in m(), ownKeys: () => Reflect.ownKeys(m()),',
          '  getOwnPropertyDescriptor: (_, key) => {',
          '    const found = Reflect.getOwnPropertyDescriptor(m(), key);',
          '    return found && { ...found, configurable: true };',
          '  },',
          '});',
        ]
      : []),
  ].join('\n');
}

export const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(build) {
    const sources = new Map<string, string>();
    const sourceOf = (path: string) => {
      let text = sources.get(path);
      if (text === undefined) {
        text = readFileSync(path, 'utf8');
        sources.set(path, text);
      }
      return text;
    };
    build.onResolve({ filter: builtin }, (args) => {
      const id = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
      const shape = args.kind === 'import-statement' ? importShape(sourceOf(args.importer), args.path) : null;
      const real = process.getBuiltinModule(id) as Record<string, unknown> | undefined;
      const lazyDefault =
        shape?.hasDefault === true && typeof real === 'object' && real !== null && !('default' in real);
      if (shape && real && (!shape.hasDefault || lazyDefault) && plainFunctions(real, shape.named)) {
        const names = [...new Set(shape.named)].sort();
        return {
          path: `${id}?${names.join(',')}${shape.hasDefault ? '&default' : ''}`,
          namespace: 'lazy-builtin',
        };
      }
      return { path: id, namespace: 'builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const [id = '', rest = ''] = args.path.split('?');
      const [list = '', withDefault] = rest.split('&');
      return {
        contents: lazyModule(id, list ? list.split(',') : [], withDefault === 'default'),
        loader: 'js',
      };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};
