import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { planFromRequest } from '../../core/plan/plan-request';
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

  it('plans a MoE model on 8 GPUs with one data-parallel attention rank per GPU, as --data-parallel 8 --expert-parallel does', async () => {
    const { page, errors } = await openPage(workbench, { viewport: { width: 1440, height: 900 } });
    await waitForView(page, 'compare-view');
    expect(await page.getByTestId('moe-parallel').count()).toBe(0); // Llama 3.1 8B is dense
    await page.getByLabel('Search models').fill('qwen3 30b');
    await page
      .getByRole('button', { name: /Qwen\/Qwen3-30B-A3B/ })
      .first()
      .click();
    await page.getByLabel('How many NVIDIA GeForce RTX 4090 24GB').fill('8');
    await page.getByLabel('How many NVIDIA GeForce RTX 4090 24GB').press('Tab');
    await page.getByTestId('engine').selectOption('vllm');
    await page.getByTestId('moe-parallel').selectOption('data');
    const request = {
      ...FIRST_SCREEN,
      modelId: 'Qwen/Qwen3-30B-A3B',
      deviceIds: Array.from({ length: 8 }, () => 'nvidia-rtx-4090'),
      engine: 'vllm',
      weightsFormat: 'bf16',
    } as const;
    // The engine is pinned to vLLM in the controls: planFromRequest, not cardPlan (auto engine).
    const dataParallel = planFromRequest({ ...request, dataParallel: 8, expertParallel: true });
    const tensorParallel = planFromRequest(request);
    expect(perGpuText(dataParallel, 'GiB')).not.toBe(perGpuText(tensorParallel, 'GiB'));
    const BF16_PER_GPU = `document.querySelectorAll('[data-testid="plan-card"]')[0]?.querySelector('[data-testid="per-gpu-memory"]')?.textContent.trim()`;
    await pollPage(page, `${BF16_PER_GPU} === ${JSON.stringify(perGpuText(dataParallel, 'GiB'))}`);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'compare-data-parallel-1440.png') });
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
