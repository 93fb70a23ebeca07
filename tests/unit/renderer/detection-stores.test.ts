import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planFromRequest } from '../../../core/plan/plan-request';
import { replayDump } from '../../../electron/services/detect';
import { localDeviceResolver } from '../../../electron/services/local-devices';
import { installBridge } from '../../../renderer/bridge/current';
import { useCompareStore } from '../../../renderer/stores/compare-store';
import { useDetectionStore } from '../../../renderer/stores/detection-store';
import { useDevicesStore } from '../../../renderer/stores/devices-store';
import { startWorkbench } from '../../../renderer/stores/startup';
import { describeWithShared } from '../../helpers/shared';
import { writeEightGpuDump } from '../electron/detect/eight-gpu';
import { testBridge } from './test-bridge';

/** nvidia-smi's memory.free of the recorded H100 (../shared capture): 81081 MiB. */
const H100_FREE_BYTES = 81081 * 2 ** 20;

describe('detection on this CPU-only machine (its own recording)', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    installBridge(testBridge());
    await startWorkbench();
    await useDetectionStore().detect();
  });

  it('reports no GPU, lists the CPU with its RAM, and keeps the catalog default planned', () => {
    const detection = useDetectionStore();
    expect(detection.report?.gpuVerdict.kind).toBe('none-found');
    expect(detection.gpuKinds).toEqual([]);
    expect(detection.devices.map((device) => device.vendor)).toEqual(['cpu']);
    expect(useDevicesStore().groups.map((group) => group.key)).toEqual(['catalog:nvidia-rtx-4090']);
  });

  it('plans on the CPU and its RAM when the user adds it', async () => {
    const devices = useDevicesStore();
    const cpu = useDetectionStore().devices[0]!;
    devices.addDetected({ name: cpu.name, ids: [cpu.id] });
    const compare = useCompareStore();
    await compare.refresh();
    const last = compare.entries.at(-1)!;
    expect(last.request.deviceIds).toEqual(['local:0']);
  });
});

describeWithShared('detection of an 8-GPU node (the recorded H100 row, composed 8 times)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'headroom-8gpu-'));
    await writeEightGpuDump(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    setActivePinia(createPinia());
    installBridge(testBridge({ recording: dir }));
  });

  it('swaps the 8 detected H100s in for the catalog default, planned as the CLI plans `--device local`', async () => {
    await startWorkbench();
    // The first screen plans at once with the catalog default, before detection answers.
    expect(useDevicesStore().groups.map((group) => group.key)).toEqual(['catalog:nvidia-rtx-4090']);
    await useDetectionStore().detect();
    const devices = useDevicesStore();
    expect(devices.groups.map((group) => devices.groupLabel(group))).toEqual([
      '8 × NVIDIA H100 80GB HBM3',
    ]);
    const compare = useCompareStore();
    await compare.refresh();
    const ids = Array.from({ length: 8 }, (_, i) => `local:${i}`);
    const first = compare.cells[0]!;
    expect(first.request.deviceIds).toEqual(ids);
    if (!first.outcome.ok) throw new Error(first.outcome.error.message);
    const resolve = localDeviceResolver(await replayDump(dir));
    expect(first.outcome.value).toEqual(
      planFromRequest(
        {
          modelId: 'meta-llama/Llama-3.1-8B',
          deviceIds: ids,
          weightsFormat: 'bf16',
          kvFormat: 'fp16',
          contextTokens: 4096,
          batch: 1,
          // BF16 weights are what transformers loads: the engine follows the format.
          engine: 'transformers',
          marginFraction: 0.05,
          unit: 'GiB',
        },
        resolve,
      ),
    );
    // Detected devices plan against their free memory as nvidia-smi reported it.
    expect(first.outcome.value.memory.perDevice[0]!.capacity).toBe(H100_FREE_BYTES);
    // The chart labels the line as free memory, not the card's total.
    expect(first.outcome.value.memory.perDevice[0]!.capacityKind).toBe('free');
  });

  it('leaves the devices alone when the user changed them before detection answered', async () => {
    await startWorkbench();
    useDevicesStore().addCatalog('nvidia-l40s');
    await useDetectionStore().detect();
    expect(useDevicesStore().groups.map((group) => group.key)).toEqual([
      'catalog:nvidia-rtx-4090',
      'catalog:nvidia-l40s',
    ]);
  });

  it('plans on fewer of the detected GPUs, never more than were detected', async () => {
    await startWorkbench();
    await useDetectionStore().detect();
    const devices = useDevicesStore();
    const key = devices.groups[0]!.key;
    devices.setCount(key, 9);
    expect(devices.groups[0]!.count).toBe(8);
    devices.setCount(key, 2);
    expect(useCompareStore().entries[0]!.request.deviceIds).toEqual(['local:0', 'local:1']);
  });
});
