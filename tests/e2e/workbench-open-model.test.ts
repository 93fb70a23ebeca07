import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Plan } from '../../core/plan/types';
import { runHeadroom } from '../helpers/run-command';
import { describeWithBrowser } from '../helpers/chromium';
import { describeWithShared, SHARED_DIR } from '../helpers/shared';
import {
  SCREENSHOTS,
  openPage,
  pollPage,
  startWorkbenchBrowser,
  waitForView,
  type Workbench,
  perGpuText,
} from './workbench-page';

describeWithShared('opening a model folder in browser mode', () => {
  describeWithBrowser('in real Chromium', () => {
    let workbench: Workbench;
    let folder: string;

    beforeAll(async () => {
      workbench = await startWorkbenchBrowser();
      // Qwen3 8B's own config.json (Hugging Face Qwen/Qwen3-8B), alone in a model folder.
      folder = join(await mkdtemp(join(tmpdir(), 'headroom-e2e-model-')), 'Qwen3-8B');
      await mkdir(folder);
      await copyFile(
        join(SHARED_DIR, 'data/hf-configs/Qwen__Qwen3-8B.json'),
        join(folder, 'config.json'),
      );
    });
    afterAll(async () => {
      await workbench?.close();
      await rm(join(folder, '..'), { recursive: true, force: true });
    });

    it('reads the folder, shows the spec with its source, and plans it as `plan --model <folder>`', async () => {
      const { page, errors } = await openPage(workbench);
      await waitForView(page, 'compare-view');
      await page.getByLabel('File or folder').check();
      await page.getByLabel('Path or Hugging Face id').fill(folder);
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await pollPage(
        page,
        `document.querySelector('[data-testid="model-spec"]')?.textContent.includes(${JSON.stringify(folder)})`,
      );
      await expect(page.getByTestId('model-spec').textContent()).resolves.toContain(
        `config.json at ${folder}`,
      );
      const cli = await runHeadroom([
        'plan',
        '--model',
        folder,
        '--device',
        'nvidia-rtx-4090',
        '--weights',
        'q4_k_m',
        '--engine',
        'llama.cpp',
        '--unit',
        'GiB',
        '--json',
      ]);
      expect(cli.stderr).toBe('');
      const plan = JSON.parse(cli.stdout) as Plan;
      const card = page.getByTestId('plan-card').nth(2);
      await pollPage(
        page,
        `[...document.querySelectorAll('[data-testid="plan-card"] [data-testid="per-gpu-memory"]')].at(2)?.textContent === ${JSON.stringify(perGpuText(plan, 'GiB'))}`,
      );
      await waitForView(page, 'compare-view');
      await expect(card.getByTestId('reason').textContent()).resolves.toBe(plan.verdict.reason);
      await page.screenshot({ path: resolve(SCREENSHOTS, 'model-opened.png'), fullPage: true });
      expect(errors).toEqual([]);
    });

    it('says where a path leads nowhere, in the model panel', async () => {
      const { page, errors } = await openPage(workbench);
      await waitForView(page, 'compare-view');
      await page.getByLabel('File or folder').check();
      await page.getByLabel('Path or Hugging Face id').fill(join(folder, 'missing.gguf'));
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await page.getByTestId('model-open-error').waitFor();
      await expect(page.getByTestId('model-open-error').textContent()).resolves.toContain(
        'missing.gguf',
      );
      expect(errors).toEqual([]);
    });
  });
});
