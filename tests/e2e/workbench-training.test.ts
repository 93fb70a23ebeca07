import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/chromium';
import { planFromRequest } from '../../core/plan/plan-request';
import type { Plan } from '../../core/plan/types';
import { formatBytes } from '../../core/units/bytes';
import { formatDuration } from '../../core/units/duration';
import { formatTokensPerSecond } from '../../core/units/numbers';
import { runHeadroom } from '../helpers/run-command';
import {
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

/** `headroom plan --mode training … --json`, as a user runs it. */
async function cliTraining(flags: readonly string[]): Promise<Plan> {
  const cli = await runHeadroom([
    'plan',
    '--mode',
    'training',
    ...flags,
    '--unit',
    'GiB',
    '--json',
  ]);
  expect(cli.stderr).toBe('');
  return JSON.parse(cli.stdout) as Plan;
}

function trainingText(plan: Plan): { speed: string; time: string } {
  const throughput = plan.throughput;
  if (!throughput || !('trainingTokensPerSecond' in throughput) || !throughput.secondsToTrain)
    throw new Error('a training plan with --train-tokens has a speed and a time');
  return {
    speed: `${formatTokensPerSecond(throughput.trainingTokensPerSecond)} tok/s`,
    time: formatDuration(throughput.secondsToTrain),
  };
}

/** In-page: the training card's revision-stamped numbers, once its chart has drawn. */
const TRAINING_TOTAL = `document.querySelector('[data-testid="training-card"] [data-testid="per-gpu-memory"]')?.textContent`;

describeWithBrowser('training beside inference in Compare', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await startWorkbenchBrowser();
  });

  afterAll(async () => {
    await workbench?.close();
  });

  it('shows the same numbers as `headroom plan --mode training --json` on the first screen', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    // Training sits collapsed under its own header: open it.
    await page.getByTestId('training-section').locator('summary').click();
    const plan = await cliTraining([
      '--model',
      'meta-llama/Llama-3.1-8B',
      '--device',
      'nvidia-rtx-4090',
      '--train-tokens',
      '1B',
    ]);
    const card = page.getByTestId('training-card');
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    await expect(card.getByTestId('per-gpu-memory').textContent()).resolves.toBe(
      perGpuText(plan, 'GiB'),
    );
    await expect(card.getByTestId('headroom').textContent()).resolves.toContain(
      formatBytes(plan.memory.perDevice[0]!.headroom, 'GiB'),
    );
    await expect(card.getByTestId('reason').textContent()).resolves.toBe(plan.verdict.reason);
    const { speed, time } = trainingText(plan);
    await expect(card.getByTestId('training-speed').textContent()).resolves.toContain(speed);
    await expect(card.getByTestId('training-time').textContent()).resolves.toContain(time);
    await expect(card.locator('[data-status]').getAttribute('data-status')).resolves.toBe(
      plan.verdict.status,
    );
    await expect.poll(() => card.getByTestId('memory-bars').count(), { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
  });

  it('re-plans every chart when the controls change: QLoRA r16 on q,k,v, full recompute, 8k context', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    // Training sits collapsed under its own header: open it.
    await page.getByTestId('training-section').locator('summary').click();
    await page.getByTestId('training-finetune').selectOption('qlora');
    await page.getByTestId('training-lora-rank').fill('16');
    await page.getByTestId('training-lora-rank').press('Enter');
    await page.getByLabel('k_proj').check();
    await page.getByTestId('training-checkpointing').selectOption('full');
    await page.getByTestId('training-tokens').fill('500M');
    await page.getByTestId('training-tokens').press('Enter');
    await page.getByTestId('context').selectOption('8192');
    const plan = await cliTraining([
      '--model',
      'meta-llama/Llama-3.1-8B',
      '--device',
      'nvidia-rtx-4090',
      '--finetune',
      'qlora',
      '--lora-rank',
      '16',
      '--lora-targets',
      'q,v,k',
      '--checkpointing',
      'full',
      '--context',
      '8192',
      '--train-tokens',
      '500M',
    ]);
    await pollPage(page, `${TRAINING_TOTAL} === ${JSON.stringify(perGpuText(plan, 'GiB'))}`);
    await waitForView(page, 'compare-view');
    const card = page.getByTestId('training-card');
    await expect(card.getByTestId('reason').textContent()).resolves.toBe(plan.verdict.reason);
    const { speed, time } = trainingText(plan);
    await expect(card.getByTestId('training-speed').textContent()).resolves.toContain(speed);
    await expect(card.getByTestId('training-time').textContent()).resolves.toContain(time);
    // The inference cards re-planned at 8k too: one context control, every chart.
    const bf16 = planFromRequest({
      modelId: 'meta-llama/Llama-3.1-8B',
      deviceIds: ['nvidia-rtx-4090'],
      weightsFormat: 'bf16',
      kvFormat: 'fp16',
      contextTokens: 8192,
      batch: 1,
      engine: 'transformers', // BF16 weights: the engine follows the format
      marginFraction: 0.05,
      unit: 'GiB',
    });
    await expect(
      page.getByTestId('plan-card').first().getByTestId('per-gpu-memory').textContent(),
    ).resolves.toBe(perGpuText(bf16, 'GiB'));
    await page.screenshot({
      path: resolve(SCREENSHOTS, 'compare-training-qlora.png'),
      fullPage: true,
    });
    expect(errors).toEqual([]);
  });

  it('hides and shows training with the toggle, from the keyboard', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await tabTo(page, '[data-testid="show-training"]');
    await page.keyboard.press('Space');
    await pollPage(page, `document.querySelectorAll('[data-testid="training-card"]').length === 0`);
    await expect
      .poll(() => page.getByTestId('training-controls').count(), { timeout: 10_000 })
      .toBe(0);
    await expect.poll(() => page.getByTestId('plan-card').count(), { timeout: 10_000 }).toBe(3);
    await expect(focusedMatches(page, '[data-testid="show-training"]')).resolves.toBe(true);
    await page.keyboard.press('Space');
    // Back on, collapsed under its own header: open it from the keyboard.
    await tabTo(page, '[data-testid="training-section"] > summary');
    await page.keyboard.press('Enter');
    await page.getByTestId('training-card').waitFor();
    // Keyboard on to the training method, and choose LoRA with the arrow keys.
    await tabTo(page, '[data-testid="training-finetune"]');
    await page.keyboard.press('ArrowDown');
    await pollPage(
      page,
      `document.querySelector('[data-testid="training-card"] p')?.textContent?.includes('LoRA r8')`,
    );
    expect(errors).toEqual([]);
  });
});
