import { readFileSync } from 'node:fs';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  chooseRendererUrl,
  denyPermissionCheck,
  EXTERNAL_LINK_HOSTS,
  isAllowedExternalUrl,
} from '../../../../electron/main/security';
import { CONTENT_SECURITY_POLICY } from '../../../../electron/services/content-security-policy';

/**
 * Issue 16, D7: the desktop app's hardening, in the parts that run without Electron's binary
 * (which cannot be downloaded here): the CSP <meta>, the fuses electron-builder flips, the
 * openExternal allow-list, the dev-server URL in packaged builds, the permission checks.
 */

/** electron-builder 26's FuseOptionsV1, as its Configuration names it. */
type FuseOptions = NonNullable<Configuration['electronFuses']>;

const BUILT = 'file:///opt/Headroom/resources/app.asar/out/renderer/index.html';

describe('Content-Security-Policy in the page itself', () => {
  const html = readFileSync('renderer/index.html', 'utf8');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);

  it('is a <meta> in renderer/index.html', () => {
    expect(meta).not.toBeNull();
  });

  it('is the header policy, less frame-ancestors (which a <meta> cannot carry)', () => {
    const headerWithoutFraming = CONTENT_SECURITY_POLICY.split('; ')
      .filter((directive) => !directive.startsWith('frame-ancestors'))
      .join('; ');
    expect(meta?.[1]).toBe(headerWithoutFraming);
  });
});

describe('Electron fuses in electron-builder.yml', () => {
  const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Configuration;
  /** Every name electron-builder 26 takes (FuseOptionsV1): a misspelt key is silently ignored. */
  const FUSE_NAMES = [
    'runAsNode',
    'enableCookieEncryption',
    'enableNodeOptionsEnvironmentVariable',
    'enableNodeCliInspectArguments',
    'enableEmbeddedAsarIntegrityValidation',
    'onlyLoadAppFromAsar',
    'loadBrowserProcessSpecificV8Snapshot',
    'grantFileProtocolExtraPrivileges',
    'resetAdHocDarwinSignature',
  ] as const satisfies readonly (keyof FuseOptions)[];

  it('uses only fuse names electron-builder knows', () => {
    for (const key of Object.keys(config.electronFuses ?? {})) {
      expect(FUSE_NAMES as readonly string[]).toContain(key);
    }
  });

  it('turns off run-as-node, NODE_OPTIONS and --inspect; encrypts cookies; loads only an integrity-checked app.asar', () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});

describe('links the page opens in the browser', () => {
  it('opens the Hugging Face pages the app links to', () => {
    expect(EXTERNAL_LINK_HOSTS).toEqual(['huggingface.co']);
    expect(isAllowedExternalUrl('https://huggingface.co/meta-llama/Llama-3.1-8B')).toBe(true);
  });

  it('drops every other host, scheme and trick', () => {
    for (const url of [
      'https://example.com/',
      'http://huggingface.co/',
      'https://huggingface.co.evil.example/',
      'https://evil.example/?https://huggingface.co',
      'https://user:pass@huggingface.co/',
      'https://huggingface.co:8443/',
      'file:///etc/passwd',
      'smb://attacker/share',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});

describe('the page a window loads', () => {
  const dev = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };

  it('ignores ELECTRON_RENDERER_URL in a packaged app', () => {
    expect(chooseRendererUrl(dev, true, BUILT)).toBe(BUILT);
    expect(chooseRendererUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, true, BUILT)).toBe(
      BUILT,
    );
  });

  it('uses electron-vite’s dev server in development, on this machine only', () => {
    expect(chooseRendererUrl(dev, false, BUILT)).toBe('http://localhost:5173/');
    expect(chooseRendererUrl({}, false, BUILT)).toBe(BUILT);
    expect(
      chooseRendererUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false, BUILT),
    ).toBe(BUILT);
    expect(chooseRendererUrl({ ELECTRON_RENDERER_URL: 'not a url' }, false, BUILT)).toBe(BUILT);
  });
});

describe('permission checks', () => {
  it('denies every one', () => {
    expect(denyPermissionCheck()).toBe(false);
  });
});
