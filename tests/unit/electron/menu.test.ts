import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { ThemePreference } from '../../../core/bridge';
import { menuTemplate, type MenuActions, type MenuState } from '../../../electron/main/menu';

/** The actions, recording what was asked of them. */
function recorder(): { actions: MenuActions; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      openModelFile: () => calls.push('open file'),
      openModelFolder: () => calls.push('open folder'),
      exportReport: () => calls.push('export'),
      importMeasuredRun: () => calls.push('import measured'),
      setTheme: (theme: ThemePreference) => calls.push(`theme ${theme}`),
      showAbout: () => calls.push('about'),
    },
  };
}

const LINUX: MenuState = {
  platform: 'linux',
  appName: 'Headroom',
  theme: 'system',
  devTools: false,
};

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return (item?.submenu ?? []) as MenuItemConstructorOptions[];
}

function byLabel(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const found = items.find((item) => item.label === label);
  if (!found) throw new Error(`no menu item "${label}" in ${items.map((i) => i.label ?? i.role)}`);
  return found;
}

/** Clicks an item's own action (Electron passes the item, window and event; ours take none). */
function click(item: MenuItemConstructorOptions): void {
  (item.click as () => void)();
}

describe('the application menu', () => {
  it('has File, Edit, View, Window and Help on Linux and Windows', () => {
    const template = menuTemplate(LINUX, recorder().actions);
    expect(template.map((item) => item.label ?? item.role)).toEqual([
      '&File',
      'editMenu',
      '&View',
      'windowMenu',
      '&Help',
    ]);
  });

  it('opens a model file or folder from File, with the usual shortcuts, and quits', () => {
    const { actions, calls } = recorder();
    const file = submenu(menuTemplate(LINUX, actions)[0]);
    const openFile = byLabel(file, 'Open Model…');
    const openFolder = byLabel(file, 'Open Model Folder…');
    expect(openFile.accelerator).toBe('CmdOrCtrl+O');
    expect(openFolder.accelerator).toBe('CmdOrCtrl+Shift+O');
    click(openFile);
    click(openFolder);
    expect(calls).toEqual(['open file', 'open folder']);
    expect(file.at(-1)?.role).toBe('quit');
  });

  it('imports measured runs from File (issue 18)', () => {
    const { actions, calls } = recorder();
    click(byLabel(submenu(menuTemplate(LINUX, actions)[0]), 'Import Measured Run…'));
    expect(calls).toEqual(['import measured']);
  });

  it('exports a report from File with Ctrl/Cmd+E', () => {
    const { actions, calls } = recorder();
    const exportItem = byLabel(submenu(menuTemplate(LINUX, actions)[0]), 'Export Report…');
    expect(exportItem.accelerator).toBe('CmdOrCtrl+E');
    click(exportItem);
    expect(calls).toEqual(['export']);
  });

  it('checks the saved theme among System, Light and Dark, and switches theme on click', () => {
    for (const theme of ['system', 'light', 'dark'] as const) {
      const { actions, calls } = recorder();
      const view = submenu(menuTemplate({ ...LINUX, theme }, actions)[2]);
      const themes = submenu(byLabel(view, 'Theme'));
      expect(themes.map((item) => item.type)).toEqual(['radio', 'radio', 'radio']);
      expect(themes.filter((item) => item.checked).map((item) => item.label)).toEqual([
        { system: 'Follow the System', light: 'Light', dark: 'Dark' }[theme],
      ]);
      click(byLabel(themes, 'Dark'));
      expect(calls).toEqual(['theme dark']);
    }
  });

  it('shows About from Help, and on macOS from the app menu too, where Quit also lives', () => {
    const { actions, calls } = recorder();
    click(byLabel(submenu(menuTemplate(LINUX, actions).at(-1)), 'About Headroom'));
    const mac = menuTemplate({ ...LINUX, platform: 'darwin' }, actions);
    expect(mac[0]?.label).toBe('Headroom');
    const appMenu = submenu(mac[0]);
    click(byLabel(appMenu, 'About Headroom'));
    expect(calls).toEqual(['about', 'about']);
    expect(appMenu.at(-1)?.role).toBe('quit');
    expect(submenu(mac[1]).at(-1)?.role).toBe('close');
  });

  it('offers developer tools only in unpackaged builds', () => {
    const roles = (state: MenuState) =>
      submenu(menuTemplate(state, recorder().actions)[2]).map((item) => item.role);
    expect(roles(LINUX)).not.toContain('toggleDevTools');
    expect(roles({ ...LINUX, devTools: true })).toContain('toggleDevTools');
  });
});
