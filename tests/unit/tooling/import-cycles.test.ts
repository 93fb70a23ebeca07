/**
 * No import cycles among the modules of core, electron and renderer (issue 15 part 5: the
 * launch↔report and perf↔plan cycles). A cycle makes load order matter (a module can read
 * another's binding before it is initialised) and means two modules are really one. Only
 * imports that exist at run time count: `import type`, imports whose every name is `type`, and
 * dynamic `import()` (loaded later, on use) do not. Files are parsed by the TypeScript compiler
 * (a devDependency), not matched with regexes, so a commented-out import is not an import.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOTS = ['core', 'electron', 'renderer'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|vue)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The script of a single-file component (its <script> blocks), or the file itself. */
function scriptText(path: string): string {
  const text = readFileSync(path, 'utf8');
  if (!path.endsWith('.vue')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** Whether an import or re-export declaration brings in anything at run time. */
function loadsAtRunTime(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return false;
    const clause = node.exportClause;
    return !(
      clause &&
      ts.isNamedExports(clause) &&
      clause.elements.length > 0 &&
      clause.elements.every((element) => element.isTypeOnly)
    );
  }
  const clause = node.importClause;
  if (!clause) return true; // a side-effect import
  if (clause.isTypeOnly) return false;
  if (clause.name) return true;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.length === 0 || bindings.elements.some((e) => !e.isTypeOnly);
}

/** The repository file a relative specifier names, if it is one of ours. */
function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = normalize(join(dirname(from), specifier));
  const candidates = [base, `${base}.ts`, `${base}.vue`, join(base, 'index.ts')];
  const stripped = base.replace(/\.js$/, '');
  if (stripped !== base) candidates.push(`${stripped}.ts`);
  return candidates.find((candidate) => /\.(ts|vue)$/.test(candidate) && existsSync(candidate));
}

function runTimeImports(path: string): string[] {
  const source = ts.createSourceFile(path, scriptText(path), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier) || !loadsAtRunTime(statement)) continue;
    const target = resolveRelative(path, specifier.text);
    if (target) found.push(target);
  }
  return found;
}

/** Strongly connected components of more than one module (Tarjan), each a cycle to break. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfImport = graph.get(node)?.includes(node) ?? false;
      if (component.length > 1 || selfImport) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

describe('import cycles', () => {
  it('finds a cycle when there is one (the detector itself)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('no module of core, electron or renderer imports itself back at run time', () => {
    const graph = new Map(ROOTS.flatMap(sourceFiles).map((file) => [file, runTimeImports(file)]));
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph).map((component) => component.join(' ↔ '))).toEqual([]);
  });
});
