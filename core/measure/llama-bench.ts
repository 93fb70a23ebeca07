import { HeadroomError } from '../errors';
import { ggufFileTypeId } from './llama-log';
import { lineError, logLines, type LogLine } from './log-lines';
import type { MeasuredRun, MeasuredSpeed } from './types';

/**
 * llama-bench results (tools/llama-bench/llama-bench.cpp): one row per test — `pp512` (prompt
 * processing of 512 tokens), `tg128` (generating 128), `pp512+tg128` — in the markdown table it
 * prints by default or the JSON of `-o json` / `-o jsonl`. Rows of the same model and settings
 * make one run with its prompt and decode speeds. llama-bench prints no memory figure.
 */

interface BenchRow {
  readonly key: string;
  readonly model: string;
  readonly gpuLayers?: number;
  readonly device?: string;
  readonly promptTokens: number;
  readonly genTokens: number;
  readonly tokensPerSecond: number;
  readonly line: number;
}

function runsOf(
  rows: readonly BenchRow[],
  file: string,
  format: MeasuredRun['format'],
): MeasuredRun[] {
  const groups = new Map<string, BenchRow[]>();
  for (const row of rows) groups.set(row.key, [...(groups.get(row.key) ?? []), row]);
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const speed: { -readonly [K in keyof MeasuredSpeed]: MeasuredSpeed[K] } = {};
    const notes: string[] = ['llama-bench prints speeds only, no memory'];
    for (const row of group) {
      if (row.genTokens === 0) {
        speed.promptTokens = row.promptTokens;
        speed.promptTokensPerSecond = row.tokensPerSecond;
      } else if (row.promptTokens === 0) {
        speed.decodeTokens = row.genTokens;
        speed.decodeTokensPerSecond = row.tokensPerSecond;
      } else {
        notes.push(
          `pp${row.promptTokens}+tg${row.genTokens}: ${row.tokensPerSecond} t/s over both phases`,
        );
      }
    }
    const weightsFormat = ggufFileTypeId(first.model.split(/\s+/).slice(2).join(' '));
    return {
      id: `${file}#${first.line}`,
      format,
      engine: 'llama.cpp',
      model: first.model,
      device: first.device ?? null,
      deviceCount: 1,
      settings: {
        mode: 'inference',
        ...(weightsFormat ? { weightsFormat } : {}),
        ...(first.gpuLayers !== undefined ? { gpuLayers: first.gpuLayers } : {}),
      },
      memoryBytes: {},
      speed,
      source: { file, line: first.line },
      notes,
    } satisfies MeasuredRun;
  });
}

const cells = (line: LogLine): string[] =>
  line.text
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());

/**
 * Reads llama-bench's markdown table.
 *
 * @throws HeadroomError BAD_FILE naming a row whose test or t/s it cannot read, or a row cut short
 * @example parseLlamaBenchMarkdown(table, 'bench.md')[0].speed.decodeTokensPerSecond
 */
export function parseLlamaBenchMarkdown(text: string, file: string): MeasuredRun[] {
  const lines = logLines(text);
  const headerLine = lines.find((line) => /^\s*\|\s*model\s*\|/.test(line.text));
  if (!headerLine) {
    throw new HeadroomError('BAD_FILE', `${file}: no llama-bench table ("| model | size | … |")`);
  }
  const header = cells(headerLine);
  const column = (name: string): number => header.indexOf(name);
  const test = column('test');
  const rate = column('t/s');
  if (test < 0 || rate < 0) {
    throw lineError(file, headerLine, 'the llama-bench table has no "test" or "t/s" column');
  }
  const rows: BenchRow[] = [];
  for (const line of lines.slice(headerLine.number)) {
    if (!line.text.trim().startsWith('|')) continue;
    if (/^\s*\|\s*-/.test(line.text)) continue;
    const row = cells(line);
    if (row.length !== header.length) {
      throw lineError(
        file,
        line,
        `a row of ${row.length} cells under a header of ${header.length}`,
      );
    }
    const tokens = /^(?:pp(\d+))?(?:\+?tg(\d+))?(?:\s*@\s*d\d+)?$/.exec(row[test]!);
    const tokensPerSecond = /^([0-9.]+)(?:\s*±\s*[0-9.]+)?$/.exec(row[rate]!);
    if (!tokens || (!tokens[1] && !tokens[2]) || !tokensPerSecond) {
      throw lineError(file, line, 'a llama-bench row whose test or t/s Headroom cannot read');
    }
    const ngl = column('ngl') >= 0 ? Number(row[column('ngl')]) : undefined;
    rows.push({
      key: row.filter((_, index) => index !== test && index !== rate).join('|'),
      model: row[column('model')]!,
      ...(ngl !== undefined && Number.isFinite(ngl) ? { gpuLayers: ngl } : {}),
      promptTokens: Number(tokens[1] ?? 0),
      genTokens: Number(tokens[2] ?? 0),
      tokensPerSecond: Number(tokensPerSecond[1]),
      line: line.number,
    });
  }
  if (rows.length === 0) throw lineError(file, headerLine, 'a llama-bench table without rows');
  return runsOf(rows, file, 'llama-bench-markdown');
}

type Json = Record<string, unknown>;

/**
 * Reads llama-bench's `-o json` (an array) or `-o jsonl` (an object a line). Field names from
 * llama-bench.cpp's test::get_fields(): model_type, n_gpu_layers, n_prompt, n_gen, avg_ts, gpu_info.
 *
 * @throws HeadroomError BAD_FILE naming the line of a test that lacks n_prompt, n_gen or avg_ts
 */
export function parseLlamaBenchJson(text: string, file: string): MeasuredRun[] {
  const lines = logLines(text);
  const objects: { value: Json; line: LogLine }[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw lineError(file, lines[lines.length - 1]!, 'the llama-bench JSON ends before it closes');
    }
    if (!Array.isArray(parsed)) throw new HeadroomError('BAD_FILE', `${file}: not a JSON array`);
    // Each object starts at a line holding "{": point errors at that line.
    const starts = lines.filter((line) => line.text.trim().startsWith('{'));
    parsed.forEach((value, index) =>
      objects.push({ value: value as Json, line: starts[index] ?? lines[0]! }),
    );
  } else {
    for (const line of lines) {
      if (line.text.trim() === '') continue;
      try {
        objects.push({ value: JSON.parse(line.text) as Json, line });
      } catch {
        throw lineError(file, line, 'a line of llama-bench JSONL that is not JSON');
      }
    }
  }
  const rows = objects.map(({ value, line }): BenchRow => {
    const number = (name: string): number => {
      const field = value[name];
      if (typeof field !== 'number' || !Number.isFinite(field)) {
        throw lineError(file, line, `a llama-bench test without a number "${name}"`);
      }
      return field;
    };
    const model = typeof value['model_type'] === 'string' ? value['model_type'] : 'unknown model';
    const gpuInfo = typeof value['gpu_info'] === 'string' ? value['gpu_info'] : undefined;
    const ngl = value['n_gpu_layers'];
    return {
      key: JSON.stringify([model, value['model_filename'], ngl, value['n_batch'], value['type_k']]),
      model,
      ...(typeof ngl === 'number' ? { gpuLayers: ngl } : {}),
      ...(gpuInfo ? { device: gpuInfo } : {}),
      promptTokens: number('n_prompt'),
      genTokens: number('n_gen'),
      tokensPerSecond: number('avg_ts'),
      line: line.number,
    };
  });
  if (rows.length === 0) throw new HeadroomError('BAD_FILE', `${file}: no llama-bench tests`);
  return runsOf(rows, file, 'llama-bench-json');
}
