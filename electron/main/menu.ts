import type { MenuItemConstructorOptions } from 'electron';
import type { ThemePreference } from '../../core/bridge';

/** What the menu shows: it is rebuilt when any of this changes. */
export interface MenuState {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  readonly theme: ThemePreference;
  /** Developer tools in the View menu (unpackaged builds only). */
  readonly devTools: boolean;
}

/** What the menu's own items do (roles such as Quit and Copy are Electron's). */
export interface MenuActions {
  openModelFile(): void;
  openModelFolder(): void;
  /** File → Export report…: the page opens its Export panel. */
  exportReport(): void;
  /** File → Import Measured Run…: engine logs or measurements for the Measurements view. */
  importMeasuredRun(): void;
  setTheme(theme: ThemePreference): void;
  showAbout(): void;
}

/** The theme choices of View → Theme, in menu order. */
const THEME_MENU_ITEMS: readonly {
  readonly theme: ThemePreference;
  readonly label: string;
}[] = [
  { theme: 'system', label: 'Follow the System' },
  { theme: 'light', label: 'Light' },
  { theme: 'dark', label: 'Dark' },
];

/**
 * The application menu: File (open a model file or folder, export a report, quit), Edit (so
 * copy and paste work in text fields on macOS), View (theme, zoom), Window, Help (about). On
 * macOS the app menu also holds About and Quit, where the Human Interface Guidelines place them.
 */
export function menuTemplate(state: MenuState, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const about: MenuItemConstructorOptions = {
    label: `About ${state.appName}`,
    click: () => actions.showAbout(),
  };
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: state.appName,
          submenu: [
            about,
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [
    ...appMenu,
    {
      label: '&File',
      submenu: [
        {
          label: 'Open Model…',
          accelerator: 'CmdOrCtrl+O',
          click: () => actions.openModelFile(),
        },
        {
          label: 'Open Model Folder…',
          accelerator: 'CmdOrCtrl+Shift+O',
          click: () => actions.openModelFolder(),
        },
        { type: 'separator' },
        {
          label: 'Export Report…',
          accelerator: 'CmdOrCtrl+E',
          click: () => actions.exportReport(),
        },
        {
          label: 'Import Measured Run…',
          click: () => actions.importMeasuredRun(),
        },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        {
          label: 'Theme',
          submenu: THEME_MENU_ITEMS.map(({ theme, label }) => ({
            label,
            type: 'radio' as const,
            checked: state.theme === theme,
            click: () => actions.setTheme(theme),
          })),
        },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(state.devTools
          ? [
              { type: 'separator' as const },
              { role: 'reload' as const },
              { role: 'toggleDevTools' as const },
            ]
          : []),
      ],
    },
    { role: 'windowMenu' },
    {
      label: '&Help',
      role: 'help',
      submenu: [about],
    },
  ];
}
