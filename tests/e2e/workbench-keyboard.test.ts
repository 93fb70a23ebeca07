import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/chromium';
import type { PlanRequest } from '../../core/bridge';
import {
  cardPlan,
  SCREENSHOTS,
  focusedMatches,
  openPage,
  pollPage,
  startWorkbenchBrowser,
  tabTo,
  waitForView,
  type Workbench,
  perGpuText,
} from './workbench-page';

const SELECTED_TAB = '[role="tab"][aria-selected="true"]';

describeWithBrowser('the workbench without a mouse', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await startWorkbenchBrowser();
  });

  afterAll(async () => {
    await workbench?.close();
  });

  it('moves between views with the arrow keys, Home and End (WAI-ARIA tabs)', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await tabTo(page, SELECTED_TAB);
    const selected = () => page.locator(SELECTED_TAB).textContent();
    await page.keyboard.press('ArrowRight');
    await expect(selected()).resolves.toContain('Options matrix');
    await expect(focusedMatches(page, '#tab-matrix')).resolves.toBe(true);
    await page.getByTestId('matrix-view').waitFor();
    await page.keyboard.press('End');
    await expect(selected()).resolves.toContain('Quant lab');
    await page.keyboard.press('ArrowRight');
    await expect(selected()).resolves.toContain('Compare');
    await page.keyboard.press('ArrowLeft');
    await expect(selected()).resolves.toContain('Quant lab');
    await page.keyboard.press('Home');
    await expect(selected()).resolves.toContain('Compare');
    await expect(focusedMatches(page, '#tab-compare')).resolves.toBe(true);
    // Only the selected tab is in the Tab order: Tab leaves the tab list.
    await page.keyboard.press('Tab');
    await expect(focusedMatches(page, '[role="tab"]')).resolves.toBe(false);
    expect(errors).toEqual([]);
  });

  it('picks a model, a device, a format and a context with the keyboard only', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');

    await tabTo(page, '#model-search');
    await page.keyboard.type('qwen3 8b');
    await page.keyboard.press('Tab');
    await expect(focusedMatches(page, 'button.result')).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await pollPage(
      page,
      `document.querySelector('[data-testid="model-spec"]')?.textContent.includes('Qwen3 8B')`,
    );

    await tabTo(page, 'button[aria-label="Remove NVIDIA GeForce RTX 4090 24GB"]');
    await page.keyboard.press('Enter');
    await tabTo(page, '#device-search');
    await page.keyboard.type('a100 sxm4 80');
    await tabTo(page, 'button[aria-label="Add NVIDIA A100 SXM4 80GB"]');
    await page.keyboard.press('Enter');

    await tabTo(page, 'button[aria-label="Remove format BF16"]');
    await page.keyboard.press('Enter');
    await tabTo(page, '[data-testid="context"]');
    await page.keyboard.press('ArrowDown'); // 4k → 8k

    const request: PlanRequest = {
      modelId: 'Qwen/Qwen3-8B',
      deviceIds: ['nvidia-a100-sxm-80gb'],
      kvFormat: 'fp16',
      contextTokens: 8192,
      batch: 1,
      engine: 'generic',
      marginFraction: 0.05,
      unit: 'GiB',
    };
    const expected = ['q8_0', 'q4_k_m'].map((format) =>
      perGpuText(cardPlan({ ...request, weightsFormat: format }), 'GiB'),
    );
    await pollPage(
      page,
      `JSON.stringify([...document.querySelectorAll('[data-testid="plan-card"] [data-testid="per-gpu-memory"]')].map((e) => e.textContent)) === ${JSON.stringify(JSON.stringify(expected))}`,
    );
    await waitForView(page, 'compare-view');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'keyboard-flow.png'), fullPage: true });

    await tabTo(page, '[data-testid="plan-card"] [data-testid="explain"]');
    await page.keyboard.press('Enter');
    await expect(page.locator(SELECTED_TAB).textContent()).resolves.toContain('Assumptions');
    await page.getByTestId('assumptions-table').waitFor();
    expect(errors).toEqual([]);
  });
});
