import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resultFromCaptures } from '../../../../electron/services/detect/detect';
import { detectJson } from '../../../../electron/services/detect/detect-json';
import type { ProbeReport } from '../../../../electron/services/detect/types';
import { describeWithShared, readSharedText } from '../../../helpers/shared';
import { eightH100QueryCsv } from './eight-gpu';
import { MIG_LIST, MIG_XML } from './mig-example';
import {
  captureSection,
  H100_CAPTURE,
  M1_SYSTEM_PROFILER,
  MI100_ROCM_SMI,
  queryCsv,
  RTX2080S_CAPTURE,
} from './shared-captures';

const MIB = 2 ** 20;
const OWN_RECORDING = 'tests/fixtures/detect/linux-x86_64-2core-cpu-only';
const ownCpu = () =>
  [
    ['si-cpu.json', readFileSync(`${OWN_RECORDING}/si-cpu.json`, 'utf8')],
    ['si-mem.json', readFileSync(`${OWN_RECORDING}/si-mem.json`, 'utf8')],
  ] as const;
const TIMING = { startedAt: '2026-01-01T00:00:00.000Z', durationMs: 0 };
const ok = (name: string): ProbeReport => ({ name, status: 'ok', ms: 1 });

function result(
  files: Record<string, string>,
  platform = 'linux',
  probes: ProbeReport[] = [ok('nvidia-smi')],
) {
  return resultFromCaptures(
    new Map([...Object.entries(files), ...ownCpu()]),
    platform,
    probes,
    TIMING,
  );
}

describeWithShared('merging what the tools say', () => {
  it('one H100 from the query CSV and -L: catalog bandwidth, fp8 native, then the CPU', () => {
    const detected = result({
      'nvidia-smi-query.csv': queryCsv(H100_CAPTURE),
      'nvidia-smi-L.txt': captureSection(H100_CAPTURE, 'nvidia-smi -L'),
    });
    const [gpu, cpu] = detected.devices;
    expect(detected.devices).toHaveLength(2);
    expect(gpu).toMatchObject({
      id: 'local:0',
      vendor: 'nvidia',
      name: 'NVIDIA H100 80GB HBM3',
      memoryBytes: 81559 * MIB,
      memoryFreeBytes: 81081 * MIB,
      // H100 SXM5 datasheet: 3.35 TB/s HBM3 (the catalog entry nvidia-h100-sxm-80gb).
      bandwidthBytesPerSecond: 3.35e12,
      architecture: { kind: 'cuda', computeCapability: '9.0', name: 'Hopper' },
      source: { kind: 'detected', tool: 'nvidia-smi+nvidia-smi -L' },
    });
    // Hopper: fp8 tensor cores (sm_89+), no int4 (dropped from sm_90), no fp4 (sm_100+).
    expect(gpu?.dtypes).toMatchObject({
      fp8: 'native',
      bf16: 'native',
      int4: 'emulated',
      fp4: 'emulated',
    });
    expect(gpu?.detection).toMatchObject({ pciBusId: '0000:00:09.0', specsKnown: true });
    expect(cpu).toMatchObject({ id: 'local:1', vendor: 'cpu', memoryBytes: 24684092 * 1024 });
    expect(detected.gpuVerdict.kind).toBe('found');
  });

  it('joins systeminformation to nvidia-smi on the PCI address, never on the name', () => {
    // si on Linux reports lspci's bus id without a domain, and the BAR size as vram (ignored).
    const si = JSON.stringify({
      controllers: [
        { vendor: 'NVIDIA Corporation', model: 'GH100', busAddress: '00:09.0', vram: 256 },
      ],
    });
    const detected = result({
      'nvidia-smi-query.csv': queryCsv(H100_CAPTURE),
      'si-graphics.json': si,
    });
    expect(detected.devices.filter((d) => d.vendor === 'nvidia')).toHaveLength(1);
    expect(detected.devices[0]?.detection.sources).toEqual(['nvidia-smi', 'systeminformation']);
    expect(detected.devices[0]?.memoryBytes).toBe(81559 * MIB);
  });

  it('keeps same-named GPUs apart: 4 MI100s are 4 devices, gfx908 from the catalog', () => {
    const detected = result({ 'rocm-smi.json': readSharedText(MI100_ROCM_SMI) }, 'linux', [
      ok('rocm-smi'),
    ]);
    const gpus = detected.devices.filter((d) => d.vendor === 'amd');
    expect(gpus.map((g) => g.id)).toEqual(['local:0', 'local:1', 'local:2', 'local:3']);
    // AMD Instinct MI100 datasheet: 1.2288 TB/s HBM2; CDNA1 matrix cores: fp16/bf16/int8.
    expect(gpus[0]).toMatchObject({
      memoryBytes: 34342961152,
      bandwidthBytesPerSecond: 1.2288e12,
      architecture: { kind: 'rocm', gfxTarget: 'gfx908' },
    });
    expect(gpus[0]?.dtypes).toMatchObject({
      fp16: 'native',
      bf16: 'native',
      int8: 'native',
      fp8: 'emulated',
    });
  });

  it('an 8-GPU recording (composed from the H100 row) gives local:0 … local:7 in PCI order', () => {
    const detected = result({ 'nvidia-smi-query.csv': eightH100QueryCsv() });
    const gpus = detected.devices.filter((d) => d.vendor === 'nvidia');
    expect(gpus.map((g) => g.detection.pciBusId)).toEqual(
      ['09', '0a', '0b', '0c', '0d', '0e', '0f', '10'].map((device) => `0000:00:${device}.0`),
    );
    expect(gpus.every((g) => g.memoryBytes === 81559 * MIB)).toBe(true);
  });

  it('an unknown model still gives a usable device: memory known, specs marked unknown', () => {
    // The RTX 2080 SUPER row with the name and compute_cap columns left out.
    const [header = '', row = ''] = queryCsv(RTX2080S_CAPTURE).split('\n');
    const keep = header
      .split(',')
      .map((cell, i) => (/pci\.bus_id|memory\.(total|free)/.test(cell) ? i : -1))
      .filter((i) => i >= 0);
    const pick = (line: string) => keep.map((i) => line.split(',')[i]).join(',');
    const detected = result({ 'nvidia-smi-query.csv': `${pick(header)}\n${pick(row)}\n` });
    const gpu = detected.devices[0];
    expect(gpu).toMatchObject({ memoryBytes: 8192 * MIB, bandwidthBytesPerSecond: 0 });
    expect(gpu?.detection.specsKnown).toBe(false);
    expect(gpu?.dtypes.fp32).toBe('native');
    expect(gpu?.dtypes.fp16).toBe('emulated');
    expect(gpu?.detection.notes.join(' ')).toContain('not in the device catalog');
  });

  it('Apple: system_profiler and si (no PCI address on either) make one GPU with an estimated budget', () => {
    const sysctl = 'hw.memsize: 17179869184\niogpu.wired_limit_mb: 0\n';
    const si = JSON.stringify({
      controllers: [{ vendor: 'Apple', model: 'Apple M1', vram: 0, vramDynamic: true }],
    });
    const detected = result(
      {
        'system_profiler.json': readSharedText(M1_SYSTEM_PROFILER),
        'sysctl.txt': sysctl,
        'si-graphics.json': si,
      },
      'darwin',
      [ok('system_profiler')],
    );
    const gpus = detected.devices.filter((d) => d.vendor === 'apple');
    expect(gpus).toHaveLength(1);
    expect(gpus[0]).toMatchObject({
      name: 'Apple M1',
      unifiedMemory: true,
      systemMemoryBytes: 17179869184,
      architecture: { kind: 'apple', generation: 'm1' },
    });
    expect(gpus[0]?.detection.memoryConfidence).toBe('estimated');
    expect(gpus[0]?.detection.sources).toEqual(['system_profiler', 'systeminformation']);
  });
});

describe('GPU verdicts', () => {
  it('"No GPU found" when the tools are missing; what was seen without memory is named', () => {
    const si = JSON.stringify({
      controllers: [
        {
          vendor: 'Intel Corporation',
          model: 'UHD Graphics 630',
          busAddress: '00:02.0',
          vram: 256,
        },
      ],
    });
    const detected = resultFromCaptures(
      new Map([['si-graphics.json', si], ...ownCpu()]),
      'linux',
      [
        { name: 'nvidia-smi', status: 'missing', ms: 1, reason: 'nvidia-smi is not installed' },
        { name: 'systeminformation', status: 'ok', ms: 1 },
      ],
      TIMING,
    );
    expect(detected.gpuVerdict.kind).toBe('none-found');
    expect(detected.gpuVerdict.message).toContain('nvidia-smi');
    expect(detected.ignoredGpus).toEqual([
      { name: 'UHD Graphics 630', reason: expect.stringContaining('memory is unknown') },
    ]);
    expect(detected.devices.map((d) => d.vendor)).toEqual(['cpu']);
  });

  it('"Could not detect" when a GPU tool timed out or printed garbage', () => {
    const timedOut = resultFromCaptures(
      new Map(ownCpu()),
      'linux',
      [
        {
          name: 'nvidia-smi',
          status: 'timeout',
          ms: 500,
          reason: 'nvidia-smi gave no answer within 500 ms (killed)',
        },
      ],
      TIMING,
    );
    expect(timedOut.gpuVerdict.kind).toBe('undetermined');
    expect(timedOut.gpuVerdict.message).toContain('500 ms');
    const garbage = resultFromCaptures(
      new Map([['nvidia-smi-query.csv', 'Segmentation fault\n'], ...ownCpu()]),
      'linux',
      [ok('nvidia-smi')],
      TIMING,
    );
    expect(garbage.probes[0]).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('not understood'),
    });
    expect(garbage.gpuVerdict.kind).toBe('undetermined');
  });
});

describe('MIG in the result and the JSON document', () => {
  it('lists each instance with its own memory: 3g.40gb = 40448 MiB of the 81920 MiB card', () => {
    const detected = resultFromCaptures(
      new Map([
        ['nvidia-smi-q.xml', MIG_XML],
        ['nvidia-smi-L.txt', MIG_LIST],
      ]),
      'linux',
      [ok('nvidia-smi')],
      TIMING,
    );
    const gpu = detected.devices[0];
    expect(gpu).toMatchObject({ name: 'NVIDIA H100 80GB HBM3', memoryBytes: 81920 * MIB });
    expect(gpu?.detection.notes.join(' ')).toContain('MIG is on');
    const json = detectJson(detected);
    expect(json.devices[0]?.mig).toEqual([{ name: '3g.40gb', memoryTotalBytes: 40448 * MIB }]);
    expect(json.devices[0]).toMatchObject({
      computeCapability: '9.0',
      arch: 'Hopper',
      pciBusId: '0000:00:09.0',
    });
  });
});

describe('dtypes of GPUs the tools do not describe fully, each with its source', () => {
  const csv = (name: string, memoryMib: number) =>
    `pci.bus_id, name, memory.total [MiB], memory.free [MiB]\n00000000:01:00.0, ${name}, ${memoryMib} MiB, ${memoryMib - 500} MiB\n`;

  it('an RTX A4000 without a compute capability: Ampere from its product name, bf16 native', () => {
    const detected = result({ 'nvidia-smi-query.csv': csv('NVIDIA RTX A4000', 16376) });
    const gpu = detected.devices[0];
    expect(gpu?.architecture).toEqual({ kind: 'cuda', computeCapability: '8.6', name: 'Ampere' });
    expect(gpu?.detection.dtypesSource).toEqual({
      kind: 'product-name',
      family: 'RTX A-series',
      name: 'NVIDIA RTX A4000',
    });
    expect(gpu?.dtypes).toMatchObject({ bf16: 'native', fp8: 'emulated' });
    expect(detectJson(detected).devices[0]?.dtypesSource).toBe(
      'product name "NVIDIA RTX A4000": RTX A-series family',
    );
  });

  it('a workstation Blackwell card: fp4 native from "RTX PRO … Blackwell"', () => {
    const detected = result({
      'nvidia-smi-query.csv': csv('NVIDIA RTX PRO 4500 Blackwell', 32623),
    });
    expect(detected.devices[0]?.dtypes).toMatchObject({ fp4: 'native', fp8: 'native' });
    expect(detected.devices[0]?.detection.dtypesSource.kind).toBe('product-name');
  });

  it('"unknown" only when nothing says anything', () => {
    const detected = result({ 'nvidia-smi-query.csv': csv('NVIDIA Graphics Device', 8192) });
    expect(detected.devices[0]?.detection.dtypesSource).toEqual({ kind: 'unknown' });
    expect(detected.devices[0]?.dtypes.fp16).toBe('emulated');
  });
});
