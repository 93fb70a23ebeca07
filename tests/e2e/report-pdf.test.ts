import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireCatalogDevice, requireCatalogModel } from '../../core/plan/lookups';
import { planFromRequest } from '../../core/plan/plan-request';
import {
  buildFitReport,
  renderReportHtml,
  reportHardware,
  reportModel,
  type FitReport,
} from '../../core/report';
import { printHtmlToPdf } from '../../electron/services/report-pdf';
import { headroom } from '../unit/electron/reports/cli';
import { describeWithBrowser } from '../helpers/chromium';

const SCREENSHOTS = resolve('tests/e2e/__screenshots__');

function poppler(tool: string, args: readonly string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr}`);
  return result.stdout;
}

/** Llama 3 8B, bf16 against Q4_K_M, on one RTX 4090 with llama.cpp. */
function smallReport(): FitReport {
  const values = ['bf16', 'q4_k_m'];
  return buildFitReport({
    plans: values.map((weights) => ({
      label: `weights=${weights}`,
      plan: planFromRequest({
        modelId: 'meta-llama/Meta-Llama-3-8B',
        deviceIds: ['nvidia-rtx-4090'],
        weightsFormat: weights,
        kvFormat: 'fp16',
        contextTokens: 8192,
        batch: 1,
        engine: 'llama.cpp',
        marginFraction: 0.05,
        unit: 'GB',
      }),
    })),
    model: reportModel(requireCatalogModel('meta-llama/Meta-Llama-3-8B')),
    hardware: reportHardware(null, [requireCatalogDevice('nvidia-rtx-4090')]),
    comparison: { option: 'weights', values },
    headroomVersion: '0.1.0',
    generatedAt: '2026-05-01T12:00:00.000Z',
    unit: 'GB',
  });
}

// Needs Chromium to print and Debian's poppler-utils (pdftotext, pdfinfo) to read back.
describeWithBrowser(
  'PDF report printed by headless Chromium',
  () => {
    let folder: string;
    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'headroom-pdf-'));
      await mkdir(SCREENSHOTS, { recursive: true });
    });
    afterAll(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    it('has pages, and the numbers, units and verdicts in its text', async () => {
      const report = smallReport();
      const pdf = await printHtmlToPdf(renderReportHtml(report), { footer: report.title });
      expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
      const path = join(folder, 'report.pdf');
      await writeFile(path, pdf);
      const pages = Number(/^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', [path]))![1]);
      // Summary, model and hardware, then each of the two plans from a new page.
      expect(pages).toBeGreaterThanOrEqual(3);
      const text = poppler('pdftotext', ['-layout', path, '-']).replace(/[ \t]+/g, ' ');
      expect(text).toContain('Fit report: Llama 3 8B');
      expect(text).toContain('Sizes in GB (GB = 10^9 bytes)');
      // Llama 3 8B: 8,030,261,248 parameters (model.safetensors.index.json total_size / 2 bytes).
      expect(text).toContain('8,030,261,248');
      for (const { label, plan } of report.plans) {
        expect(text).toContain(label);
        expect(text).toContain((plan.memory.total / 1e9).toFixed(2));
        // The chart's label beside each bar: used / capacity, RTX 4090 = 24 GiB = 25.77 GB.
        expect(text).toContain(`${(plan.memory.perDevice[0]!.used / 1e9).toFixed(2)} / 25.77 GB`);
      }
      expect(text).toContain('Fits');
      // Page numbers in the footer: "1 / N" (pdftotext may close up the spaces).
      expect(text).toMatch(new RegExp(`\\b1 ?/ ?${pages}\\b`));
      // A picture of page 1 to look at (tests/e2e/__screenshots__, not committed).
      poppler('pdftoppm', [
        '-png',
        '-r',
        '70',
        '-f',
        '1',
        '-l',
        '1',
        path,
        join(SCREENSHOTS, 'report-pdf'),
      ]);
    });

    it('is what `headroom report --out x.pdf` writes, atomically, refusing to overwrite', async () => {
      const path = join(folder, 'cli.pdf');
      const args = [
        'report',
        '--model',
        'meta-llama/Meta-Llama-3-8B',
        '--device',
        'nvidia-rtx-4090',
        '--compare',
        'weights=bf16,q4_k_m',
        '--out',
        path,
      ];
      const first = await headroom(args);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toMatch(/headroom: wrote .*cli\.pdf \(pdf, \d+ bytes\)/);
      const text = poppler('pdftotext', ['-layout', path, '-']);
      expect(text).toContain('weights=q4_k_m');
      // The replayed build machine is in it: its CPU and the GPU verdict.
      expect(text).toContain('No GPU found');
      const before = await readFile(path);
      const again = await headroom(args);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already exists: pass --force/);
      expect((await readFile(path)).equals(before)).toBe(true);
      expect((await stat(path)).size).toBeGreaterThan(10_000);
    });
  },
  { poppler: true },
);
