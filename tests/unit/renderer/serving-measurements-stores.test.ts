import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemorySettings } from '../../../electron/services/settings';
import { installBridge } from '../../../renderer/bridge/current';
import { useMeasurementsStore } from '../../../renderer/stores/measurements-store';
import { useServingStore } from '../../../renderer/stores/serving-store';
import { useSettingsStore } from '../../../renderer/stores/settings-store';
import { testBridge } from './test-bridge';

// The Serving and Measurements views' stores through the real bridge service (dispatch-free,
// in-process), with settings in memory and measured runs in a temp folder.

describe('serving store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    installBridge(testBridge());
  });

  it("starts from the issue's question and prices the chosen setup with the user's price", async () => {
    const serving = useServingStore();
    expect(serving.entries).toMatchObject({
      modelId: 'meta-llama/Llama-3.1-8B',
      requestsPerSecond: 20,
      promptTokens: 1000,
      outputTokens: 300,
      ttftSeconds: 1,
      tpotSeconds: 0.05,
    });
    await serving.refresh();
    const chosen = serving.plan!.setup!;
    expect(chosen.costPerHourUsd).toBeNull();
    await useSettingsStore().load();
    await serving.setPrice(chosen.device, 2.49);
    expect(useSettingsStore().servingPricesUsdPerHour).toEqual({ [chosen.device]: 2.49 });
    const priced = serving.plan!.setups.find((setup) => setup.device === chosen.device)!;
    // $2.49 per GPU-hour × its GPUs (core/serving/cost.ts: prices are per GPU).
    expect(priced.costPerHourUsd).toBeCloseTo(2.49 * priced.gpus, 10);
  });

  it('says why a bare parameter count cannot be served', async () => {
    const { useModelStore } = await import('../../../renderer/stores/model-store');
    useModelStore().choice = { kind: 'params', params: 7e9 };
    const serving = useServingStore();
    await serving.refresh();
    expect(serving.plan).toBeNull();
    expect(serving.error).toMatch(/need a model with its architecture/);
  });
});

describe('measurements store', () => {
  it('imports a file, lists its run with why it was not planned, and keeps the corrections toggle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-renderer-measure-'));
    const settings = createMemorySettings();
    setActivePinia(createPinia());
    installBridge(testBridge({ settings, measureDir: dir }));
    await useSettingsStore().load();
    const measurements = useMeasurementsStore();
    await measurements.importFiles(
      [
        {
          name: 'train.log',
          text: readFileSync('tests/fixtures/measure/pytorch-training-memory-summary.log', 'utf8'),
        },
      ],
      { deviceId: 'nvidia-h200-sxm-141gb', modelRef: '' },
    );
    expect(measurements.error).toBeNull();
    expect(measurements.notice).toBe('1 run(s) imported from train.log; 1 stored.');
    const [run] = measurements.comparison!.runs;
    expect(run!.engine).toBe('pytorch-training');
    expect(run!.deviceId).toBe('nvidia-h200-sxm-141gb');
    expect(run!.skipped).toMatch(/names no model/);

    await measurements.setCorrected(true);
    expect(measurements.comparison!.corrected).toBe(true);
    // The next start reads the toggle back from the settings.
    setActivePinia(createPinia());
    installBridge(testBridge({ settings, measureDir: dir }));
    await useSettingsStore().load();
    expect(useSettingsStore().applyCorrections).toBe(true);
  });
});
