/**
 * One formatter per quantity (issue 15 part 4, STYLE.md habit 12): bytes, bandwidth, tokens/s,
 * durations, parameter counts, percentages, token amounts and metrics are written by core/units
 * alone, and the CLI, reports and renderer call those functions. A regex scan of the sources
 * (not the compiler API: definitions are found by name, which is what a reviewer greps for)
 * fails when a second definition appears, when a face renames a core formatter on import, or
 * when code reaches for ICU (`toLocaleString`, `Intl`), whose first call costs start-up time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE_ROOTS = ['core', 'electron', 'renderer'];

/** The formatters, each defined once, in the file that holds its quantity. */
const CANONICAL: Readonly<Record<string, string>> = {
  formatBytes: 'core/units/bytes.ts',
  formatBytesNumber: 'core/units/bytes.ts',
  formatBandwidth: 'core/units/bytes.ts',
  formatInteger: 'core/units/numbers.ts',
  formatTokensPerSecond: 'core/units/numbers.ts',
  formatParams: 'core/units/numbers.ts',
  formatTokens: 'core/units/numbers.ts',
  formatTokenAmount: 'core/units/numbers.ts',
  formatTeraOps: 'core/units/numbers.ts',
  formatPercent: 'core/units/numbers.ts',
  formatMetric: 'core/units/numbers.ts',
  formatSnr: 'core/units/numbers.ts',
  formatDuration: 'core/units/duration.ts',
  // A scan's countdown ("2 min 05 s"), beside the progress arithmetic it reads.
  formatTimeLeft: 'core/quantlab/scan-progress.ts',
};

/**
 * Names a formatter of one of these quantities goes by, with or without a `format`/`fmt`
 * prefix: the aliases the review found (`billions`, `sizeNumber`, `tokensPerSecond`,
 * `duration`, `percent`, `teraOps`) and their obvious siblings.
 */
const QUANTITY_NAME =
  /^(?:format|fmt)?(?:bytes?|bytesNumber|size|sizeNumber|gb|gib|bandwidth|gbps|tokensPerSecond|tokPerSec|tps|rate|duration|seconds|time|timeLeft|params?|paramCount|billions|millions|percent|percentage|pct|tokens|tokenAmount|teraOps|tflops|integer|metric|snr)$/i;

/** Number-to-text conversions: a function that uses one writes a quantity itself. */
const WRITES_NUMBERS = /\.toFixed\(|\.toPrecision\(|\.toExponential\(|toLocaleString\(|\bIntl\./;

/** `function name(` or `const name = (…) =>` / `const name = x =>`, with the text after it. */
const DEFINITION =
  /\bfunction\s+(\w+)\s*[<(]|\bconst\s+(\w+)\s*(?::[^=\n]+)?=\s*(?:async\s*)?(?:\([^)]*\)\s*(?::\s*[^=\n]+?)?=>|\w+\s*=>)/g;

interface Definition {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  /** The definition's text: an arrow's statement, or a function up to its closing brace. */
  readonly body: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|vue)$/.test(entry.name) ? [path] : [];
  });
}

const sources = SOURCE_ROOTS.flatMap(sourceFiles).map((file) => ({
  file,
  text: readFileSync(file, 'utf8'),
}));

function definitions(): Definition[] {
  return sources.flatMap(({ file, text }) =>
    [...text.matchAll(DEFINITION)].map((match) => {
      const start = match.index;
      const lineStart = text.lastIndexOf('\n', start) + 1;
      const indent = /^\s*/.exec(text.slice(lineStart, start))![0];
      // A function ends at the brace under its first line; an arrow at its statement's end.
      const end = match[1] ? text.indexOf(`\n${indent}}`, start) : text.indexOf(';\n', start);
      return {
        file,
        line: text.slice(0, start).split('\n').length,
        name: (match[1] ?? match[2])!,
        body: text.slice(start, end === -1 ? undefined : end + 2),
      };
    }),
  );
}

const where = (d: Definition): string => `${d.file}:${d.line} ${d.name}`;

describe('one formatter per quantity', () => {
  const found = definitions();

  it('defines each core formatter once, where its quantity lives', () => {
    for (const [name, file] of Object.entries(CANONICAL)) {
      expect(found.filter((d) => d.name === name).map(where)).toEqual([
        expect.stringMatching(new RegExp(`^${file.replaceAll('.', '\\.')}:\\d+ ${name}$`)),
      ]);
    }
  });

  it('has no second formatter of a quantity outside core/units', () => {
    const seconds = found.filter(
      (d) =>
        QUANTITY_NAME.test(d.name) && WRITES_NUMBERS.test(d.body) && CANONICAL[d.name] !== d.file,
    );
    expect(seconds.map(where)).toEqual([]);
  });

  it('imports core formatters under their own names', () => {
    const renamed = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/\b(format[A-Z]\w*)\s+as\s+(\w+)/g)]
        .filter((match) => match[1]! in CANONICAL)
        .map((match) => `${file}: ${match[1]} as ${match[2]}`),
    );
    expect(renamed).toEqual([]);
  });

  it('never starts ICU to group digits', () => {
    const icu = sources.filter(({ text }) => /toLocaleString\(|\bIntl\./.test(text));
    expect(icu.map(({ file }) => file)).toEqual([]);
  });

  it('finds a second definition when one appears (the scan itself works)', () => {
    const planted = 'const billions = (count: number): string => `${(count / 1e9).toFixed(2)} B`;';
    const match = [...planted.matchAll(DEFINITION)][0]!;
    expect(match[2]).toBe('billions');
    expect(QUANTITY_NAME.test('billions') && WRITES_NUMBERS.test(planted)).toBe(true);
  });
});
