import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { Browser } from 'playwright-core';
import { describe } from 'vitest';
import { chromiumPath, launchHeadlessChromium } from '../../electron/services/chromium';

/** Debian's chromium (installed by .ci/run), or CHROMIUM_PATH. */
export const CHROMIUM_PATH = chromiumPath();

/**
 * Set to 1 (as .ci/run does) to make a missing browser or poppler a failure instead of a
 * skip, so CI never silently skips the end-to-end tests.
 */
export const REQUIRE_BROWSER_ENV = 'HEADROOM_REQUIRE_BROWSER';

/** Whether this run must have the browser tools: HEADROOM_REQUIRE_BROWSER=1 (CI). */
export function browserRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[REQUIRE_BROWSER_ENV];
  return value !== undefined && value !== '' && value !== '0';
}

/** Whether the Chromium binary this environment names exists and is executable. */
export function chromiumAvailable(path: string = CHROMIUM_PATH): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether Debian's poppler-utils (pdftotext, pdfinfo) are on PATH, for the PDF checks. */
export function popplerAvailable(): boolean {
  return spawnSync('pdftotext', ['-v']).error === undefined;
}

/** A tool the browser tests need, and the line that says how to get it. */
export interface BrowserTool {
  readonly name: 'chromium' | 'poppler';
  readonly available: boolean;
  readonly install: string;
}

/** Chromium always; poppler-utils only where PDFs are read back. */
export function browserTools(options: { poppler?: boolean } = {}): BrowserTool[] {
  const tools: BrowserTool[] = [
    {
      name: 'chromium',
      available: chromiumAvailable(),
      install: `Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
    },
  ];
  if (options.poppler === true) {
    tools.push({
      name: 'poppler',
      available: popplerAvailable(),
      install: 'pdftotext (apt-get install poppler-utils)',
    });
  }
  return tools;
}

/** The one line a run prints when browser tools are missing, or null when none is. */
export function missingBrowserLine(tools: readonly BrowserTool[]): string | null {
  const missing = tools.filter((tool) => !tool.available);
  if (missing.length === 0) return null;
  const what = missing.some((tool) => tool.name === 'chromium')
    ? 'end-to-end browser tests'
    : 'PDF report tests';
  return `${what} SKIPPED: no ${missing.map((tool) => tool.install).join(', no ')}. ${REQUIRE_BROWSER_ENV}=1 (set by .ci/run) makes this a failure.`;
}

/**
 * A describe block that needs a real Chromium (and poppler where asked). Without them it is
 * skipped (tests/helpers/browser-setup.ts prints the one line that says so); with
 * HEADROOM_REQUIRE_BROWSER=1 it runs anyway and fails on the missing tool.
 */
export function describeWithBrowser(
  name: string,
  body: () => void,
  options: { poppler?: boolean } = {},
): void {
  const missing = missingBrowserLine(browserTools(options)) !== null;
  describe.skipIf(missing && !browserRequired())(name, body);
}

/**
 * Headless Chromium as the workplace runs it (electron/services/chromium.ts, shared with the
 * CLI's PDF printing): the background-networking flags stop it from calling Google's hosts,
 * which this machine's closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  return launchHeadlessChromium();
}
