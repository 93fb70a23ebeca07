import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/chromium';
import { safetensorsHeader } from '../helpers/model-file-writers';
import {
  SCREENSHOTS,
  openPage,
  pollPage,
  startWorkbenchBrowser,
  waitForView,
  type Workbench,
} from './workbench-page';

/** shared/seeds/004… ("LLMs quantization"): absmax int8 of the worked example's eight weights. */
const SEED_VALUES = [1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4];
const SEED_ABSMAX_CODES = ['28', '-12', '-101', '28', '-73', '19', '56', '127'];

describeWithBrowser('the quantization lab in real Chromium', () => {
  let workbench: Workbench;
  let folder: string;

  beforeAll(async () => {
    workbench = await startWorkbenchBrowser();
    folder = await mkdtemp(join(tmpdir(), 'headroom-e2e-scan-'));
  });
  afterAll(async () => {
    await workbench?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('shows the seed example’s codes, draws a synthetic experiment’s charts, and scans a file through the bridge', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByRole('tab', { name: 'Quant lab' }).click();
    const first = await waitForView(page, 'quantlab-view');
    const codes = await page.getByTestId('lab-code').allTextContents();
    expect(codes.map((code) => code.trim())).toEqual(SEED_ABSMAX_CODES);
    // Three charts: the histogram with levels, error vs block size, error vs outlier magnitude.
    expect(await page.locator('[data-testid="quantlab-view"] canvas').count()).toBe(3);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'quantlab-seed.png'), fullPage: true });

    await page.getByTestId('lab-input-synthetic').check();
    await page.getByTestId('lab-distribution').selectOption('student-t');
    await page.getByTestId('lab-count').fill('200000');
    await page.getByTestId('lab-count').dispatchEvent('change');
    await page.getByTestId('lab-outlier-count').fill('3');
    await page.getByTestId('lab-outlier-count').dispatchEvent('change');
    await page.getByTestId('lab-run').click();
    await waitForView(page, 'quantlab-view', first + 1);
    expect(await page.getByTestId('lab-codes').count()).toBe(0);
    const rows = await page.locator('[data-testid="lab-summary"] tbody tr').count();
    expect(rows).toBe(4);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'quantlab-synthetic.png'), fullPage: true });

    const file = join(folder, 'tiny.safetensors');
    const { header, dataBytes } = safetensorsHeader([
      { name: 'embed.weight', dtype: 'F32', shape: [16, 8] },
      { name: 'seed', dtype: 'F32', shape: [8] },
    ]);
    const data = new Float32Array(dataBytes / 4);
    for (let i = 0; i < 128; i++) data[i] = Math.sin(i) * 2;
    data.set(SEED_VALUES, 128);
    await writeFile(file, Buffer.concat([header, new Uint8Array(data.buffer)]));
    await page.getByTestId('scan-path').fill(file);
    await page.getByTestId('scan-start').click();
    await pollPage(
      page,
      `document.querySelectorAll('[data-testid="scan-row"]').length === 2`,
      30_000,
    );
    const names = await page.locator('[data-testid="scan-row"] th').allTextContents();
    expect(names).toEqual(['embed.weight', 'seed']);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('scan-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('headroom-scan.csv');
    await page
      .getByTestId('scan-panel')
      .screenshot({ path: resolve(SCREENSHOTS, 'quantlab-scan.png') });
    expect(errors).toEqual([]);
  });
});
