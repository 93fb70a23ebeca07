import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { PlanRequest } from '../../core/bridge';
import { defaultEngine } from '../../core/plan/default-engine';
import { memoryScope } from '../../core/plan/memory-scope';
import { planFromRequest } from '../../core/plan/plan-request';
import { formatBytes, type ByteUnit } from '../../core/units/bytes';
import type { Plan } from '../../core/plan/types';
import { createBridgeService } from '../../electron/services/bridge-service';
import { startBrowserServer, type BrowserServer } from '../../electron/services/browser-server';
import { createLocalDevices } from '../../electron/services/local-devices';
import { createSettingsFile } from '../../electron/services/settings';
import { launchChromium } from '../helpers/chromium';

export const SCREENSHOTS = resolve('tests/e2e/__screenshots__');

/** The first screen's inputs (issue 8) with `headroom plan`'s defaults for the rest. */
export const FIRST_SCREEN: PlanRequest = {
  modelId: 'meta-llama/Llama-3.1-8B',
  deviceIds: ['nvidia-rtx-4090'],
  kvFormat: 'fp16',
  contextTokens: 4096,
  batch: 1,
  engine: 'generic',
  marginFraction: 0.05,
  unit: 'GiB',
};

/**
 * The request a Compare card sends for its weights format: the engine follows the format
 * (core/plan/default-engine.ts) while the engine control is left on "Follows the format".
 */
export function cardRequest(
  request: PlanRequest & { readonly weightsFormat: string },
): PlanRequest {
  return { ...request, engine: defaultEngine(request.weightsFormat) };
}

/** The plan a Compare card shows for a request (see cardRequest). */
export function cardPlan(request: PlanRequest & { readonly weightsFormat: string }): Plan {
  return planFromRequest(cardRequest(request));
}

/** A card's "Per GPU" figure for a plan: the busiest device's memory (core/plan/memory-scope.ts). */
export function perGpuText(plan: Plan, unit: ByteUnit): string {
  const perGpu = memoryScope(plan).perGpuBytes;
  if (perGpu === null) throw new Error('a plan on devices has a per-GPU figure');
  return formatBytes(perGpu, unit);
}

/** The formats the first screen compares: the published one (config.json bf16), Q8_0, Q4_K_M. */
export const FIRST_SCREEN_FORMATS = ['bf16', 'q8_0', 'q4_k_m'];

/**
 * This build machine's own detection recording (tests/fixtures/detect/README.md): no GPU, so
 * the first screen keeps the catalog default and says "No GPU detected".
 */
export const CPU_ONLY_RECORDING = 'tests/fixtures/detect/linux-x86_64-2core-cpu-only';

/** Browser mode on the real built renderer (`npm run build` first) and a real Chromium. */
export interface Workbench {
  readonly server: BrowserServer;
  readonly browser: Browser;
  /** Where this server keeps its settings file (a temp folder, removed on close). */
  readonly settingsDir: string;
  /** Forgets the saved settings (and measured runs), as on a first start. */
  resetSettings(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts browser mode as `npm run serve -- --replay DIR` does: detection replays a recording
 * (this machine's own by default), and settings live in a temp folder (HEADROOM_CONFIG_DIR's
 * role), so the tests never read or write the user's own.
 */
export async function startWorkbenchBrowser(
  options: { recording?: string } = {},
): Promise<Workbench> {
  const settingsDir = await mkdtemp(join(tmpdir(), 'headroom-e2e-settings-'));
  const server = await startBrowserServer({
    rendererDir: resolve('out/renderer'),
    bridge: createBridgeService('browser', {
      localDevices: createLocalDevices({
        HEADROOM_DETECT_REPLAY: resolve(options.recording ?? CPU_ONLY_RECORDING),
      }),
      settings: createSettingsFile(settingsDir),
      // Measured runs and corrections beside the settings, as in the user's settings folder.
      measureDir: settingsDir,
    }),
  });
  const browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    server,
    browser,
    settingsDir,
    resetSettings: async () => {
      for (const file of ['settings.json', 'measurements.json', 'corrections.json']) {
        await rm(join(settingsDir, file), { force: true });
      }
    },
    close: async () => {
      await browser.close();
      await server.close();
      await rm(settingsDir, { recursive: true, force: true });
    },
  };
}

/**
 * A page that collects console errors and uncaught exceptions. Each page starts from no saved
 * settings (a first start, earlier pages closed) unless `keepSettings` says to keep what earlier
 * pages saved.
 */
export async function openPage(
  workbench: Workbench,
  options: {
    colorScheme?: 'light' | 'dark';
    keepSettings?: boolean;
    /** Browser permissions to grant, e.g. clipboard-read for a test that reads what was copied. */
    permissions?: string[];
    /** The window size; 1440×1000 unless a test checks a smaller screen. */
    viewport?: { width: number; height: number };
  } = {},
): Promise<{ page: Page; errors: string[] }> {
  if (!options.keepSettings) {
    // A first start: no page of an earlier test may still be open to write the settings file
    // after it is removed (a late save would restore that test's model and devices here).
    for (const context of workbench.browser.contexts()) await context.close();
    await workbench.resetSettings();
  }
  const page = await workbench.browser.newPage({
    viewport: options.viewport ?? { width: 1440, height: 1000 },
    colorScheme: options.colorScheme ?? 'light',
    ...(options.permissions ? { permissions: options.permissions } : {}),
  });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(workbench.server.url);
  return { page, errors };
}

/**
 * In-page scripts. The e2e tsconfig has no DOM types (tests run in Node), so code that runs in
 * the page is written as source text.
 */
const VIEW_RENDERED = (testId: string, minRevision: number): string => `(() => {
  const view = document.querySelector('[data-testid="${testId}"]');
  if (!view) return false;
  const revision = Number(view.getAttribute('data-revision'));
  if (!(revision >= ${minRevision})) return false;
  const canvases = [...view.querySelectorAll('canvas')];
  return canvases.every((canvas) => canvas.dataset.renderedRevision === String(revision)) ? revision : false;
})()`;

/**
 * Evaluates `expression` in the page until it is truthy, polling from Node. (Playwright's own
 * waitForFunction compiles its predicate with `new Function`, which the renderer's strict CSP
 * refuses; page.evaluate runs through the DevTools protocol, which CSP does not cover.)
 */
export async function pollPage<T>(page: Page, expression: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = (await page.evaluate(expression)) as T;
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${expression}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 10));
  }
}

/**
 * Waits until the view (by test id) has planned at least `minRevision` times and every chart
 * in it has drawn that revision (charts stamp data-rendered-revision once drawn).
 */
export function waitForView(page: Page, testId: string, minRevision = 1): Promise<number> {
  return pollPage<number>(page, VIEW_RENDERED(testId, minRevision));
}

/** Whether the focused element matches a CSS selector. */
function focusedMatches(page: Page, selector: string): Promise<boolean> {
  return page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`);
}

/** Presses Tab until the focused element matches `selector` (at most `limit` presses). */
export async function tabTo(page: Page, selector: string, limit = 150): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await focusedMatches(page, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} was not reached with ${limit} presses of Tab`);
}

export { focusedMatches };
