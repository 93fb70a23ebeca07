/**
 * Headless Chromium for printing reports to PDF (the CLI) and for the browser tests: Debian's
 * `chromium` package at /usr/bin/chromium, or the binary CHROMIUM_PATH names. Driven through
 * playwright-core, which is loaded only when a PDF is asked for.
 */
import { access, constants } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { HeadroomError } from '../../core/errors';

/** Set to a Chromium or Chrome binary to use instead of Debian's. */
const CHROMIUM_PATH_ENV = 'CHROMIUM_PATH';
/** Where Debian's `chromium` package installs the browser (`apt-get install chromium`). */
export const DEBIAN_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a headless run on a closed network: no sandbox (containers and CI run as root),
 * no GPU, and none of the background requests to Google's hosts (updates, sync, QUIC probes)
 * that a closed network refuses and that a report must never make.
 */
const HEADLESS_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The Chromium binary this environment names: CHROMIUM_PATH, else Debian's path. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[CHROMIUM_PATH_ENV];
  return named !== undefined && named !== '' ? named : DEBIAN_CHROMIUM_PATH;
}

/**
 * The Chromium binary, checked to exist and be executable.
 * @throws HeadroomError NOT_AVAILABLE naming the path tried and how to get one
 */
export async function requireChromium(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const path = chromiumPath(env);
  try {
    await access(path, constants.X_OK);
    return path;
  } catch {
    const named = env[CHROMIUM_PATH_ENV] ? `${CHROMIUM_PATH_ENV}=${path}` : path;
    throw new HeadroomError(
      'NOT_AVAILABLE',
      `PDF needs Chromium and there is none at ${named}: install it (Debian/Ubuntu: apt-get install chromium) or set ${CHROMIUM_PATH_ENV} to a Chromium or Chrome binary. --format html writes the same report without it.`,
    );
  }
}

/**
 * Headless Chromium, launched with the flags above.
 * @throws HeadroomError NOT_AVAILABLE when there is no Chromium, or playwright-core is missing
 */
export async function launchHeadlessChromium(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Browser> {
  const executablePath = await requireChromium(env);
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new HeadroomError(
      'NOT_AVAILABLE',
      'PDF needs the playwright-core package to drive Chromium, and it is not installed.',
    );
  }
  return playwright.chromium.launch({
    executablePath,
    headless: true,
    args: [...HEADLESS_CHROMIUM_ARGS],
  });
}
