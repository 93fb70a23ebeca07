import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/chromium';
import { formatBytes } from '../../core/units/bytes';
import {
  cardPlan,
  FIRST_SCREEN,
  FIRST_SCREEN_FORMATS,
  SCREENSHOTS,
  openPage,
  pollPage,
  startWorkbenchBrowser,
  waitForView,
  type Workbench,
  perGpuText,
} from './workbench-page';

/** Exports in a format through the panel and answers the downloaded file's name and text. */
async function exportAs(
  page: Page,
  format: 'md' | 'html',
): Promise<{ name: string; text: string }> {
  await page.getByTestId(`export-format-${format}`).check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-run').click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

describeWithBrowser('exports from browser mode in real Chromium', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await startWorkbenchBrowser();
  });
  afterAll(async () => {
    await workbench?.close();
  });

  it('downloads the Markdown and HTML reports of the compared plans, with the plans’ numbers', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByTestId('export-open').click();
    await page.getByTestId('export-panel').waitFor();
    const plans = FIRST_SCREEN_FORMATS.map((weightsFormat) =>
      cardPlan({ ...FIRST_SCREEN, weightsFormat }),
    );

    const markdown = await exportAs(page, 'md');
    expect(markdown.name).toBe('headroom-report-llama-3.1-8b.md');
    expect(markdown.text.startsWith('# Fit report: Llama 3.1 8B')).toBe(true);
    for (const plan of plans) {
      // The summary table prints each total and the busiest device as the cards do (GiB, two
      // decimals); llama.cpp keeps token_embd in system RAM, so they differ for GGUF cards.
      const total = formatBytes(plan.memory.total, 'GiB').replace(' GiB', '');
      expect(markdown.text).toContain(
        `| ${total} | ${perGpuText(plan, 'GiB').replace(' GiB', '')} |`,
      );
    }
    await page.screenshot({ path: resolve(SCREENSHOTS, 'export-panel.png') });

    const html = await exportAs(page, 'html');
    expect(html.name).toBe('headroom-report-llama-3.1-8b.html');
    expect(html.text).toMatch(/^<!doctype html>/i);
    for (const plan of plans) {
      expect(html.text).toContain(formatBytes(plan.memory.total, 'GiB').replace(' GiB', ''));
    }
    expect(await page.getByTestId('export-outcome').textContent()).toContain(html.name);
    expect(errors).toEqual([]);
  });

  it('shows a card’s vLLM launch settings and copies them to the clipboard', async () => {
    const { page, errors } = await openPage(workbench, {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    await waitForView(page, 'compare-view');
    await page.getByTestId('plan-card').first().getByTestId('launch').click();
    // The BF16 card plans with transformers, which has no launch settings: the panel says so
    // and opens on no engine rather than showing another plan's settings as the card's.
    expect(await page.getByTestId('launch-plan-engine').textContent()).toContain(
      'writes no launch settings',
    );
    await page.getByTestId('launch-engine-vllm').check();
    const text = page.getByTestId('launch-text');
    await text.waitFor();
    const shown = (await text.textContent()) ?? '';
    expect(shown).toMatch(/^vllm serve meta-llama\/Llama-3\.1-8B \\$/m);
    expect(shown).toContain('--max-model-len 4096');
    expect(await page.getByTestId('launch-file-name').textContent()).toBe('vllm-serve.sh');
    await page.getByTestId('launch-copy').click();
    await page.getByTestId('launch-copied').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(shown);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'launch-settings.png') });

    await page.getByTestId('launch-engine-llama.cpp').check();
    await pollPage(
      page,
      `document.querySelector('[data-testid="launch-text"]')?.textContent.includes('llama-server')`,
    );
    expect(errors).toEqual([]);
  });
});
