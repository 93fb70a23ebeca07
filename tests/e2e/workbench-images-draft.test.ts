import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Plan } from '../../core/plan/types';
import { describeWithBrowser } from '../helpers/chromium';
import {
  cardPlan,
  FIRST_SCREEN,
  FIRST_SCREEN_FORMATS,
  SCREENSHOTS,
  openPage,
  perGpuText,
  pollPage,
  startWorkbenchBrowser,
  waitForView,
  type Workbench,
} from './workbench-page';

// Issue 13: images and a draft model set in the workbench raise the plan the card shows, and
// the card's llama.cpp launch settings load the mmproj and the draft.

const GEMMA = 'google/gemma-3-12b-pt';
const Q4_CARD = FIRST_SCREEN_FORMATS.indexOf('q4_k_m');

/** In-page: the text of the Q4_K_M card's per-GPU memory. */
const Q4_PER_GPU = `document.querySelectorAll('[data-testid="plan-card"]')[${Q4_CARD}]?.querySelector('[data-testid="per-gpu-memory"]')?.textContent.trim()`;

describeWithBrowser('images and a draft model in real Chromium', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await startWorkbenchBrowser();
  });
  afterAll(async () => {
    await workbench?.close();
  });

  it('raises the Q4_K_M card with two images and launches llama-server with --mmproj and -md', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByLabel('Search models').fill('gemma 3 12b');
    await page.getByRole('button', { name: /google\/gemma-3-12b-pt/ }).click();

    const request = { ...FIRST_SCREEN, modelId: GEMMA, weightsFormat: 'q4_k_m' };
    const textOnly = cardPlan(request);
    const withImages = cardPlan({ ...request, images: 2 });
    expect(withImages.memory.total).toBeGreaterThan(textOnly.memory.total);
    expect(perGpuText(withImages, 'GiB')).not.toBe(perGpuText(textOnly, 'GiB'));
    const shown = (plan: Plan) => JSON.stringify(perGpuText(plan, 'GiB'));
    await pollPage(page, `${Q4_PER_GPU} === ${shown(textOnly)}`);

    await page.getByTestId('images').fill('2');
    await page.getByTestId('images').press('Tab');
    await pollPage(page, `${Q4_PER_GPU} === ${shown(withImages)}`);

    await page.getByTestId('draft').selectOption('google/gemma-3-1b-pt');
    const withDraft = cardPlan({ ...request, images: 2, draft: 'google/gemma-3-1b-pt' });
    await pollPage(page, `${Q4_PER_GPU} === ${shown(withDraft)}`);

    await page.getByTestId('plan-card').nth(Q4_CARD).getByTestId('launch').click();
    await pollPage(
      page,
      `document.querySelector('[data-testid="launch-text"]')?.textContent.includes('llama-server')`,
    );
    const launch = (await page.getByTestId('launch-text').textContent()) ?? '';
    expect(launch).toContain('--mmproj mmproj-gemma-3-12b-pt-f16.gguf');
    expect(launch).toContain('-md gemma-3-1b-pt-Q4_K_M.gguf');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'images-draft-launch.png') });
    expect(errors).toEqual([]);
  });

  it('keeps the whole context on the sliding layers with the SWA checkbox, and launches --swa-full', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    // Llama 3.1 8B (the first screen) has no sliding window: no checkbox.
    expect(await page.getByTestId('swa-full').count()).toBe(0);
    await page.getByLabel('Search models').fill('gemma 3 12b');
    await page.getByRole('button', { name: /google\/gemma-3-12b-pt/ }).click();

    const request = { ...FIRST_SCREEN, modelId: GEMMA, weightsFormat: 'q4_k_m' };
    const windowed = cardPlan(request);
    const full = cardPlan({ ...request, swaFull: true });
    expect(full.memory.total).toBeGreaterThan(windowed.memory.total);
    const shown = (plan: Plan) => JSON.stringify(perGpuText(plan, 'GiB'));
    await pollPage(page, `${Q4_PER_GPU} === ${shown(windowed)}`);

    await page.getByTestId('swa-full').check();
    await pollPage(page, `${Q4_PER_GPU} === ${shown(full)}`);
    await page.getByTestId('plan-card').nth(Q4_CARD).getByTestId('launch').click();
    await pollPage(
      page,
      `document.querySelector('[data-testid="launch-text"]')?.textContent.includes('--swa-full')`,
    );
    expect(errors).toEqual([]);
  });
});
