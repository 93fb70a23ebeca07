import { app, BrowserWindow, dialog, Menu, nativeTheme } from 'electron';
import type { AppCommand, HeadroomBridge, ThemePreference } from '../../core/bridge';
import { readMeasuredFiles } from '../measure/read-files';
import { chooseMeasuredFiles, chooseModelPath, showAbout } from './dialogs';
import { EventChannel } from './ipc/channels';
import { menuTemplate } from './menu';

/** Sends a menu command to the page of a window (its preload hands it to the renderer). */
function sendCommand(window: BrowserWindow, command: AppCommand): void {
  window.webContents.send(EventChannel.command, command);
}

/** The window a menu item (or a dialog) acts on: the focused one, else the first. */
export function targetWindow(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

/**
 * Installs the application menu for a theme, and applies the theme to native UI (and to the
 * page's prefers-color-scheme). Call again when the saved theme changes.
 */
export function installAppMenu(theme: ThemePreference, bridge: HeadroomBridge): void {
  nativeTheme.themeSource = theme;
  const open = async (kind: 'file' | 'folder'): Promise<void> => {
    const window = targetWindow();
    if (!window) return;
    const path = await chooseModelPath(window, kind);
    if (path !== null) sendCommand(window, { kind: 'open-model-path', path });
  };
  const template = menuTemplate(
    { platform: process.platform, appName: app.getName(), theme, devTools: !app.isPackaged },
    {
      openModelFile: () => void open('file'),
      openModelFolder: () => void open('folder'),
      exportReport: () => {
        const window = targetWindow();
        if (window) sendCommand(window, { kind: 'export-report' });
      },
      importMeasuredRun: () => {
        const window = targetWindow();
        if (!window) return;
        void chooseMeasuredFiles(window)
          .then(readMeasuredFiles)
          .then((files) => {
            if (files.length > 0) sendCommand(window, { kind: 'import-measured-files', files });
          })
          .catch((thrown: unknown) =>
            dialog.showErrorBox(
              'Import Measured Run',
              thrown instanceof Error ? thrown.message : String(thrown),
            ),
          );
      },
      setTheme: (next) => {
        nativeTheme.themeSource = next;
        // The page saves the choice (it owns the settings); the save rebuilds this menu.
        const window = targetWindow();
        if (window) sendCommand(window, { kind: 'set-theme', theme: next });
      },
      showAbout: () => {
        const window = targetWindow();
        if (window) void bridge.appInfo().then((info) => showAbout(window, info));
      },
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
