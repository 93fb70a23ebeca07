import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemorySettings, type SettingsStore } from '../../../electron/services/settings';
import { installBridge } from '../../../renderer/bridge/current';
import { useDetectionStore } from '../../../renderer/stores/detection-store';
import { useDevicesStore } from '../../../renderer/stores/devices-store';
import { useModelStore } from '../../../renderer/stores/model-store';
import { useSettingsStore } from '../../../renderer/stores/settings-store';
import { startWorkbench } from '../../../renderer/stores/startup';
import { testBridge } from './test-bridge';

/** A fresh window on the same saved settings (a reload, or the next start). */
async function reopen(settings: SettingsStore): Promise<void> {
  setActivePinia(createPinia());
  installBridge(testBridge({ settings }));
  await startWorkbench();
  // Detection runs in the background of the first screen; wait for it here, or its answer
  // (and the saves it triggers) would land in the next test's bridge and settings.
  await useDetectionStore().detect();
}

/** Lets the stores' watchers run and their saves reach the settings. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('settings kept between runs', () => {
  let settings: SettingsStore;
  beforeEach(() => {
    settings = createMemorySettings();
  });

  it('starts from Llama 3.1 8B on an RTX 4090 in GiB (as nvidia-smi speaks) and the OS theme', async () => {
    await reopen(settings);
    expect(useModelStore().choice).toEqual({ kind: 'catalog', id: 'meta-llama/Llama-3.1-8B' });
    expect(useSettingsStore().unit).toBe('GiB');
    expect(useSettingsStore().theme).toBe('system');
  });

  it('brings back the unit, theme, training toggle, last model and devices after a reload', async () => {
    await reopen(settings);
    const app = useSettingsStore();
    app.setUnit('GB');
    app.setTheme('dark');
    app.setShowTraining(false);
    useModelStore().chooseCatalog('Qwen/Qwen3-8B');
    const devices = useDevicesStore();
    devices.remove('catalog:nvidia-rtx-4090');
    devices.addCatalog('nvidia-l40s');
    devices.addCatalog('nvidia-l40s');
    devices.addCustom({
      name: 'Modded 4090',
      memoryBytes: 48e9,
      bandwidthBytesPerSecond: 1008e9,
      peak16BitOpsPerSecond: 165.2e12,
    });
    await settle();
    // Saves run asynchronously through the bridge: wait until the last of them has landed.
    await vi.waitFor(async () => {
      const saved = await settings.read();
      expect(saved.lastDevices?.length).toBe(2);
      expect(saved).toMatchObject({ unit: 'GB', theme: 'dark', showTraining: false });
    });

    await reopen(settings);
    expect(useSettingsStore()).toMatchObject({ unit: 'GB', theme: 'dark', showTraining: false });
    expect(useModelStore().choice).toEqual({ kind: 'catalog', id: 'Qwen/Qwen3-8B' });
    const restored = useDevicesStore();
    expect(restored.groups.map((group) => restored.groupLabel(group))).toEqual([
      '2 × NVIDIA L40S 48GB',
      'Modded 4090',
    ]);
  });

  it('lists the models planned lately, most recent first, and plans one again on a click', async () => {
    await reopen(settings);
    const model = useModelStore();
    model.chooseCatalog('Qwen/Qwen3-8B');
    await settle();
    model.chooseParams(70e9);
    await settle();
    // The first screen's model counts as used: it is in the list too. Saves land asynchronously.
    await vi.waitFor(() =>
      expect(useSettingsStore().saved?.recentModels).toEqual([
        { kind: 'params', params: 70e9 },
        { kind: 'catalog', id: 'Qwen/Qwen3-8B' },
        { kind: 'catalog', id: 'meta-llama/Llama-3.1-8B' },
      ]),
    );
    await model.chooseSaved({ kind: 'catalog', id: 'Qwen/Qwen3-8B' });
    expect(model.choice).toEqual({ kind: 'catalog', id: 'Qwen/Qwen3-8B' });
  });

  it('falls back to the default model when a remembered file is gone, and says why', async () => {
    await settings.save({ lastModel: { kind: 'file', path: '/no/such/model.gguf' } });
    await reopen(settings);
    const model = useModelStore();
    expect(model.choice).toEqual({ kind: 'catalog', id: 'meta-llama/Llama-3.1-8B' });
    expect(model.openError).toMatch(/no such file/);
  });
});
