import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/chromium';
import type { PlanRequest } from '../../core/bridge';
import { groupFormats } from '../../core/formats/format-list';
import { ENGINE_PROFILES } from '../../core/memory/engine-profiles';
import { defaultEngine } from '../../core/plan/default-engine';
import { effectiveBitsPerWeight } from '../../core/plan/effective-bits';
import { memoryScope } from '../../core/plan/memory-scope';
import { planFromRequest } from '../../core/plan/plan-request';
import type { Plan } from '../../core/plan/types';
import { formatBytes } from '../../core/units/bytes';
import { createBridgeService } from '../../electron/services/bridge-service';
import { formatTokensPerSecond } from '../../core/units/numbers';
import { VERDICT_LABELS } from '../../renderer/format';
import { runHeadroom } from '../helpers/run-command';
import {
  FIRST_SCREEN,
  cardPlan,
  cardRequest,
  SCREENSHOTS,
  openPage,
  pollPage,
  startWorkbenchBrowser,
  waitForView,
  type Workbench,
  perGpuText,
} from './workbench-page';

function decodeText(plan: Plan): string {
  const throughput = plan.throughput;
  if (!throughput || !('decodeTokensPerSecond' in throughput))
    throw new Error('an inference plan has a decode speed');
  return `${formatTokensPerSecond(throughput.decodeTokensPerSecond)} tok/s`;
}

describeWithBrowser('the workbench in real Chromium', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await startWorkbenchBrowser();
  });

  afterAll(async () => {
    await workbench?.close();
  });

  it('answers on the first screen: Llama 3.1 8B on one RTX 4090 in three formats, charts drawn', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    const cards = page.getByTestId('plan-card');
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(3);
    for (const [i, format] of ['bf16', 'q8_0', 'q4_k_m'].entries()) {
      // The same numbers as the planner gives the CLI for the same inputs.
      const plan = cardPlan({ ...FIRST_SCREEN, weightsFormat: format });
      const card = cards.nth(i);
      // One GPU: the card names its memory per GPU, in GiB by default.
      await expect(card.getByTestId('per-gpu-memory').textContent()).resolves.toBe(
        perGpuText(plan, 'GiB'),
      );
      await expect(card.getByTestId('engine-used').textContent()).resolves.toContain(
        ENGINE_PROFILES[defaultEngine(format)].label,
      );
      await expect(card.getByTestId('reason').textContent()).resolves.toBe(plan.verdict.reason);
      await expect(card.getByTestId('decode').textContent()).resolves.toContain(decodeText(plan));
      await expect(card.locator('[data-status]').getAttribute('data-status')).resolves.toBe(
        plan.verdict.status,
      );
    }
    await page.screenshot({ path: resolve(SCREENSHOTS, 'compare.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows the same numbers as `headroom plan --json` after picking a model, a device and a format', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByLabel('Search models').fill('qwen2.5 14b');
    await page.getByRole('button', { name: /Qwen\/Qwen2\.5-14B/ }).click();
    await page.getByRole('button', { name: 'Remove NVIDIA GeForce RTX 4090 24GB' }).click();
    await page.getByLabel('Search catalog devices').fill('l40s');
    await page.getByRole('button', { name: 'Add NVIDIA L40S 48GB' }).click();
    for (const label of ['BF16', 'Q8_0 (llama.cpp)', 'Q4_K_M (llama.cpp)']) {
      await page.getByRole('button', { name: `Remove format ${label}` }).click();
    }
    await page.getByLabel('Add a weights format').selectOption('awq_int4');
    await page.getByTestId('context').selectOption('32768');
    const revision = await waitForView(page, 'compare-view');
    await waitForView(page, 'compare-view', revision);

    const cli = await runHeadroom([
      'plan',
      '--model',
      'Qwen/Qwen2.5-14B',
      '--device',
      'nvidia-l40s',
      '--weights',
      'awq_int4',
      '--context',
      '32768',
      // The card's engine: AWQ checkpoints are what vLLM serves (core/plan/default-engine.ts).
      '--engine',
      'vllm',
      '--unit',
      'GiB',
      '--json',
    ]);
    expect(cli.stderr).toBe('');
    const plan = JSON.parse(cli.stdout) as Plan;
    const card = page.getByTestId('plan-card');
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    await expect(card.getByTestId('per-gpu-memory').textContent()).resolves.toBe(
      perGpuText(plan, 'GiB'),
    );
    await expect(card.getByTestId('headroom').textContent()).resolves.toBe(
      formatBytes(plan.memory.perDevice[0]!.headroom, 'GiB'),
    );
    await expect(card.getByTestId('reason').textContent()).resolves.toBe(plan.verdict.reason);
    await expect(card.getByTestId('decode').textContent()).resolves.toContain(decodeText(plan));

    // The unit toggle re-plans in GB: every number follows.
    await page.getByLabel('GB', { exact: true }).check();
    await pollPage(
      page,
      `document.querySelector('[data-testid="per-gpu-memory"]')?.textContent?.endsWith(' GB')`,
    );
    await expect(card.getByTestId('per-gpu-memory').textContent()).resolves.toBe(
      perGpuText(plan, 'GB'),
    );
    await page.screenshot({ path: resolve(SCREENSHOTS, 'compare-picked.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('colours the options matrix by verdict and opens a cell in Compare', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByLabel('Search catalog devices').fill('3060');
    await page.getByRole('button', { name: 'Add NVIDIA GeForce RTX 3060 12GB' }).click();
    await page.getByRole('tab', { name: 'Options matrix' }).click();
    await waitForView(page, 'matrix-view');
    await page.getByTestId('matrix-context').selectOption('16384');
    const revision = await waitForView(page, 'matrix-view');
    await waitForView(page, 'matrix-view', revision);

    // The common formats, grouped by bit width and biggest first (core/formats/format-list.ts).
    const formats = groupFormats(await createBridgeService('browser').listFormats(), false).flatMap(
      (group) => group.formats,
    );
    const cells = page.locator('button.cell');
    await expect.poll(() => cells.count(), { timeout: 10_000 }).toBe(formats.length * 2);
    const colours = (await page.evaluate(`(() => {
      const style = getComputedStyle(document.documentElement);
      const probe = document.createElement('span');
      document.body.append(probe);
      const rgb = (name) => { probe.style.backgroundColor = style.getPropertyValue(name); return getComputedStyle(probe).backgroundColor; };
      const colours = { fits: rgb('--fits'), tight: rgb('--tight'), 'needs-offload': rgb('--offload'), 'does-not-fit': rgb('--nofit') };
      probe.remove();
      return colours;
    })()`)) as Record<string, string>;
    const shown =
      (await page.evaluate(`[...document.querySelectorAll('button.cell')].map((cell) => ({
      format: cell.dataset.format,
      status: cell.dataset.status,
      text: cell.textContent,
      background: getComputedStyle(cell).backgroundColor,
    }))`)) as { format: string; status: string; text: string; background: string }[];
    const seen = new Set<string>();
    for (const format of formats) {
      for (const [column, device] of ['nvidia-rtx-4090', 'nvidia-rtx-3060-12gb'].entries()) {
        const plan = cardPlan({
          ...FIRST_SCREEN,
          deviceIds: [device],
          weightsFormat: format.id,
          contextTokens: 16384,
        });
        // Rows sort biggest first by the planned bits per weight: find the row by its format.
        const cell = shown.filter((entry) => entry.format === format.id)[column]!;
        expect(cell.status).toBe(plan.verdict.status);
        expect(cell.background).toBe(colours[plan.verdict.status]);
        expect(cell.text).toContain(VERDICT_LABELS[plan.verdict.status]);
        seen.add(plan.verdict.status);
      }
    }
    // Llama 3.1 8B at 16k on 24 GB and 12 GB cards spans the verdicts: fp32 (32 GB of weights)
    // cannot fit either card; 4-bit formats fit both.
    expect(seen).toContain('fits');
    expect(seen).toContain('does-not-fit');
    // The legend explains the colours; one cell per device group is the answer line's best.
    expect(await page.getByTestId('matrix-legend').textContent()).toContain('best that fits');
    await expect.poll(() => page.locator('button.cell[data-best]').count()).toBe(2);
    const bestOn4090 = await page
      .locator('button.cell[data-best]')
      .first()
      .getAttribute('data-format');
    const answer = planFromRequest({
      ...cardRequest({ ...FIRST_SCREEN, weightsFormat: 'bf16', contextTokens: 16384 }),
      answer: { engine: 'auto' },
    }).solution?.fitAnswer;
    expect(bestOn4090).toBe(answer?.best?.formatId);
    // Sizes in the cells: the BF16 row on the 4090 shows its per-GPU memory.
    const bf16 = cardPlan({ ...FIRST_SCREEN, weightsFormat: 'bf16', contextTokens: 16384 });
    expect(shown.find((entry) => entry.format === 'bf16')!.text).toContain(perGpuText(bf16, 'GiB'));
    // Bits per weight over the whole model, not block bits: Q3_K_M and Q3_K_L share Q3_K blocks
    // (3.44 bits) but keep different tensors wider (llama-quant.cpp).
    const bits = (await page.evaluate(`Object.fromEntries([...document.querySelectorAll('tbody tr')]
      .filter((row) => row.querySelector('button.cell'))
      .map((row) => [row.querySelector('button.cell').dataset.format, row.querySelector('[data-testid="effective-bits"]').textContent.trim()]))`)) as Record<
      string,
      string
    >;
    const q3km = cardPlan({ ...FIRST_SCREEN, weightsFormat: 'q3_k_m', contextTokens: 16384 });
    expect(bits['q3_k_m']).toBe(
      effectiveBitsPerWeight(q3km.memory.breakdown.weights, q3km.model.params)!.toFixed(2),
    );
    expect(bits['q3_k_m']).not.toBe(bits['q3_k_l']);
    // Rows biggest first: Q4_K_M (4.58G at Llama-3-8B, quantize.cpp) above Q4_K_S (4.37G).
    const order = shown.map((entry) => entry.format);
    expect(order.indexOf('q4_k_m')).toBeLessThan(order.indexOf('q4_k_s'));
    await page.screenshot({ path: resolve(SCREENSHOTS, 'matrix.png'), fullPage: true });

    await page.locator('button.cell[data-format="q6_k"]').nth(1).click();
    await waitForView(page, 'compare-view');
    const focused = page.locator('.card--focused');
    await expect.poll(() => focused.count(), { timeout: 10_000 }).toBe(1);
    await expect(focused.getByRole('heading').first().textContent()).resolves.toContain('Q6_K');
    expect(errors).toEqual([]);
  });

  it('colours layer offload under llama.cpp: Llama 3.1 70B on one RTX 4090', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByLabel('Search models').fill('llama-3.1-70b');
    await page.getByRole('button', { name: /meta-llama\/Llama-3\.1-70B/ }).click();
    await page.getByTestId('engine').selectOption('llama.cpp');
    await page.getByRole('tab', { name: 'Options matrix' }).click();
    const formats = groupFormats(
      (await createBridgeService('browser').listFormats()).filter((format) =>
        format.engines.includes('llama.cpp'),
      ),
      false,
    ).flatMap((group) => group.formats);
    const request: PlanRequest = {
      ...FIRST_SCREEN,
      modelId: 'meta-llama/Llama-3.1-70B',
      engine: 'llama.cpp',
    };
    const statuses = formats.map(
      (format) => planFromRequest({ ...request, weightsFormat: format.id }).verdict.status,
    );
    const expected = formats.map((format, i) => `${format.id}:${statuses[i]}`).sort();
    await pollPage(
      page,
      `JSON.stringify([...document.querySelectorAll('button.cell')].map((cell) => cell.dataset.format + ':' + cell.dataset.status).sort()) === ${JSON.stringify(JSON.stringify(expected))}`,
    );
    await waitForView(page, 'matrix-view');
    // 70 B parameters need ~40 GB even at 4.5 bits: llama.cpp keeps some layers in system RAM.
    expect(statuses).toContain('needs-offload');
    const offloadColour = await page.evaluate(`(() => {
      const probe = document.createElement('span');
      document.body.append(probe);
      probe.style.backgroundColor = getComputedStyle(document.documentElement).getPropertyValue('--offload');
      const colour = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return [colour, getComputedStyle(document.querySelector('button.cell[data-status="needs-offload"]')).backgroundColor];
    })()`);
    expect((offloadColour as string[])[1]).toBe((offloadColour as string[])[0]);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'matrix-offload.png'), fullPage: true });

    // Its card in Compare says how many layers stay on the GPU and what goes to system RAM.
    const q4 = planFromRequest({ ...request, weightsFormat: 'q4_k_m' });
    const offload = q4.verdict.offload;
    if (!offload) throw new Error('Q4_K_M of a 70B model offloads on one 24 GB card');
    await page.locator('button.cell[data-format="q4_k_m"]').click();
    await waitForView(page, 'compare-view');
    await expect(
      page.locator('.card--focused').getByTestId('offload').textContent(),
    ).resolves.toMatch(
      new RegExp(
        `${offload.deviceLayers} of ${offload.totalLayers} layers on the devices,\\s+${formatBytes(offload.hostBytes, 'GiB')} in system RAM`,
      ),
    );
    await page.screenshot({ path: resolve(SCREENSHOTS, 'compare-offload.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('draws memory against context with the longest context that fits from the planner', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByRole('tab', { name: 'Explorer' }).click();
    await waitForView(page, 'explorer-view');
    for (const format of ['bf16', 'q8_0', 'q4_k_m']) {
      const plan = cardPlan({
        ...FIRST_SCREEN,
        weightsFormat: format,
        solve: ['max-context'],
      });
      const maxContext = plan.solution?.maxContext;
      if (typeof maxContext !== 'number') throw new Error(`${format} fits some context on a 4090`);
      const cell = await page
        .getByTestId('max-context-table')
        .locator(`td[data-format="${format}"]`)
        .textContent();
      expect(cell).toContain(maxContext.toLocaleString('en-US'));
      // Llama 3.1's config.json max_position_embeddings is 131,072: the search stops there, and
      // the table says that limit is the model's, not the memory's.
      expect(cell?.includes("the model's trained context")).toBe(maxContext === 131_072);
    }
    expect(await page.getByTestId('explorer-legend').textContent()).toMatch(
      /fits.*tight.*offload.*no fit.*device capacity/s,
    );
    await expect
      .poll(() => page.locator('[data-testid="explorer-view"] canvas').count(), { timeout: 10_000 })
      .toBe(1);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'explorer.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('lists every assumption of the focused plan with its source, and its warnings', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByTestId('context').selectOption('262144');
    await page.getByRole('button', { name: 'Assumptions' }).nth(1).click();
    await waitForView(page, 'assumptions-view');
    const plan = cardPlan({ ...FIRST_SCREEN, weightsFormat: 'q8_0', contextTokens: 262144 });
    const rows = page.getByTestId('assumptions-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(plan.assumptions.length);
    for (const [i, assumption] of plan.assumptions.entries()) {
      await expect(rows.nth(i).locator('td').last().textContent()).resolves.toBe(assumption.source);
    }
    // 256k is past Llama 3.1's trained 128k: the planner warns, and the view shows it.
    expect(plan.warnings.length).toBeGreaterThan(0);
    await expect(page.getByTestId('warnings').locator('li').allTextContents()).resolves.toEqual(
      plan.warnings,
    );
    await page.screenshot({ path: resolve(SCREENSHOTS, 'assumptions.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('plans a custom device the user types in, as the bridge does', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByText('Add a custom device').click();
    await page.getByLabel('Name').fill('Modded 4090');
    await page.getByLabel('Memory (GiB)').fill('48'); // the unit the toggle shows
    await page.getByLabel('Bandwidth (GB/s)').fill('1008');
    await page.getByLabel('Peak FP16 TFLOPS (dense, no sparsity)').fill('165.2');
    await page.getByRole('button', { name: 'Add custom device' }).click();
    await page.screenshot({ path: resolve(SCREENSHOTS, 'custom-device.png'), fullPage: true });
    const revision = await waitForView(page, 'compare-view');
    await waitForView(page, 'compare-view', revision);
    const plan = await createBridgeService('browser').plan(
      cardRequest({
        ...FIRST_SCREEN,
        deviceIds: [],
        customDevices: [
          {
            name: 'Modded 4090',
            memoryBytes: 48 * 2 ** 30,
            bandwidthBytesPerSecond: 1008e9,
            peak16BitOpsPerSecond: 165.2e12,
          },
        ],
        weightsFormat: 'bf16',
      }),
    );
    const card = page.getByRole('region', { name: 'Modded 4090' }).getByTestId('plan-card').first();
    await expect(card.getByTestId('reason').textContent()).resolves.toBe(plan.verdict.reason);
    await expect(card.getByTestId('decode').textContent()).resolves.toContain(decodeText(plan));
    expect(errors).toEqual([]);
  });

  it('plans several of one device together, one bar per device against its capacity', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByLabel('Search models').fill('llama-3.1-70b');
    await page.getByRole('button', { name: /meta-llama\/Llama-3\.1-70B/ }).click();
    await page.getByLabel('How many NVIDIA GeForce RTX 4090 24GB').fill('4');
    await page.getByLabel('How many NVIDIA GeForce RTX 4090 24GB').press('Enter');
    const plan = cardPlan({
      ...FIRST_SCREEN,
      modelId: 'meta-llama/Llama-3.1-70B',
      deviceIds: Array.from({ length: 4 }, () => 'nvidia-rtx-4090'),
      weightsFormat: 'q4_k_m',
    });
    const card = page.getByTestId('plan-card').nth(2);
    await pollPage(
      page,
      `[...document.querySelectorAll('[data-testid="reason"]')].at(2)?.textContent === ${JSON.stringify(plan.verdict.reason)}`,
    );
    await waitForView(page, 'compare-view');
    // Four GPUs: the busiest one's memory per GPU, and all four together.
    await expect(card.getByTestId('per-gpu-memory').textContent()).resolves.toBe(
      perGpuText(plan, 'GiB'),
    );
    await expect(card.getByTestId('all-gpus-memory').textContent()).resolves.toBe(
      formatBytes(memoryScope(plan).allGpusBytes!, 'GiB'),
    );
    await expect(
      page.getByRole('region', { name: '4 × NVIDIA GeForce RTX 4090 24GB' }).count(),
    ).resolves.toBe(1);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'compare-four-gpus.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('says what to do when no device is chosen, and still shows what the model needs', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByRole('button', { name: 'Remove NVIDIA GeForce RTX 4090 24GB' }).click();
    await page.getByTestId('compare-empty').waitFor();
    await expect(page.getByTestId('no-devices').textContent()).resolves.toContain(
      'No device chosen',
    );
    const plan = cardPlan({ ...FIRST_SCREEN, deviceIds: [], weightsFormat: 'bf16' });
    await pollPage(
      page,
      `document.querySelectorAll('[data-testid="plan-card"] [data-status="no-device"]').length === 3`,
    );
    await expect(page.getByTestId('total-memory').first().textContent()).resolves.toBe(
      formatBytes(plan.memory.total, 'GiB'),
    );
    await page.getByRole('tab', { name: 'Options matrix' }).click();
    await page.getByTestId('matrix-empty').waitFor();
    await page.getByRole('tab', { name: 'Compare' }).click();
    await waitForView(page, 'compare-view');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'compare-no-device.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('follows a dark OS theme', async () => {
    const { page, errors } = await openPage(workbench, { colorScheme: 'dark' });
    await waitForView(page, 'compare-view');
    const background = await page.evaluate(
      `getComputedStyle(document.documentElement).backgroundColor`,
    );
    expect(background).toBe('rgb(20, 23, 29)'); // --bg of the dark theme in renderer/styles.css
    await page.screenshot({ path: resolve(SCREENSHOTS, 'compare-dark.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Explorer' }).click();
    await waitForView(page, 'explorer-view');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'explorer-dark.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
