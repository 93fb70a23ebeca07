/**
 * What the workbench remembers between runs, with its value lists and defaults (the zod schema
 * in electron/services/bridge-schemas.ts is pinned to these types). Re-exported by core/bridge.ts.
 */
import type { CustomDeviceRequest } from './devices/custom-device';
import type { ByteUnit } from './units/bytes';

/** The colour themes the user may ask for: the OS's, or always light or dark. */
export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

/** A model as the settings remember it (a file by its path: it is read again on start). */
export type SavedModel =
  | { readonly kind: 'catalog'; readonly id: string }
  | { readonly kind: 'params'; readonly params: number }
  | { readonly kind: 'file'; readonly path: string };

/**
 * A device group as the settings remember it. Detected devices are remembered by name: their
 * `local:N` ids belong to one detection, and the next start may number them differently.
 */
export type SavedDeviceGroup =
  | { readonly source: 'catalog'; readonly id: string; readonly count: number }
  | { readonly source: 'detected'; readonly name: string; readonly count: number }
  | { readonly source: 'custom'; readonly spec: CustomDeviceRequest; readonly count: number };

/** What the workbench remembers between runs (electron/services/settings.ts keeps it). */
export interface Settings {
  readonly unit: ByteUnit;
  readonly theme: ThemePreference;
  /** Compare shows a training card beside the inference cards of each device group. */
  readonly showTraining: boolean;
  /** The model planned last; null before the user has chosen one. */
  readonly lastModel: SavedModel | null;
  /** Models planned lately, most recent first, no repeats. */
  readonly recentModels: readonly SavedModel[];
  /** The device groups planned last; null before the user has chosen any. */
  readonly lastDevices: readonly SavedDeviceGroup[] | null;
  /**
   * Plans apply this machine's corrections from measured runs (issue 18) where one matches their
   * device and engine; off, a plan is exactly what the model computes.
   */
  readonly applyCorrections: boolean;
  /**
   * The user's own prices per GPU-hour by catalog device id (USD), for serving plans (issue 19).
   * Empty by default: no built-in price pretends to be current.
   */
  readonly servingPricesUsdPerHour: Readonly<Record<string, number>>;
}

/**
 * Before the user has changed anything: GiB, as nvidia-smi and VRAM sizes speak (issue 17; GB a
 * toggle, DESIGN.md Units), the OS's theme, training shown, plans uncorrected (issue 18), and no
 * GPU prices (issue 19: no built-in price pretends to be current).
 */
export const DEFAULT_SETTINGS: Settings = {
  unit: 'GiB',
  theme: 'system',
  showTraining: true,
  lastModel: null,
  recentModels: [],
  lastDevices: null,
  applyCorrections: false,
  servingPricesUsdPerHour: {},
};

/** Some settings to change; a new `lastModel` also moves to the front of `recentModels`. */
export type SettingsPatch = Partial<Settings>;
