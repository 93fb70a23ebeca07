import { join } from 'node:path';
import { app, BrowserWindow, session, shell } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../services/content-security-policy';
import {
  chooseRendererUrl,
  denyPermissionCheck,
  isAllowedExternalUrl,
  isOwnRendererUrl,
  secureWebPreferences,
} from './security';

/**
 * Where the renderer lives: electron-vite's dev server in a development run, the built file
 * otherwise (and always in a packaged app).
 */
export function rendererUrl(): string {
  const builtFileUrl = new URL(`file://${join(import.meta.dirname, '../renderer/index.html')}`)
    .href;
  return chooseRendererUrl(process.env, app.isPackaged, builtFileUrl);
}

/**
 * Applies the CSP to every response (index.html carries it as a <meta> too, since response
 * headers on file:// are not reliable) and denies permission prompts and checks.
 */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(denyPermissionCheck);
}

/** Creates the main window, shown as soon as it has painted. */
export function createMainWindow(): BrowserWindow {
  const url = rendererUrl();
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Headroom',
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/index.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('will-navigate', (event, targetUrl) => {
    if (!isOwnRendererUrl(targetUrl, url)) event.preventDefault();
  });
  // New windows are never opened; links to the hosts the app links to go to the browser.
  window.webContents.setWindowOpenHandler(({ url: targetUrl }) => {
    if (isAllowedExternalUrl(targetUrl)) void shell.openExternal(targetUrl);
    return { action: 'deny' };
  });
  void window.loadURL(url);
  return window;
}
