import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/chromium';
import type { Plan } from '../../core/plan/types';
import { formatBytes } from '../../core/units/bytes';
import { describeWithShared } from '../helpers/shared';
import { runHeadroom } from '../helpers/run-command';
import { writeEightGpuDump } from '../unit/electron/detect/eight-gpu';
import {
  CPU_ONLY_RECORDING,
  SCREENSHOTS,
  openPage,
  pollPage,
  startWorkbenchBrowser,
  waitForView,
  type Workbench,
  perGpuText,
} from './workbench-page';

/** The detected devices' names, as the Devices panel lists them. */
const DETECTED_NAMES = `[...document.querySelectorAll('[data-testid="detected-kind"] .kind__name')].map((e) => e.textContent.trim())`;

describeWithBrowser('this machine, as its own recording replays it (no GPU)', () => {
  let workbench: Workbench;
  beforeAll(async () => {
    workbench = await startWorkbenchBrowser({ recording: CPU_ONLY_RECORDING });
  });
  afterAll(async () => {
    await workbench?.close();
  });

  it('says no GPU was detected, lists the CPU and its RAM, and keeps the catalog device planned', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByTestId('gpu-verdict').waitFor();
    await expect(page.getByTestId('gpu-verdict').textContent()).resolves.toContain(
      'No GPU detected — plan for a catalog device.',
    );
    const names = (await page.evaluate(DETECTED_NAMES)) as string[];
    expect(names).toHaveLength(1);
    // tests/fixtures/detect/README.md: an Intel Xeon VM with 24684092 kB of RAM.
    expect(names[0]).toMatch(/Xeon/);
    await expect(page.getByTestId('detected-memory').textContent()).resolves.toContain(
      `of ${formatBytes(24684092 * 1024, 'GiB', 1)}`,
    );
    await expect(
      page.getByRole('region', { name: 'NVIDIA GeForce RTX 4090 24GB' }).count(),
    ).resolves.toBe(1);
    await page.getByText('Detection tools:').click();
    await expect
      .poll(() => page.getByTestId('probes').locator('tbody tr').count(), { timeout: 10_000 })
      .toBe(9);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'devices-no-gpu.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('keeps the unit, theme, model and devices across a reload', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByLabel('GB', { exact: true }).check();
    await page.getByTestId('theme').selectOption('dark');
    await page.getByLabel('Search models').fill('qwen3 8b');
    await page.getByRole('button', { name: /Qwen\/Qwen3-8B/ }).click();
    await page.getByLabel('Search catalog devices').fill('l40s');
    await page.getByRole('button', { name: 'Add NVIDIA L40S 48GB' }).click();
    await pollPage(
      page,
      `document.querySelectorAll('[data-testid="compare-view"] section.group').length === 2`,
    );
    // The last save lands before the reload: the devices are saved after the model.
    await pollPage(
      page,
      `fetch('/api/getSettings', { method: 'POST', body: '{"args":[]}' }).then((r) => r.json()).then((e) => e.value.lastDevices?.length === 2)`,
    );

    await page.reload();
    await waitForView(page, 'compare-view');
    await pollPage(
      page,
      `document.querySelector('[data-testid="model-spec"]')?.textContent.includes('Qwen3 8B')`,
    );
    await expect(page.getByLabel('GB', { exact: true }).isChecked()).resolves.toBe(true);
    await expect(page.getByTestId('theme').inputValue()).resolves.toBe('dark');
    await expect(page.evaluate(`document.documentElement.dataset.theme`)).resolves.toBe('dark');
    await expect(
      page.evaluate(`getComputedStyle(document.documentElement).backgroundColor`),
    ).resolves.toBe(
      'rgb(20, 23, 29)', // --bg of the dark theme in renderer/styles.css
    );
    await expect
      .poll(() => page.getByRole('region', { name: 'NVIDIA L40S 48GB' }).count(), {
        timeout: 10_000,
      })
      .toBe(1);
    await pollPage(
      page,
      `document.querySelector('[data-testid="per-gpu-memory"]')?.textContent?.endsWith(' GB')`,
    );
    await expect(page.getByTestId('recent-models').textContent()).resolves.toContain(
      'meta-llama/Llama-3.1-8B',
    );
    await page.screenshot({
      path: resolve(SCREENSHOTS, 'settings-restored-dark.png'),
      fullPage: true,
    });
    expect(errors).toEqual([]);
  });
});

describeWithShared('an 8-GPU node, replayed (the recorded H100 row, composed 8 times)', () => {
  let workbench: Workbench;
  let recording: string;
  beforeAll(async () => {
    recording = await mkdtemp(join(tmpdir(), 'headroom-e2e-8gpu-'));
    await writeEightGpuDump(recording);
    workbench = await startWorkbenchBrowser({ recording });
  });
  afterAll(async () => {
    await workbench?.close();
    await rm(recording, { recursive: true, force: true });
  });

  it('answers for this machine on the first screen: the 8 detected H100s, planned as `--device local`', async () => {
    const { page, errors } = await openPage(workbench);
    await pollPage(
      page,
      `document.querySelector('[data-testid="compare-view"] section.group')?.getAttribute('aria-label') === '8 × NVIDIA H100 80GB HBM3'`,
    );
    await waitForView(page, 'compare-view');
    const cli = await runHeadroom(
      [
        'plan',
        '--model',
        'meta-llama/Llama-3.1-8B',
        '--device',
        'local',
        '--weights',
        'q4_k_m',
        '--engine',
        'llama.cpp',
        '--unit',
        'GiB',
        '--json',
      ],
      { ...process.env, HEADROOM_DETECT_REPLAY: recording },
    );
    expect(cli.stderr).toBe('');
    const plan = JSON.parse(cli.stdout) as Plan;
    expect(plan.scenario.devices).toHaveLength(8);
    const card = page
      .getByRole('region', { name: '8 × NVIDIA H100 80GB HBM3' })
      .getByTestId('plan-card')
      .nth(2);
    await expect(card.getByTestId('per-gpu-memory').textContent()).resolves.toBe(
      perGpuText(plan, 'GiB'),
    );
    await expect(card.getByTestId('reason').textContent()).resolves.toBe(plan.verdict.reason);
    await expect(page.evaluate(DETECTED_NAMES)).resolves.toEqual(['8 × NVIDIA H100 80GB HBM3']);
    // nvidia-smi's recorded memory.free and memory.total: 81081 and 81559 MiB.
    await expect(page.getByTestId('detected-memory').first().textContent()).resolves.toBe(
      `${formatBytes(81081 * 2 ** 20, 'GiB', 1)} free of ${formatBytes(81559 * 2 ** 20, 'GiB', 1)}`,
    );
    await expect(page.getByTestId('detected-devices').textContent()).resolves.toContain(
      'compute capability 9.0',
    );
    await page.getByTestId('refresh-devices').click();
    await waitForView(page, 'compare-view');
    await page.screenshot({
      path: resolve(SCREENSHOTS, 'compare-detected-8-gpus.png'),
      fullPage: true,
    });
    expect(errors).toEqual([]);
  });
});
