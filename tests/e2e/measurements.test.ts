import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/chromium';
import { SHARED_AVAILABLE, SHARED_DIR } from '../helpers/shared';
import {
  openPage,
  pollPage,
  SCREENSHOTS,
  startWorkbenchBrowser,
  type Workbench,
} from './workbench-page';

// Issue 18 in the app: import the shared H200 runs as a user imports theirs, see plan against
// measured per category (docs/accuracy.md's errors), derive and turn on the corrections, and see
// the card that matches their device and engine say it is corrected — and the others not.
const CASES = resolve(SHARED_DIR, 'calibration/h200-2026-12-04/cases.jsonl');

const text = (selector: string): string =>
  `document.querySelector(${JSON.stringify(selector)})?.textContent.trim() ?? ''`;

describeWithBrowser('Measurements view', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await startWorkbenchBrowser();
  });

  afterAll(async () => {
    await workbench?.close();
  });

  it.skipIf(!SHARED_AVAILABLE)(
    'imports a measured run file, shows plan vs measured, and corrects the matching card when turned on',
    async () => {
      // The workbench planned Llama-3.1-8B on one H200 last time (bf16 plans on transformers).
      await writeFile(
        join(workbench.settingsDir, 'settings.json'),
        JSON.stringify({
          lastDevices: [{ source: 'catalog', id: 'nvidia-h200-sxm-141gb', count: 1 }],
        }),
      );
      const { page, errors } = await openPage(workbench, { keepSettings: true });
      await page.getByRole('tab', { name: 'Measurements' }).click();
      await pollPage(page, text('[data-testid="measure-empty"]'));
      await page.getByTestId('measure-file').setInputFiles(CASES);
      const llamaTotal =
        '[data-run="inf-llama8b-bf16-c4096-b1"] [data-category="total"] [data-testid="measured-error"]';
      // docs/accuracy.md: inf-llama8b-bf16-c4096-b1 is planned −0.1 % from its measurement.
      await pollPage(page, `${text(llamaTotal)} === '−0.1 %'`);
      await expect(page.evaluate(text('[data-testid="measure-notice"]'))).resolves.toBe(
        '16 run(s) imported from cases.jsonl; 16 stored.',
      );
      await expect(page.getByTestId('measured-run').count()).resolves.toBe(16);
      await expect(page.evaluate(text('[data-testid="corrections-state"]'))).resolves.toMatch(
        /^Off: plans are exactly what the model computes/,
      );

      await page.getByTestId('corrections-derive').click();
      await pollPage(
        page,
        `document.querySelectorAll('[data-testid="corrections-list"] li').length === 2`,
      );
      await page.getByTestId('corrections-toggle').check();
      await pollPage(page, `${text('[data-testid="corrections-state"]')}.startsWith('On:')`);
      // Corrected, every run's total is within ±3 % of its measurement (issue 18's acceptance).
      await pollPage(
        page,
        `[...document.querySelectorAll('[data-category="total"] [data-testid="measured-error"]')].every((cell) => Math.abs(parseFloat(cell.textContent.replace('−', '-'))) <= 3) && document.querySelector('[data-run="inf-llama8b-bf16-c4096-b1"] tfoot')?.textContent.includes('corrected by 7 runs on this machine')`,
      );
      await page.screenshot({ path: resolve(SCREENSHOTS, 'measurements.png'), fullPage: true });

      await page.getByRole('tab', { name: 'Compare' }).click();
      const bf16Card = `[data-testid="plan-card"][data-format="bf16"]`;
      await pollPage(
        page,
        `${text(`${bf16Card} [data-testid="correction-indicator"]`)} === 'Corrected by 7 runs on this machine'`,
      );
      // A card on another engine (Q4_K_M on llama.cpp) has no correction: it says nothing.
      await expect(
        page
          .locator(
            '[data-testid="plan-card"][data-format="q4_k_m"] [data-testid="correction-indicator"]',
          )
          .count(),
      ).resolves.toBe(0);

      // Off again: the card is the plain plan.
      await page.getByRole('tab', { name: 'Measurements' }).click();
      await page.getByTestId('corrections-toggle').uncheck();
      await pollPage(page, `${text('[data-testid="corrections-state"]')}.startsWith('Off:')`);
      await page.getByRole('tab', { name: 'Compare' }).click();
      await pollPage(
        page,
        `document.querySelector('${bf16Card} [data-testid="accuracy"]') !== null`,
      );
      await expect(
        page.locator(`${bf16Card} [data-testid="correction-indicator"]`).count(),
      ).resolves.toBe(0);
      expect(errors).toEqual([]);
    },
  );

  it('refuses a file it cannot read, naming the line, and stores nothing', async () => {
    const { page, errors } = await openPage(workbench);
    await page.getByRole('tab', { name: 'Measurements' }).click();
    await pollPage(page, text('[data-testid="measure-empty"]'));
    await page
      .getByTestId('measure-file')
      .setInputFiles(resolve('tests/fixtures/measure/pytorch-memory-truncated.log'));
    await pollPage(
      page,
      `${text('[data-testid="view-error"]')}.startsWith('pytorch-memory-truncated.log line 17:')`,
    );
    await expect(page.evaluate(text('[data-testid="measure-empty"]'))).resolves.toBe(
      'No measured runs yet.',
    );
    expect(errors).toEqual([]);
  });
});
