import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findModel } from '../../core/models/catalog';
import { planServing, type ServingPlan } from '../../core/serving';
import { servingRequestOf } from '../../core/serving/serving-request';
import { APP_VERSION } from '../../electron/services/app-version';
import { describeWithBrowser } from '../helpers/chromium';
import {
  openPage,
  pollPage,
  SCREENSHOTS,
  startWorkbenchBrowser,
  waitForView,
  type Workbench,
} from './workbench-page';

// Issue 19's question in the app: "Llama-3.1-8B, 20 req/s, 1k in / 300 out, TTFT ≤ 1 s,
// TPOT ≤ 50 ms" — the Serving view's start — answered with a device count, the targets drawn and
// where they break, as `headroom serve-plan` answers it from the same core.
const QUESTION = {
  modelId: 'meta-llama/Llama-3.1-8B',
  engine: 'vllm',
  promptTokens: 1000,
  outputTokens: 300,
  requestsPerSecond: 20,
  ttftSeconds: 1,
  tpotSeconds: 0.05,
  deviceIds: [],
  maxGpus: 8,
} as const;

function expectedPlan(prices: Readonly<Record<string, number>> = {}): ServingPlan {
  const model = findModel(QUESTION.modelId)!;
  return planServing(servingRequestOf(QUESTION, model, prices, APP_VERSION));
}

const text = (selector: string): string =>
  `document.querySelector(${JSON.stringify(selector)})?.textContent.trim().replace(/\\s+/g, ' ') ?? ''`;

describeWithBrowser('Serving view', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await startWorkbenchBrowser();
  });

  afterAll(async () => {
    await workbench?.close();
  });

  it('answers Llama-3.1-8B at 20 req/s, 1k in / 300 out, TTFT ≤ 1 s, TPOT ≤ 50 ms with a device count and where the targets break', async () => {
    const { page, errors } = await openPage(workbench);
    await page.getByRole('tab', { name: 'Serving' }).click();
    await waitForView(page, 'serving-view');
    const plan = expectedPlan();
    const chosen = plan.setup!;
    expect(chosen.gpus).toBeGreaterThanOrEqual(1);
    await expect(page.evaluate(text('[data-testid="serving-answer"]'))).resolves.toBe(
      `${chosen.gpus} × ${chosen.deviceName} (${chosen.replicas} replica${chosen.replicas === 1 ? '' : 's'} of TP ${chosen.tensorParallel}) holds 20 requests/s within the targets`,
    );
    const breaks = plan.breaks;
    expect(breaks.ttftConcurrency ?? breaks.tpotConcurrency).not.toBeNull();
    const at = (value: number | null): string =>
      value === null ? 'holds up to the KV-cache limit' : `breaks at ${value} requests in flight`;
    await expect(page.evaluate(text('[data-testid="serving-breaks"]'))).resolves.toBe(
      `One replica: TTFT target ${at(breaks.ttftConcurrency)}; TPOT target ${at(breaks.tpotConcurrency)}.`,
    );
    // The chart is drawn (its canvas stamped with the plan's revision) beside the ranked setups.
    await expect(page.locator('[data-testid="serving-view"] canvas').count()).resolves.toBe(1);
    await expect(page.getByTestId('serving-setup').count()).resolves.toBe(
      Math.min(15, plan.setups.length),
    );
    const launch = await page.evaluate(text('[data-testid="serving-launch"]'));
    for (const flag of [
      '--max-num-seqs',
      '--max-model-len',
      '--gpu-memory-utilization',
      '--tensor-parallel-size',
    ]) {
      expect(launch).toContain(flag);
    }
    await page.screenshot({ path: resolve(SCREENSHOTS, 'serving.png'), fullPage: true });

    // A price the user enters ranks the setups and is saved for the next start.
    await page.getByTestId(`price-${chosen.device}`).fill('2.49');
    await page.getByTestId(`price-${chosen.device}`).press('Enter');
    const priced = expectedPlan({ [chosen.device]: 2.49 }).setup!;
    await pollPage(
      page,
      `${text('[data-testid="serving-setup"]:first-child [data-testid="setup-cost"]')} === ${JSON.stringify(`$${priced.costPerHourUsd!.toFixed(2)}`)}`,
    );
    const { page: again } = await openPage(workbench, { keepSettings: true });
    await again.getByRole('tab', { name: 'Serving' }).click();
    await waitForView(again, 'serving-view');
    await expect(again.getByTestId(`price-${chosen.device}`).inputValue()).resolves.toBe('2.49');
    expect(errors).toEqual([]);
  });

  it('plans the same question on SGLang: its token pool as SGLang logs it and its launch command', async () => {
    const { page, errors } = await openPage(workbench, { viewport: { width: 1024, height: 700 } });
    await page.getByRole('tab', { name: 'Serving' }).click();
    await waitForView(page, 'serving-view');
    await page.getByTestId('serving-engine').selectOption('sglang');
    const plan = planServing(
      servingRequestOf(
        { ...QUESTION, engine: 'sglang' },
        findModel(QUESTION.modelId)!,
        {},
        APP_VERSION,
      ),
    );
    const capacity = plan.deployment!.capacity;
    if (capacity.engine !== 'sglang') throw new Error('an SGLang capacity');
    await pollPage(
      page,
      `${text('[data-testid="serving-capacity-line"]')}.includes('max_total_num_tokens=${capacity.maxTotalNumTokens}')`,
    );
    const launch = await page.evaluate(text('[data-testid="serving-launch"]'));
    for (const flag of [
      'sglang.launch_server',
      '--mem-fraction-static',
      '--max-running-requests',
    ]) {
      expect(launch).toContain(flag);
    }
    await page.screenshot({
      path: resolve(SCREENSHOTS, 'serving-sglang-1024.png'),
      fullPage: true,
    });
    expect(errors).toEqual([]);
  });

  it('says where a tighter TPOT target breaks on one setup the user sizes', async () => {
    const { page, errors } = await openPage(workbench);
    await page.getByRole('tab', { name: 'Serving' }).click();
    await waitForView(page, 'serving-view');
    await page.getByTestId('serving-device').selectOption('nvidia-h100-sxm-80gb');
    await page.getByTestId('serving-gpus').fill('1');
    await page.getByTestId('serving-gpus').press('Enter');
    await page.getByTestId('serving-tpot').fill('20');
    await page.getByTestId('serving-tpot').press('Enter');
    const model = findModel(QUESTION.modelId)!;
    const plan = planServing(
      servingRequestOf(
        { ...QUESTION, deviceIds: ['nvidia-h100-sxm-80gb'], gpus: 1, tpotSeconds: 0.02 },
        model,
        {},
        APP_VERSION,
      ),
    );
    expect(plan.breaks.tpotConcurrency).not.toBeNull();
    await pollPage(
      page,
      `${text('[data-testid="serving-breaks"]')}.includes('TPOT target breaks at ${plan.breaks.tpotConcurrency} requests in flight')`,
    );
    expect(errors).toEqual([]);
  });
});
