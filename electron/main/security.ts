import type { WebPreferences } from 'electron';

/**
 * Window hardening that does not need a running Electron, so it is tested in Node.
 * Electron's security checklist: isolate, sandbox, no Node in the page, deny navigation.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

/**
 * Whether a page at `candidateUrl` is Headroom's own renderer: the same file (packaged) or
 * the same origin (electron-vite's dev server). Everything else is foreign.
 */
export function isOwnRendererUrl(candidateUrl: string, rendererUrl: string): boolean {
  let candidate: URL;
  let own: URL;
  try {
    candidate = new URL(candidateUrl);
    own = new URL(rendererUrl);
  } catch {
    return false;
  }
  if (own.protocol === 'file:')
    return candidate.protocol === 'file:' && candidate.pathname === own.pathname;
  return candidate.origin === own.origin;
}

/**
 * Hosts the app links to, the only ones `shell.openExternal` opens (Electron security
 * checklist §15, "Do not use shell.openExternal with untrusted content"): Hugging Face model
 * pages. A link anywhere else in the page is dropped, so injected content cannot launch
 * arbitrary URLs (or file:, smb: and custom-scheme handlers) on the user's machine.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['huggingface.co'];

/**
 * Whether a URL the page asked to open may go to the user's browser: https only, a host of
 * EXTERNAL_LINK_HOSTS exactly, no credentials in the URL.
 *
 * @example isAllowedExternalUrl('https://huggingface.co/meta-llama/Llama-3.1-8B') // true
 * @example isAllowedExternalUrl('https://huggingface.co.evil.example/') // false
 */
export function isAllowedExternalUrl(
  candidate: string,
  hosts: readonly string[] = EXTERNAL_LINK_HOSTS,
): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    hosts.includes(url.hostname)
  );
}

/**
 * The page to load: electron-vite's dev server (ELECTRON_RENDERER_URL) only in a development
 * run, and only on this machine; the built file otherwise. A packaged app ignores the
 * variable, so nobody can point an installed Headroom at a page of their own (issue 16, D7).
 *
 * @param env the process environment
 * @param isPackaged Electron's app.isPackaged
 * @param builtFileUrl the file:// URL of the built renderer
 */
export function chooseRendererUrl(
  env: NodeJS.ProcessEnv,
  isPackaged: boolean,
  builtFileUrl: string,
): string {
  const devServerUrl = env['ELECTRON_RENDERER_URL'];
  if (isPackaged || devServerUrl === undefined) return builtFileUrl;
  let url: URL;
  try {
    url = new URL(devServerUrl);
  } catch {
    return builtFileUrl;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return (url.protocol === 'http:' || url.protocol === 'https:') && loopback
    ? url.href
    : builtFileUrl;
}

/**
 * The session's permission checks (navigator.permissions.query, and the checks Chromium makes
 * before a request): every one is denied. The page needs no camera, microphone, geolocation,
 * notifications or clipboard-read; setPermissionRequestHandler denies the prompts, this denies
 * the silent checks (Electron security checklist §5).
 */
export function denyPermissionCheck(): boolean {
  return false;
}
