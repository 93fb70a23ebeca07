/**
 * No export that nothing imports (issue 15 part 5): an export is part of a module's contract,
 * and one nobody uses is dead weight that hides the real interface. knip is not installed, so
 * this is a regex scan, not the TypeScript compiler API: each `export` declaration (and each
 * name of an `export { … }` list) in core, electron and renderer must be named in some other
 * file of the repository (sources, tests, scripts, config), as an import, a re-export or a
 * dynamic `import()`'s destructuring. Matching by name errs towards "used" (a namesake in
 * another file counts), never towards a false alarm.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Folders whose exports are checked. */
const CHECKED_ROOTS = ['core', 'electron', 'renderer'];
/** Folders whose files may use them. */
const USER_ROOTS = [...CHECKED_ROOTS, 'tests', 'scripts'];

/**
 * Entry points: loaded by Electron, Vite or Node by path, not imported by name, so their
 * exports answer to those tools.
 */
const ENTRY_POINTS = new Set([
  'electron/main/index.ts',
  'electron/preload/index.ts',
  'electron/cli.ts',
  'electron/serve.ts',
  'renderer/main.ts',
]);

const DECLARED =
  /^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+(\w+)/gm;
const LISTED = /^export\s+(?:type\s+)?\{([^}]*)\}/gm;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path);
    return /\.(ts|vue|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

const topLevel = readdirSync('.').filter((name) => /\.(ts|mjs|js)$/.test(name));
const texts = new Map(
  [...USER_ROOTS.flatMap(files), ...topLevel].map((file) => [file, readFileSync(file, 'utf8')]),
);

/** The names a file exports. */
function exportedNames(text: string): string[] {
  const declared = [...text.matchAll(DECLARED)].map((match) => match[1]!);
  const listed = [...text.matchAll(LISTED)].flatMap((match) =>
    match[1]!
      .split(',')
      .map((part) => part.replace(/^\s*type\s+/, '').trim())
      .filter((part) => part !== '')
      .map((part) => part.split(/\s+as\s+/).at(-1)!),
  );
  return [...declared, ...listed];
}

function unusedExports(): string[] {
  const unused: string[] = [];
  for (const [file, text] of texts) {
    if (!CHECKED_ROOTS.some((root) => file.startsWith(`${root}/`))) continue;
    if (!file.endsWith('.ts') || ENTRY_POINTS.has(file)) continue;
    for (const name of exportedNames(text)) {
      // A value list behind an exported union (`type X = (typeof XS)[number]`) is that union's
      // source of truth (STYLE.md habit 11): it stays exported with it.
      if (text.includes(`typeof ${name})`)) continue;
      const word = new RegExp(`\\b${name.replaceAll('$', '\\$')}\\b`);
      const named = [...texts].some(([other, otherText]) => other !== file && word.test(otherText));
      if (!named) unused.push(`${file} ${name}`);
    }
  }
  return unused;
}

describe('exports', () => {
  it('has no export that no other file names', () => {
    expect(unusedExports()).toEqual([]);
  });

  it('finds an export nobody names (the scan itself works)', () => {
    const probe = 'export const NOBODY_IMPORTS_THIS_PROBE = 1;\nexport { a as b, type C };\n';
    expect(exportedNames(probe)).toEqual(['NOBODY_IMPORTS_THIS_PROBE', 'b', 'C']);
    const word = /\bNOBODY_IMPORTS_THIS_PROBE\b/;
    expect([...texts.values()].filter((text) => word.test(text))).toHaveLength(1);
  });
});
