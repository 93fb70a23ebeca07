/** Electron main process: lifecycle only. */
import { app, BrowserWindow, dialog } from 'electron';
import { DEFAULT_SETTINGS, type ThemePreference } from '../../core/bridge';
import { createBridgeService } from '../services/bridge-service';
import { createSettingsFile } from '../services/settings';
import { HeadroomError } from '../../core/errors';
import { installAppMenu, targetWindow } from './app-menu';
import { chooseReportPath, chooseScanPath } from './dialogs';
import { registerBridgeHandlers } from './ipc/handle';
import { checkModelPath } from './model-path';
import { printHtmlWithElectron } from './print-pdf';
import { createMainWindow, hardenSession, rendererUrl } from './window';
import { reportThrown, unexpectedErrorLine } from '../services/unexpected-error';

app.enableSandbox();

/**
 * A defect in the main process: one line on stderr (the stack with HEADROOM_DEBUG=1), the same
 * line in a dialog instead of Electron's stack-trace box, and exit code 3, as every face.
 */
function exitUnexpected(thrown: unknown): void {
  const code = reportThrown('headroom', thrown, (text) => process.stderr.write(text));
  if (app.isReady()) dialog.showErrorBox('Headroom stopped', unexpectedErrorLine(thrown));
  app.exit(code);
}
process.on('uncaughtException', exitUnexpected);
process.on('unhandledRejection', exitUnexpected);

void app.whenReady().then(async () => {
  hardenSession();
  let menuTheme: ThemePreference | undefined;
  const settings = createSettingsFile(app.getPath('userData'), {
    onSetAside: (problem, keptAt) =>
      console.warn(`Headroom: the settings file was unreadable (${problem}); kept at ${keptAt}.`),
    onSaved: (saved) => {
      if (saved.theme !== menuTheme) installAppMenu((menuTheme = saved.theme), bridge);
    },
  });
  // The lab scans only files the user chose in the open dialog, never a path the page made up.
  const chosenScanPaths = new Set<string>();
  const bridge = createBridgeService('desktop', {
    settings,
    checkModelPath: (path) => checkModelPath(path, process.platform),
    dialogs: {
      chooseReportPath: async (name, format) => {
        const window = targetWindow();
        return window ? chooseReportPath(window, name, format) : null;
      },
      chooseScanPath: async () => {
        const window = targetWindow();
        const path = window ? await chooseScanPath(window) : null;
        if (path !== null) chosenScanPaths.add(path);
        return path;
      },
    },
    printPdf: printHtmlWithElectron,
    checkScanPath: (path) => {
      if (!chosenScanPaths.has(path))
        throw new HeadroomError('BAD_ARGUMENT', 'Choose the file to scan with Choose file….');
    },
  });
  registerBridgeHandlers(bridge, rendererUrl());
  const initial = await settings.read().catch(() => DEFAULT_SETTINGS);
  installAppMenu((menuTheme = initial.theme), bridge);

  const open = (): void => {
    const window = createMainWindow();
    // The window paints first; detection (a few tool runs) warms up once it shows.
    window.once('show', () => setTimeout(() => void bridge.detectDevices().catch(() => {}), 0));
  };
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
