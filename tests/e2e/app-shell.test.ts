import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import packageJson from '../../package.json';
import { createBridgeService } from '../../electron/services/bridge-service';
import { startBrowserServer, type BrowserServer } from '../../electron/services/browser-server';
import { describeWithBrowser, launchChromium } from '../helpers/chromium';

const SCREENSHOTS = resolve('tests/e2e/__screenshots__');

describeWithBrowser('browser mode in real Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;

  beforeAll(async () => {
    // The real built renderer (`npm run build` runs before vitest in `npm test`).
    server = await startBrowserServer({
      rendererDir: resolve('out/renderer'),
      bridge: createBridgeService('browser'),
    });
    browser = await launchChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders the app shell with its title, navigation and version, without console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));

    await page.goto(server.url);
    await expect(page.title()).resolves.toBe('Headroom');
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    await expect(page.getByTestId('app-meta').textContent()).resolves.toContain(
      `v${packageJson.version} · browser`,
    );
    await page.screenshot({ path: resolve(SCREENSHOTS, 'app-shell.png') });
    expect(consoleErrors).toEqual([]);
  });
});
