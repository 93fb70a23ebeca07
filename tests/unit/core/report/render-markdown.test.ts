import { describe, expect, it } from 'vitest';
import { markdownCell, markdownTable } from '../../../../core/report/markdown-table';
import { renderReportMarkdown } from '../../../../core/report/render-markdown';
import { trainingPlan, weightsComparison } from './fixtures';
import { buildFitReport, reportHardware, reportModel } from '../../../../core/report';
import { requireCatalogDevice, requireCatalogModel } from '../../../../core/plan/lookups';
import { planFromRequest } from '../../../../core/plan/plan-request';

/**
 * The cells of a GFM table row: split on pipes that are not backslash-escaped (GitHub Flavored
 * Markdown spec 0.29, section 4.10 "Tables": a pipe inside a cell is written `\|`).
 */
function cellsOf(line: string): string[] {
  expect(line.startsWith('| ') && line.endsWith(' |')).toBe(true);
  const cells: string[] = [];
  let cell = '';
  for (let index = 1; index < line.length; index++) {
    const char = line[index]!;
    if (char === '\\') {
      cell += char + (line[index + 1] ?? '');
      index += 1;
    } else if (char === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  return cells;
}

/** Every table of a Markdown text, each as its header, delimiter and body rows. */
function tablesOf(text: string): string[][][] {
  const tables: string[][] = [];
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) (current ??= []).push(line);
    else if (current) {
      tables.push(current);
      current = null;
    }
  }
  if (current) tables.push(current);
  return tables.map((lines) => lines.map(cellsOf));
}

/** GFM delimiter row cells: dashes with optional alignment colons. */
const DELIMITER = /^:?-{3,}:?$/;

describe('Markdown report', () => {
  const text = renderReportMarkdown(weightsComparison());

  it('has only well-formed tables: a header, a delimiter row, rows as wide as the header', () => {
    const tables = tablesOf(text);
    // summary, model, devices, then per plan: memory, per device, assumptions.
    expect(tables.length).toBeGreaterThanOrEqual(3 + 3 * 3);
    for (const [header, delimiter, ...rows] of tables) {
      expect(delimiter!.length).toBe(header!.length);
      expect(delimiter!.every((cell) => DELIMITER.test(cell))).toBe(true);
      for (const row of rows) expect(row.length).toBe(header!.length);
    }
  });

  it('names the unit in every size column and in the text', () => {
    expect(text).toContain('Sizes in GB (GB = 10^9 bytes)');
    const headers = tablesOf(text).map((table) => table[0]!.join(' | '));
    expect(headers.some((header) => header.includes('total (GB)'))).toBe(true);
    expect(headers.some((header) => header.includes('capacity (GB)'))).toBe(true);
    expect(headers.some((header) => header.includes('KV cache (GB)'))).toBe(true);
  });

  it('shows the numbers: 24 GiB cards, 8.03 B parameters, each plan’s verdict and source', () => {
    // RTX 4090 24 GiB = 25.77 GB; Llama 3 8B 8,030,261,248 parameters (safetensors index).
    expect(text).toContain('25.77');
    expect(text).toContain('8,030,261,248 (8.03 B)');
    expect(text).toContain('## weights=q4_k_m');
    expect(text).toMatch(/\*\*Fits\*\*/);
    expect(text).toContain('config.json');
    expect(text).toContain(
      'reproduce: `headroom plan --model meta-llama/Meta-Llama-3-8B --device nvidia-rtx-4090 --gpus 2 --weights q4_k_m',
    );
  });

  it('escapes pipes and folds line breaks so a cell cannot break its row', () => {
    expect(markdownCell('a|b')).toBe('a\\|b');
    expect(markdownCell('one\ntwo')).toBe('one two');
    expect(markdownCell('back\\slash')).toBe('back\\\\slash');
    const table = markdownTable(
      ['name', 'value'],
      [
        ['x|y', 'tail\\'],
        ['a', 'b'],
      ],
    );
    const [header, , ...rows] = tablesOf(table)[0]!;
    expect(rows.every((row) => row.length === header!.length)).toBe(true);
  });

  it('reports a training plan with its sharding and without an empty KV column', () => {
    const plan = trainingPlan(['nvidia-a100-sxm-80gb', 'nvidia-a100-sxm-80gb'], {
      zeroStage: 2,
      finetune: 'lora',
    });
    const report = buildFitReport({
      plans: [{ label: 'plan', plan }],
      model: reportModel(requireCatalogModel(plan.model.id)),
      hardware: reportHardware(null, [requireCatalogDevice('nvidia-a100-sxm-80gb')]),
      comparison: null,
      headroomVersion: '0.1.0',
      generatedAt: '2026-05-01T12:00:00Z',
      unit: 'GiB',
    });
    const markdown = renderReportMarkdown(report);
    expect(markdown).toContain('ZeRO 2');
    expect(markdown).toContain('LoRA r=8 (q,v)');
    expect(markdown).toContain('Optimizer states (GiB)');
    expect(markdown).not.toContain('KV cache (GiB)');
    for (const [header, , ...rows] of tablesOf(markdown)) {
      for (const row of rows) expect(row.length).toBe(header!.length);
    }
  });

  it('prints what a plan’s search found: Llama 3 8B’s longest context is its 8192-token window', () => {
    const plan = planFromRequest({
      modelId: 'meta-llama/Meta-Llama-3-8B',
      deviceIds: ['nvidia-rtx-4090'],
      kvFormat: 'fp16',
      contextTokens: 4096,
      batch: 1,
      engine: 'llama.cpp',
      marginFraction: 0.05,
      solve: ['max-context'],
      unit: 'GB',
    });
    const report = buildFitReport({
      plans: [{ label: 'plan', plan }],
      model: reportModel(requireCatalogModel(plan.model.id)),
      hardware: reportHardware(null, [requireCatalogDevice('nvidia-rtx-4090')]),
      comparison: null,
      headroomVersion: '0.1.0',
      generatedAt: '2026-05-01T12:00:00Z',
      unit: 'GB',
    });
    // config.json max_position_embeddings 8192 caps the search.
    expect(renderReportMarkdown(report)).toContain('- search: max context 8192 tokens');
  });
});
