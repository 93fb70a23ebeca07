import { describe, expect, it } from 'vitest';
import { groupObservations } from '../../../../electron/services/detect/group';
import type { GpuObservation } from '../../../../electron/services/detect/types';

const MIB = 2 ** 20;
/** The H200 recording's facts: nvidia-smi's total and systeminformation's (OpenCL) figure. */
const H200_TOTAL_MIB = 143771;
const H200_OPENCL_MIB = 143156;

const smi = (extra: Partial<GpuObservation>): GpuObservation => ({
  source: 'nvidia-smi',
  vendor: 'nvidia',
  name: 'NVIDIA H200',
  memoryTotalBytes: H200_TOTAL_MIB * MIB,
  ...extra,
});
const si = (extra: Partial<GpuObservation>): GpuObservation => ({
  source: 'systeminformation',
  vendor: 'nvidia',
  name: 'NVIDIA H200',
  ...extra,
});
const sources = (groups: GpuObservation[][]) => groups.map((g) => g.map((o) => o.source));

describe('one physical GPU is one group', () => {
  it('joins on the UUID even when the PCI addresses disagree', () => {
    const groups = groupObservations([
      smi({ uuid: 'GPU-1', pciBusId: '0000:00:06.0' }),
      { ...si({ uuid: 'GPU-1', pciBusId: '0000:00:07.0' }), source: 'nvidia-smi -L' },
    ]);
    expect(sources(groups)).toEqual([['nvidia-smi', 'nvidia-smi -L']]);
  });

  it('joins on the PCI address, best source first whatever the input order', () => {
    const groups = groupObservations([
      si({ pciBusId: '0000:00:06.0' }),
      smi({ pciBusId: '0000:00:06.0', uuid: 'GPU-1' }),
    ]);
    expect(sources(groups)).toEqual([['nvidia-smi', 'systeminformation']]);
  });

  it('joins on name and memory when the address is wrong (OpenCL figure within 10% of the total)', () => {
    const groups = groupObservations([
      smi({ pciBusId: '0000:00:06.0' }),
      si({ pciBusId: '0000:00:00.6', memoryTotalBytes: H200_OPENCL_MIB * MIB }),
    ]);
    expect(sources(groups)).toEqual([['nvidia-smi', 'systeminformation']]);
  });

  it('keeps a same-named card of another memory size apart (RTX 3060 12 GB vs 8 GB)', () => {
    const groups = groupObservations([
      smi({
        name: 'NVIDIA GeForce RTX 3060',
        pciBusId: '0000:01:00.0',
        memoryTotalBytes: 12288 * MIB,
      }),
      si({
        name: 'NVIDIA GeForce RTX 3060',
        pciBusId: '0000:02:00.0',
        memoryTotalBytes: 8192 * MIB,
      }),
    ]);
    expect(groups).toHaveLength(2);
  });

  it('8 GPUs whose second addresses are all wrong: paired in order, never 16', () => {
    const eight = Array.from({ length: 8 }, (_, i) => i);
    const groups = groupObservations([
      ...eight.map((i) => smi({ pciBusId: `0000:${(0x10 + i).toString(16)}:00.0` })),
      ...eight.map((i) => si({ toolIndex: i, memoryTotalBytes: H200_OPENCL_MIB * MIB })),
    ]);
    expect(groups).toHaveLength(8);
    expect(groups.every((g) => g.length === 2)).toBe(true);
  });

  it('a tool that lists more GPUs of a name than the vendor tool: the extra one stands alone', () => {
    const groups = groupObservations([
      smi({ pciBusId: '0000:10:00.0' }),
      si({ pciBusId: '0000:10:00.0' }),
      si({ pciBusId: '0000:20:00.0' }),
    ]);
    expect(sources(groups)).toEqual([['nvidia-smi', 'systeminformation'], ['systeminformation']]);
  });

  it('an address-less record joins by name; two of a name with two GPUs pair in order', () => {
    const groups = groupObservations([
      smi({ name: 'NVIDIA GeForce RTX 4090', pciBusId: '0000:01:00.0' }),
      smi({ name: 'NVIDIA GeForce RTX 4090', pciBusId: '0000:02:00.0' }),
      { source: 'directx-registry', vendor: 'nvidia', name: 'NVIDIA GeForce RTX 4090' },
      { source: 'directx-registry', vendor: 'nvidia', name: 'NVIDIA GeForce RTX 4090' },
    ]);
    expect(sources(groups)).toEqual([
      ['nvidia-smi', 'directx-registry'],
      ['nvidia-smi', 'directx-registry'],
    ]);
  });

  it('never joins two records of the same tool', () => {
    const groups = groupObservations([smi({ toolIndex: 0 }), smi({ toolIndex: 1 })]);
    expect(groups).toHaveLength(2);
  });
});
