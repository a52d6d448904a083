import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyDocScreenshots, describeMissing, docScreenshots } from './docs-screenshots';

// The documents are part of the product: CI runs the README's command, and a stale path or a renamed screenshot
// misleads the next reader. Every check collects all offenders, so one run names them all.

const root = resolve(import.meta.dirname, '..');
const imagesDir = join(root, 'docs', 'images');
const read = (path: string) => readFileSync(path, 'utf8');
const inRepo = (path: string) => path === root || path.startsWith(root + sep);

const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Markdown without fenced code blocks: a command line is not a link. */
const withoutFences = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '');

interface Link {
  image: boolean;
  target: string;
}

function linksOf(markdown: string): Link[] {
  const text = withoutFences(markdown).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((match) => ({
    image: match[1] === '!',
    target: match[2] ?? '',
  }));
}

/** The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (match[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n += 1) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

const headingsOf = (markdown: string) =>
  new Set([...withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)].map((match) => match[1]));

/** Every text file git knows, or will once added: tracked, and new files that are not ignored. */
function repositoryTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  return [...new Set(listed.split('\0').filter(Boolean))].filter((file) => {
    const path = join(root, file);
    if (!existsSync(path) || !statSync(path).isFile()) return false;
    return !readFileSync(path).subarray(0, 8000).includes(0);
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'artifacts' || entry.name === 'node_modules') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

function moduleFile(from: string, specifier: string): string {
  const base = resolve(from, specifier);
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find((path) => existsSync(path)) ?? base;
}

/**
 * The file names the specs' shot(page, name) calls write into e2e/artifacts: each call's literal name, placed
 * in the template of the shot() it calls (defined in the same file, or imported).
 */
function shotFileNames(): { names: Set<string>; unreadable: string[] } {
  const sources = filesUnder(join(root, 'e2e')).filter((path) => /\.tsx?$/.test(path));
  const templates = new Map<string, { before: string; after: string }>();
  for (const path of sources) {
    const text = read(path);
    const definition =
      /(?:function\s+shot\s*\(|const\s+shot\s*=\s*(?:async\s*)?\()\s*\w+\s*(?::\s*[\w.]+)?\s*,\s*(\w+)/.exec(
        text,
      );
    if (!definition) continue;
    const body = text.slice(definition.index).split(/\n\}/)[0] ?? '';
    const template = new RegExp(`\`([^\`$]*)\\$\\{${definition[1]}\\}([^\`$]*)\``).exec(body);
    if (template) templates.set(path, { before: template[1] ?? '', after: template[2] ?? '' });
  }
  const names = new Set<string>();
  const unreadable: string[] = [];
  for (const path of sources) {
    const text = read(path);
    const calls = [...text.matchAll(/\bshot\(\s*[\w.]+\s*,\s*(['"`])([^'"`$]+)\1\s*\)/g)];
    if (calls.length === 0) continue;
    const imported = /import\s*\{[^}]*\bshot\b[^}]*\}\s*from\s*'([^']+)'/.exec(text)?.[1];
    const template =
      templates.get(path) ?? (imported ? templates.get(moduleFile(dirname(path), imported)) : undefined);
    if (!template) {
      unreadable.push(relative(root, path));
      continue;
    }
    for (const call of calls) names.add(`${template.before}${call[2]}${template.after}`);
  }
  return { names, unreadable };
}

describe('README.md', () => {
  const readme = read(join(root, 'README.md'));

  it('stays under 8 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(8192);
  });

  it('gives the commands CI and a newcomer run, exactly', () => {
    expect(readme).toContain('```sh\nnpm install && npm start\n```');
    expect(readme).toContain('```sh\nnpm test\n```');
    expect(read(join(root, '.ci', 'run'))).toMatch(/^npm test$/m);
  });
});

describe('the documents', () => {
  it('link only to files and headings that exist in the repository', () => {
    const broken: string[] = [];
    for (const document of documents) {
      const markdown = read(join(root, document));
      for (const { target } of linksOf(markdown)) {
        if (/^[a-z][a-z\d+.-]*:/i.test(target)) continue;
        const [path = '', anchor] = target.split('#');
        const file = path ? resolve(root, dirname(document), decodeURI(path)) : join(root, document);
        if (!inRepo(file) || !existsSync(file)) {
          broken.push(`${document}: ${target} (no such file)`);
        } else if (anchor && file.endsWith('.md') && !anchorsOf(read(file)).has(anchor)) {
          broken.push(`${document}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('name only repository paths that exist', () => {
    const topFolders = new Set(
      readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !/^(\.|node_modules$|out)/.test(entry.name))
        .map((entry) => entry.name),
    );
    const stale: string[] = [];
    for (const document of documents) {
      const text = withoutFences(read(join(root, document)));
      for (const [, path = ''] of text.matchAll(/`([^`\s<>*…]+)`/g)) {
        if (!path.includes('/') || !topFolders.has(path.split('/')[0] ?? '')) continue;
        if (/^(e2e\/artifacts|docs\/images)\b/.test(path)) continue;
        if (!existsSync(join(root, path))) stale.push(`${document}: ${path}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it('show only screenshots that an end-to-end spec takes with shot(), all of them used', () => {
    const { names: shots, unreadable } = shotFileNames();
    expect(unreadable, 'specs calling a shot() whose file name this test cannot read').toEqual([]);
    const shown = new Set<string>();
    for (const document of documents) {
      for (const { image, target } of linksOf(read(join(root, document)))) {
        const file = resolve(root, dirname(document), target);
        if (image && dirname(file) === imagesDir) shown.add(relative(imagesDir, file));
      }
    }
    const listed = new Set(docScreenshots);
    const onDisk = existsSync(imagesDir) ? readdirSync(imagesDir) : [];
    expect({
      listedButNotAShot: [...listed].filter((name) => !shots.has(name)),
      shownButNotListed: [...shown].filter((name) => !listed.has(name)),
      listedButNotShown: [...listed].filter((name) => !shown.has(name)),
      inDocsImagesButNotAShot: onDisk.filter((name) => !shots.has(name)),
      inDocsImagesButNotShown: onDisk.filter((name) => !shown.has(name)),
    }).toEqual({
      listedButNotAShot: [],
      shownButNotListed: [],
      listedButNotShown: [],
      inDocsImagesButNotAShot: [],
      inDocsImagesButNotShown: [],
    });
  });
});

describe('the repository', () => {
  const files = repositoryTextFiles();
  // Assembled here so that this file does not name them itself.
  const handbook = new RegExp(
    `\\b(?:${['PRODUCT', 'ARCHITECTURE', 'STYLE', 'REFERENCE-ENTRA'].join('|')})\\.md\\b`,
  );

  it('refers to no file outside itself: a clone is all that CI and users have', () => {
    const outside: string[] = [];
    for (const file of files) {
      const text = read(join(root, file));
      if (handbook.test(text)) outside.push(`${file}: ${handbook.exec(text)?.[0]}`);
      for (const [reference] of text.matchAll(/(?:\.\.[\\/])+[^\s'"`)\]}>,;|*]*/g)) {
        const target = resolve(root, dirname(file), reference.replaceAll('\\', '/'));
        if (!inRepo(target)) outside.push(`${file}: ${reference}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('points only at documents and sections that exist', () => {
    const missing: string[] = [];
    for (const file of files) {
      const text = read(join(root, file));
      for (const [mention, document = ''] of text.matchAll(/\b(docs\/[\w-]+\.md)\b/g)) {
        if (!existsSync(join(root, document))) missing.push(`${file}: ${mention}`);
      }
      for (const [, document = '', section = ''] of text.matchAll(
        /\b(docs\/[\w-]+\.md), ([A-Z][\w ]*?)\)/g,
      )) {
        const path = join(root, document);
        if (existsSync(path) && !headingsOf(read(path)).has(section))
          missing.push(`${file}: ${document}, ${section}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('npm run docs:screenshots', () => {
  it('copies nothing and names every missing screenshot when one is absent', () => {
    const from = mkdtempSync(join(tmpdir(), 'cu-docs-from-'));
    const to = join(mkdtempSync(join(tmpdir(), 'cu-docs-to-')), 'images');
    writeFileSync(join(from, 'a.png'), 'a');
    const outcome = copyDocScreenshots(from, to, ['a.png', 'b.png', 'c.png']);
    expect(outcome).toEqual({ ok: false, missing: ['b.png', 'c.png'] });
    expect(existsSync(to)).toBe(false);
    expect(describeMissing(['b.png', 'c.png'], from)).toMatch(/2 screenshot\(s\).*b\.png, c\.png.*test:e2e/);
  });

  it('copies every listed screenshot when all are there', () => {
    const from = mkdtempSync(join(tmpdir(), 'cu-docs-from-'));
    const to = join(mkdtempSync(join(tmpdir(), 'cu-docs-to-')), 'images');
    for (const name of ['a.png', 'b.png']) writeFileSync(join(from, name), name);
    expect(copyDocScreenshots(from, to, ['a.png', 'b.png'])).toEqual({
      ok: true,
      copied: ['a.png', 'b.png'],
    });
    expect(readdirSync(to).sort()).toEqual(['a.png', 'b.png']);
    expect(read(join(to, 'b.png'))).toBe('b.png');
  });
});
