import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/chromium';
import { VIEW_IDS } from '../../renderer/views/view-ids';
import {
  focusedMatches,
  openPage,
  pollPage,
  SCREENSHOTS,
  startWorkbenchBrowser,
  tabTo,
  waitForView,
  type Workbench,
} from './workbench-page';

/** Each view's root, by its id in the navigation. */
const VIEW_TEST_IDS = VIEW_IDS.map((id) => `${id}-view`);
const TAB_NAMES: Readonly<Record<(typeof VIEW_IDS)[number], string>> = {
  compare: 'Compare',
  matrix: 'Options matrix',
  explorer: 'Explorer',
  assumptions: 'Assumptions',
  serving: 'Serving',
  measurements: 'Measurements',
  quantlab: 'Quant lab',
};

/** axe-core's browser build (devDependency), evaluated in the page as source text. */
const AXE_SOURCE = readFile(resolve('node_modules/axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

describeWithBrowser('the workbench answer-first UX (issue 17)', () => {
  let workbench: Workbench;

  beforeAll(async () => {
    workbench = await startWorkbenchBrowser();
  });

  afterAll(async () => {
    await workbench?.close();
  });

  it('has no serious or critical axe-core violations on any view, light or dark', async () => {
    const axe = await AXE_SOURCE;
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, errors } = await openPage(workbench, { colorScheme });
      await waitForView(page, 'compare-view');
      // page.evaluate goes through the DevTools protocol, which the renderer's CSP does not cover.
      await page.evaluate(axe);
      for (const id of VIEW_IDS) {
        await page.getByRole('tab', { name: TAB_NAMES[id] }).click();
        await waitForView(page, `${id}-view`);
        const violations = (await page.evaluate(
          `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) })))`,
        )) as AxeViolation[];
        const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(severe, `${colorScheme} ${id}: ${JSON.stringify(severe, null, 1)}`).toEqual([]);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('skips to the results with the first Tab, and keeps each list to one Tab stop', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.keyboard.press('Tab');
    await expect(focusedMatches(page, '[data-testid="skip-link"]')).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await expect(focusedMatches(page, '#view-panel')).resolves.toBe(true);
    let presses = 0;
    while (!(await focusedMatches(page, '[data-testid="context"]')) && presses < 60) {
      await page.keyboard.press('Tab');
      presses++;
    }
    console.log(`Tab presses from the skip link's target to Context: ${presses}`);
    expect(presses).toBeLessThan(20);

    // Inside the model list the arrow keys move; Tab leaves the list.
    await tabTo(page, 'button.result');
    const first = await page.evaluate('document.activeElement.textContent');
    await page.keyboard.press('ArrowDown');
    await expect(focusedMatches(page, 'button.result')).resolves.toBe(true);
    expect(await page.evaluate('document.activeElement.textContent')).not.toBe(first);
    await page.keyboard.press('Tab');
    await expect(focusedMatches(page, 'button.result')).resolves.toBe(false);
    expect(errors).toEqual([]);

    // Without the skip link, the model and device lists are one Tab stop each.
    const fresh = await openPage(workbench);
    await waitForView(fresh.page, 'compare-view');
    let fromTop = 0;
    while (!(await focusedMatches(fresh.page, '[data-testid="context"]')) && fromTop < 200) {
      await fresh.page.keyboard.press('Tab');
      fromTop++;
    }
    console.log(
      `Tab presses from the top of the page to Context: ${fromTop} (issue 17 counted 124)`,
    );
    expect(fromTop).toBeLessThan(60);

    expect(fresh.errors).toEqual([]);
  });

  it('closes the Launch panel with Esc and gives focus back to the card', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await tabTo(page, '[data-testid="plan-card"] [data-testid="launch"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('launch-panel').waitFor();
    await expect(focusedMatches(page, '[data-testid="launch-close"]')).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await pollPage(page, `!document.querySelector('[data-testid="launch-panel"]')`);
    await expect(
      focusedMatches(page, '[data-testid="plan-card"] [data-testid="launch"]'),
    ).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it('keeps focus on Enter in the matrix: the opened card takes it', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByRole('tab', { name: 'Options matrix' }).click();
    await waitForView(page, 'matrix-view');
    await page.locator('button.cell[data-format="q6_k"]').first().focus();
    await page.keyboard.press('Enter');
    await waitForView(page, 'compare-view');
    await pollPage(page, `document.activeElement?.matches('.card--focused') ?? false`);
    expect(await page.evaluate('document.activeElement.textContent')).toContain('Q6_K');
    expect(errors).toEqual([]);
  });

  it('offers the common formats by bit width and the rest behind "All formats"', async () => {
    const { page, errors } = await openPage(workbench);
    await waitForView(page, 'compare-view');
    await page.getByRole('tab', { name: 'Explorer' }).click();
    await waitForView(page, 'explorer-view');
    const options = (): Promise<{ groups: string[]; values: string[] }> =>
      page.evaluate(`(() => {
        const select = document.querySelector('[data-testid="add-format"]');
        return {
          groups: [...select.querySelectorAll('optgroup')].map((group) => group.label),
          values: [...select.querySelectorAll('option')].map((option) => option.value).filter(Boolean),
        };
      })()`);
    const common = await options();
    expect(common.groups[0]).toBe('16 bits or more');
    expect(common.values).toContain('q4_k_s');
    expect(common.values).not.toContain('q4_k');
    expect(common.values).not.toContain('q4_1');
    await page.getByTestId('all-formats').check();
    const all = await options();
    expect(all.values).toContain('q4_1');
    expect(all.values).not.toContain('q4_k');
    expect(all.values.length).toBeGreaterThan(common.values.length);
    expect(errors).toEqual([]);
  });

  it('writes a screenshot of every view at 1024×700 and 1440×900, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const viewport of [
        { width: 1024, height: 700 },
        { width: 1440, height: 900 },
      ]) {
        const { page, errors } = await openPage(workbench, { colorScheme, viewport });
        await waitForView(page, 'compare-view');
        for (const [i, id] of VIEW_IDS.entries()) {
          await page.getByRole('tab', { name: TAB_NAMES[id] }).click();
          await waitForView(page, VIEW_TEST_IDS[i]!);
          // Nothing wider than the window: no view scrolls sideways.
          const overflow = (await page.evaluate(
            'document.documentElement.scrollWidth - document.documentElement.clientWidth',
          )) as number;
          expect(overflow, `${id} at ${viewport.width} px`).toBeLessThanOrEqual(0);
          await page.screenshot({
            path: resolve(
              SCREENSHOTS,
              `view-${id}-${viewport.width}x${viewport.height}-${colorScheme}.png`,
            ),
          });
        }
        expect(errors).toEqual([]);
        await page.close();
      }
    }
  });
});
