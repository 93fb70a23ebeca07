import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FitReport } from '../../../core/report';
import type { ServingPlan } from '../../../core/serving';
import { runHeadroom } from '../../helpers/run-command';
import { describeWithShared, SHARED_DIR } from '../../helpers/shared';

// The report sections of issues 18 and 19 through the CLI contract: `report --measured` adds plan
// vs measured (docs/accuracy.md's errors for the shared H200 runs), `serve-plan --out` writes the
// serving plan as a section in the format of the file's extension.
const CASES = resolve(SHARED_DIR, 'calibration/h200-2026-12-04/cases.jsonl');
const REPORT = [
  'report',
  '--model',
  'meta-llama/Llama-3.1-8B',
  '--device',
  'nvidia-h200-sxm-141gb',
  '--weights',
  'bf16',
  '--no-detect',
];

describeWithShared('headroom report --measured', () => {
  it('adds plan vs measured to Markdown, HTML and JSON: docs/accuracy.md’s −0.1 % for inf-llama8b-bf16-c4096-b1', async () => {
    const [md, html, json] = await Promise.all(
      ['md', 'html', 'json'].map((format) =>
        runHeadroom([...REPORT, '--measured', CASES, '--format', format]),
      ),
    );
    expect(md!.code).toBe(0);
    expect(md!.stdout).toContain('## Plan vs measured');
    // Sizes in GB (the CLI's default unit), as `headroom measure compare` prints this run.
    expect(md!.stdout).toContain('| run | category | plan (GB) | measured (GB) | error |');
    expect(md!.stdout).toMatch(
      /\| inf-llama8b-bf16-c4096-b1 \| total \| 18\.19 \| 18\.20 \| −0\.1 % \|/,
    );
    expect(html!.stdout).toContain('<h2>Plan vs measured</h2>');
    expect(html!.stdout).toContain('<td>inf-llama8b-bf16-c4096-b1</td>');
    const report = JSON.parse(json!.stdout) as FitReport;
    expect(report.schema).toBe('headroom.report/v1');
    expect(report.measured?.corrected).toBe(false);
    expect(report.measured?.runs).toHaveLength(16);
  });
});

describe('headroom report --measured: a file it cannot read', () => {
  it('writes no report and names the line', async () => {
    const result = await runHeadroom([
      ...REPORT,
      '--measured',
      'tests/fixtures/measure/pytorch-memory-truncated.log',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/pytorch-memory-truncated\.log line 17/);
  });
});

describe('headroom serve-plan --out', () => {
  const QUESTION = [
    'serve-plan',
    '--model',
    'meta-llama/Llama-3.1-8B',
    '--prompt',
    '1000',
    '--output',
    '300',
    '--rate',
    '20',
    '--device',
    'nvidia-h100-sxm-80gb',
    '--price',
    'nvidia-h100-sxm-80gb=2.49',
  ];

  it('writes the serving plan as a Markdown section and its setups as CSV, as --json ranks them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-serving-report-'));
    const env = { ...process.env, HEADROOM_CONFIG_DIR: dir };
    const [json, md, csv] = await Promise.all([
      runHeadroom([...QUESTION, '--json'], env),
      runHeadroom([...QUESTION, '--out', join(dir, 'serving.md')], env),
      runHeadroom([...QUESTION, '--out', join(dir, 'serving.csv')], env),
    ]);
    expect([md!.code, csv!.code]).toEqual([0, 0]);
    const plan = JSON.parse(json!.stdout) as ServingPlan;
    const markdown = readFileSync(join(dir, 'serving.md'), 'utf8');
    expect(markdown).toMatch(/^## Serving plan: meta-llama\/Llama-3\.1-8B on vllm/);
    expect(markdown).toContain(`Chosen: ${plan.setup!.gpus} × ${plan.setup!.deviceName}`);
    expect(markdown).toMatch(/--max-num-seqs \d+/);
    const rows = readFileSync(join(dir, 'serving.csv'), 'utf8').trimEnd().split('\r\n');
    expect(rows[0]).toBe('device,GPUs,TP,replicas,max req/s,TTFT p90,TPOT,$/h,$/1M out');
    expect(rows.slice(1).map((row) => row.split(',').slice(0, 2).join(','))).toEqual(
      plan.setups.map((setup) => `${setup.device},${setup.gpus}`),
    );
    // $2.49 per GPU-hour × the GPUs of the first setup.
    expect(rows[1]!.split(',')[7]).toBe(`$${(2.49 * plan.setups[0]!.gpus).toFixed(2)}`);
  });

  it('never overwrites a file without --force, and refuses an extension it cannot write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-serving-report-'));
    const file = join(dir, 'kept.md');
    writeFileSync(file, 'mine\n');
    const kept = await runHeadroom([...QUESTION, '--out', file]);
    expect(kept.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    const pdf = await runHeadroom([...QUESTION, '--out', join(dir, 'x.pdf')]);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toMatch(/--out .*x\.pdf: cannot tell the format from its extension/);
  });
});
