import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import {
  DEFAULT_SETTINGS,
  type Settings,
  type SettingsPatch,
  type ThemePreference,
} from '../../core/bridge';
import type { ByteUnit } from '../../core/units/bytes';
import { useBridge } from '../bridge/current';
import { errorMessage } from './error-message';

/**
 * What the workbench remembers between runs, through the bridge (a file on the Node side).
 * A change is saved at once; a failed save is shown in the header and changes nothing else.
 */
export const useSettingsStore = defineStore('settings', () => {
  // Until the saved settings are read: core's defaults (GiB, the OS's theme, training shown).
  const unit = ref<ByteUnit>(DEFAULT_SETTINGS.unit);
  const theme = ref<ThemePreference>(DEFAULT_SETTINGS.theme);
  const showTraining = ref(DEFAULT_SETTINGS.showTraining);
  /** Plans apply this machine's corrections from measured runs (issue 18). */
  const applyCorrections = ref(DEFAULT_SETTINGS.applyCorrections);
  /** The user's prices per GPU-hour by device id, for serving plans (issue 19). */
  const servingPricesUsdPerHour = shallowRef<Readonly<Record<string, number>>>(
    DEFAULT_SETTINGS.servingPricesUsdPerHour,
  );
  /** The settings as last read or saved (null until loaded). */
  const saved = shallowRef<Settings | null>(null);
  const error = ref<string | null>(null);

  /** Reads the saved settings and applies the display ones; null when they cannot be read. */
  async function load(): Promise<Settings | null> {
    try {
      const settings = await useBridge().getSettings();
      saved.value = settings;
      unit.value = settings.unit;
      theme.value = settings.theme;
      showTraining.value = settings.showTraining;
      applyCorrections.value = settings.applyCorrections;
      servingPricesUsdPerHour.value = settings.servingPricesUsdPerHour;
      error.value = null;
      return settings;
    } catch (thrown) {
      error.value = `Settings could not be read: ${errorMessage(thrown)}`;
      return null;
    }
  }

  /** Number of the latest save asked for: answers to older ones must not overwrite newer ones. */
  let latestSave = 0;

  /** Saves a patch (errors are kept in `error`); resolves once the bridge has answered. */
  async function save(patch: SettingsPatch): Promise<void> {
    const ticket = ++latestSave;
    try {
      const settings = await useBridge().saveSettings(patch);
      // Answers can arrive out of order (HTTP in browser mode): keep the newest save's view.
      if (ticket === latestSave) saved.value = settings;
      error.value = null;
    } catch (thrown) {
      error.value = `Settings could not be saved: ${errorMessage(thrown)}`;
    }
  }

  function setUnit(next: ByteUnit): void {
    unit.value = next;
    void save({ unit: next });
  }

  function setTheme(next: ThemePreference): void {
    theme.value = next;
    void save({ theme: next });
  }

  function setShowTraining(on: boolean): void {
    showTraining.value = on;
    void save({ showTraining: on });
  }

  /** Turns corrections on or off; resolves once saved (plans made after it follow it). */
  function setApplyCorrections(on: boolean): Promise<void> {
    applyCorrections.value = on;
    return save({ applyCorrections: on });
  }

  /** Sets one device's price (null removes it); resolves once saved. */
  function setServingPrice(deviceId: string, usdPerHour: number | null): Promise<void> {
    const next = { ...servingPricesUsdPerHour.value };
    if (usdPerHour === null) delete next[deviceId];
    else next[deviceId] = usdPerHour;
    servingPricesUsdPerHour.value = next;
    return save({ servingPricesUsdPerHour: next });
  }

  return {
    unit,
    theme,
    showTraining,
    applyCorrections,
    servingPricesUsdPerHour,
    setApplyCorrections,
    setServingPrice,
    saved,
    error,
    load,
    save,
    setUnit,
    setTheme,
    setShowTraining,
  };
});
