import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireCatalogDevice, requireCatalogModel } from '../../core/plan/lookups';
import { planFromRequest } from '../../core/plan/plan-request';
import {
  buildFitReport,
  renderReportHtml,
  reportHardware,
  reportModel,
  type FitReport,
} from '../../core/report';
import { describeWithBrowser, launchChromium } from '../helpers/chromium';

const SCREENSHOTS = resolve('tests/e2e/__screenshots__');
/** A made-up origin the page is served from by request interception: nothing else answers. */
const PAGE_URL = 'http://report.headroom.test/report.html';

/** Llama 3.1 70B in three GGUF formats on two RTX 4090s with llama.cpp: fits, fits, needs offload. */
function comparisonReport(): FitReport {
  const values = ['q2_k', 'q4_k_m', 'q8_0'];
  return buildFitReport({
    plans: values.map((weights) => ({
      label: `weights=${weights}`,
      plan: planFromRequest({
        modelId: 'meta-llama/Llama-3.1-70B',
        deviceIds: ['nvidia-rtx-4090', 'nvidia-rtx-4090'],
        weightsFormat: weights,
        kvFormat: 'fp16',
        contextTokens: 8192,
        batch: 1,
        engine: 'llama.cpp',
        marginFraction: 0.05,
        unit: 'GB',
      }),
    })),
    model: reportModel(requireCatalogModel('meta-llama/Llama-3.1-70B')),
    hardware: reportHardware(null, [requireCatalogDevice('nvidia-rtx-4090')]),
    comparison: { option: 'weights', values },
    headroomVersion: '0.1.0',
    generatedAt: '2026-05-01T12:00:00.000Z',
    unit: 'GB',
  });
}

/**
 * Opens HTML as a page of PAGE_URL and records every request the page makes; each one other
 * than the page itself is refused.
 */
async function openRecorded(
  browser: Browser,
  html: string,
): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url === PAGE_URL)
      await route.fulfill({ status: 200, contentType: 'text/html', body: html });
    else await route.abort();
  });
  await page.goto(PAGE_URL, { waitUntil: 'load' });
  return { page, requests, errors };
}

describeWithBrowser('HTML report in real Chromium', () => {
  let browser: Browser;
  const report = comparisonReport();
  const html = renderReportHtml(report);

  beforeAll(async () => {
    browser = await launchChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads as one file: the page itself is its only request, and no console error', async () => {
    const { page, requests, errors } = await openRecorded(browser, html);
    expect(requests).toEqual([PAGE_URL]);
    expect(errors).toEqual([]);
    await expect(page.title()).resolves.toBe(report.title);
    await page.close();
  });

  it('makes no request even with its Content-Security-Policy removed (nothing in it points out)', async () => {
    const withoutCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(withoutCsp).not.toBe(html);
    const { page, requests } = await openRecorded(browser, withoutCsp);
    expect(requests).toEqual([PAGE_URL]);
    await page.close();
  });

  it('shows the numbers with their units, the verdicts and a bar per plan × device', async () => {
    const { page } = await openRecorded(browser, html);
    const summary = page.locator('#summary table');
    await expect(summary.locator('th').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['total (GB)', 'per GPU (GB)']),
    );
    for (const { label, plan } of report.plans) {
      const row = summary.locator('tr', { hasText: label });
      await expect(row.isVisible()).resolves.toBe(true);
      await expect(row.textContent()).resolves.toContain((plan.memory.total / 1e9).toFixed(2));
    }
    await expect(page.getByText('Needs offload').first().isVisible()).resolves.toBe(true);
    // RTX 4090: 24 GiB = 25.77 GB (NVIDIA Ada whitepaper, Appendix A), beside every bar.
    const chart = page.locator('svg.memory-chart');
    await expect(chart.isVisible()).resolves.toBe(true);
    await expect.poll(() => chart.locator('text.value').count(), { timeout: 10_000 }).toBe(6);
    const values = await chart.locator('text.value').allTextContents();
    expect(values.every((value) => value.endsWith(' / 25.77 GB'))).toBe(true);
    // Bars are drawn at a real size on screen, and the wider the plan, the longer its weights bar.
    const bars = chart.locator('rect[fill="#4e79a7"][height="20"]');
    const widths = await Promise.all(
      [0, 2, 4].map(async (index) => (await bars.nth(index).boundingBox())!.width),
    );
    expect(widths[0]!).toBeGreaterThan(20);
    expect(widths[0]!).toBeLessThan(widths[1]!);
    expect(widths[1]!).toBeLessThan(widths[2]!);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'report.png'), fullPage: true });
    await page.close();
  });
});
