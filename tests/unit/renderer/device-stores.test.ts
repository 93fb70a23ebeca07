import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { dispatchBridgeCall, MAX_PLANS_PER_BATCH } from '../../../electron/services/bridge-service';
import { installBridge } from '../../../renderer/bridge/current';
import { useCompareStore } from '../../../renderer/stores/compare-store';
import { MAX_GROUP_COUNT, useDevicesStore } from '../../../renderer/stores/devices-store';
import { startWorkbench } from '../../../renderer/stores/startup';
import { testBridge } from './test-bridge';

/**
 * A user-defined card with a 4090's datasheet numbers and twice its memory: RTX 4090 memory
 * bandwidth 1008 GB/s and 165.2 dense FP16 (FP32-accumulate) tensor TFLOPS (NVIDIA Ada GPU
 * Architecture whitepaper, Appendix A); 48 GiB as the modded 48 GB cards carry.
 */
const MODDED_4090 = {
  name: 'RTX 4090 48GB (modded)',
  memoryBytes: 48 * 2 ** 30,
  bandwidthBytesPerSecond: 1008e9,
  peak16BitOpsPerSecond: 165.2e12,
};

describe('the devices store', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    installBridge(testBridge());
    await startWorkbench();
  });

  it('counts a device added twice as two of it, planned together', async () => {
    const devices = useDevicesStore();
    devices.addCatalog('nvidia-rtx-4090');
    expect(devices.groups).toHaveLength(1);
    expect(devices.groupLabel(devices.groups[0]!)).toBe('2 × NVIDIA GeForce RTX 4090 24GB');
    const compare = useCompareStore();
    await compare.refresh();
    expect(compare.entries[0]!.request.deviceIds).toEqual(['nvidia-rtx-4090', 'nvidia-rtx-4090']);
    const plan = compare.cells[0]!.outcome;
    expect(plan.ok && plan.value.memory.perDevice).toHaveLength(2);
  });

  it(`keeps a group's count between 1 and ${MAX_GROUP_COUNT}`, () => {
    const devices = useDevicesStore();
    const key = devices.groups[0]!.key;
    devices.setCount(key, 0);
    devices.setCount(key, MAX_GROUP_COUNT + 1);
    devices.setCount(key, 2.5);
    expect(devices.groups[0]!.count).toBe(1);
    devices.setCount(key, 8);
    expect(devices.groups[0]!.count).toBe(8);
  });

  it('finds catalog devices by words of their name', () => {
    const devices = useDevicesStore();
    devices.query = 'h100 sxm';
    expect(devices.matches.map((device) => device.id)).toEqual(['nvidia-h100-sxm-80gb']);
    devices.query = 'no such gpu';
    expect(devices.matches).toEqual([]);
  });

  it('plans a custom device as a device of source "custom" with the numbers typed in', async () => {
    const devices = useDevicesStore();
    devices.remove('catalog:nvidia-rtx-4090');
    devices.addCustom(MODDED_4090);
    const compare = useCompareStore();
    await compare.refresh();
    expect(compare.entries[0]!.request.customDevices).toEqual([MODDED_4090]);
    const outcome = compare.cells[0]!.outcome;
    if (!outcome.ok) throw new Error(outcome.error.message);
    const device = outcome.value.memory.perDevice[0]!;
    expect(device).toMatchObject({
      device: 'custom:1',
      name: MODDED_4090.name,
      capacity: MODDED_4090.memoryBytes,
    });
    const source = outcome.value.assumptions.find(
      (a) => a.name === `${MODDED_4090.name} memory and bandwidth`,
    );
    expect(source?.source).toBe('user-defined device');
  });

  it('gives a custom device the speed of a catalog device with the same datasheet numbers', async () => {
    // Same bandwidth and FP16 peak as the catalog RTX 4090: decode speed must match it when
    // the model fits both (both are CUDA-class; 8B in Q4_K_M fits 24 and 48 GiB alike).
    const devices = useDevicesStore();
    devices.addCustom(MODDED_4090);
    const compare = useCompareStore();
    await compare.refresh();
    const q4 = compare.cells.filter(
      (cell) => cell.key.kind === 'inference' && cell.key.formatId === 'q4_k_m',
    );
    const [catalog, custom] = q4.map((cell) =>
      cell.outcome.ok ? cell.outcome.value.throughput : null,
    );
    expect(catalog && 'decodeTokensPerSecond' in catalog).toBe(true);
    expect(custom).toEqual(catalog);
  });
});

describe('the bridge calls the renderer adds', () => {
  const service = testBridge();
  const request = {
    modelId: 'meta-llama/Llama-3.1-8B',
    deviceIds: [],
    kvFormat: 'fp16',
    contextTokens: 4096,
    batch: 1,
    engine: 'generic',
    marginFraction: 0.05,
    unit: 'GiB',
  };

  it('refuses a custom device without memory, as data', async () => {
    const envelope = await dispatchBridgeCall(service, 'plan', [
      { ...request, customDevices: [{ ...MODDED_4090, memoryBytes: -1 }] },
    ]);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
  });

  it(`refuses a batch of more than ${MAX_PLANS_PER_BATCH} plans`, async () => {
    const envelope = await dispatchBridgeCall(service, 'planBatch', [
      Array.from({ length: MAX_PLANS_PER_BATCH + 1 }, () => request),
    ]);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
  });

  it('answers a batch with one envelope per request, errors in place', async () => {
    const envelope = await dispatchBridgeCall(service, 'planBatch', [
      [request, { ...request, modelId: 'no/such-model' }],
    ]);
    expect(envelope.ok).toBe(true);
    const answers = envelope.ok
      ? (envelope.value as { ok: boolean; error?: { code: string } }[])
      : [];
    expect(answers.map((answer) => answer.ok)).toEqual([true, false]);
    expect(answers[1]!.error?.code).toBe('UNKNOWN_MODEL');
  });
});
