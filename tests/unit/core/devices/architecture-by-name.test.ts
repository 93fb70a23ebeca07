import { describe, expect, it } from 'vitest';
import { architectureFromProductName } from '../../../../core/devices/architecture-by-name';
import { computeCapabilityOfArchitecture } from '../../../../core/devices/cuda-architecture';
import { dtypeSupportFor } from '../../../../core/devices/dtype-support';
import { catalogDeviceForName } from '../../../../core/devices/name-match';

const nativeOf = (vendor: Parameters<typeof architectureFromProductName>[0], name: string) => {
  const rule = architectureFromProductName(vendor, name);
  if (!rule) throw new Error(`no rule for ${name}`);
  const table = dtypeSupportFor(rule.architecture);
  return Object.entries(table)
    .filter(([, support]) => support === 'native')
    .map(([dtype]) => dtype);
};

describe('architecture from the product name, for GPUs the catalog does not list', () => {
  it.each([
    // name as a tool prints it, family, compute capability (NVIDIA cuda-gpus table)
    ['NVIDIA RTX A4000', 'RTX A-series', '8.6'],
    ['GA102GL [RTX A5000]', 'RTX A-series', '8.6'], // lspci's bracketed name
    ['NVIDIA L40', 'L4/L20/L40/L40S', '8.9'],
    ['NVIDIA L4', 'L4/L20/L40/L40S', '8.9'],
    ['NVIDIA H800', 'H100/H200/H800/H20/GH200', '9.0'],
    ['NVIDIA GH200 480GB', 'H100/H200/H800/H20/GH200', '9.0'],
    ['NVIDIA B200', 'B100/B200/GB200', '10.0'],
    ['NVIDIA GB300', 'B300/GB300', '10.3'],
    ['NVIDIA RTX PRO 4000 Blackwell', 'RTX PRO Blackwell', '12.0'],
    ['NVIDIA RTX PRO 6000 Blackwell Server Edition', 'RTX PRO Blackwell', '12.0'],
    ['NVIDIA GeForce RTX 5060 Ti', 'GeForce RTX 50', '12.0'],
    ['NVIDIA RTX 4000 Ada Generation', 'RTX Ada Generation', '8.9'],
    ['Quadro RTX 6000', 'T4, Quadro RTX, GeForce RTX 20 / GTX 16', '7.5'],
    ['NVIDIA A10G', 'A2/A10/A16/A40', '8.6'],
    ['NVIDIA A100-SXM4-40GB', 'A100/A30/A800', '8.0'],
    ['Tesla P100-PCIE-16GB', 'P100', '6.0'],
  ])('%s → %s, cc %s', (name, family, cc) => {
    const rule = architectureFromProductName('nvidia', name);
    expect(rule?.family).toBe(family);
    expect(rule?.architecture).toMatchObject({ kind: 'cuda', computeCapability: cc });
  });

  it.each([
    ['AMD Instinct MI210', 'gfx90a'],
    ['AMD Instinct MI250X', 'gfx90a'],
    ['AMD Instinct MI300X', 'gfx942'],
    ['AMD Instinct MI308X', 'gfx942'],
    ['AMD Instinct MI355X', 'gfx950'],
    ['Arcturus GL-XL [Instinct MI100]', 'gfx908'],
    ['Radeon Instinct MI50', 'gfx906'],
    ['AMD Radeon RX 6900 XT', 'gfx1030'],
    ['AMD Radeon RX 6700 XT', 'gfx1031'],
    ['AMD Radeon RX 7900 XT', 'gfx1100'],
    ['AMD Radeon RX 7800 XT', 'gfx1101'],
    ['AMD Radeon RX 7600', 'gfx1102'],
    ['AMD Radeon RX 9070 XT', 'gfx1201'],
    ['AMD Radeon RX 9060 XT', 'gfx1200'],
  ])('%s → %s (LLVM AMDGPUUsage processors table)', (name, gfx) => {
    expect(architectureFromProductName('amd', name)?.architecture).toMatchObject({
      kind: 'rocm',
      gfxTarget: gfx,
    });
  });

  it('Intel Arc and Data Center GPUs by their Xe generation; Apple M1–M4 by chip', () => {
    expect(
      architectureFromProductName('intel', 'Intel(R) Arc(TM) A380 Graphics')?.architecture,
    ).toEqual({
      kind: 'intel-xe',
      name: 'xe-hpg',
    });
    expect(
      architectureFromProductName('intel', 'Intel(R) Arc(TM) B570 Graphics')?.architecture,
    ).toEqual({
      kind: 'intel-xe',
      name: 'xe2-hpg',
    });
    expect(
      architectureFromProductName('intel', 'Intel(R) Data Center GPU Max 1100')?.architecture,
    ).toEqual({
      kind: 'intel-xe',
      name: 'xe-hpc',
    });
    expect(architectureFromProductName('apple', 'Apple M4 Max')?.architecture).toEqual({
      kind: 'apple',
      generation: 'm4',
    });
    expect(architectureFromProductName('apple', 'Apple M5')).toBeUndefined();
  });

  it('the dtypes that follow: RTX A4000 bf16 but no fp8; L40 fp8; RTX PRO 4000 Blackwell fp4; MI210 no fp8', () => {
    expect(nativeOf('nvidia', 'NVIDIA RTX A4000')).toEqual([
      'fp32',
      'tf32',
      'fp16',
      'bf16',
      'int8',
      'int4',
    ]);
    expect(nativeOf('nvidia', 'NVIDIA L40')).toContain('fp8');
    expect(nativeOf('nvidia', 'NVIDIA RTX PRO 4000 Blackwell')).toContain('fp4');
    expect(nativeOf('amd', 'AMD Instinct MI210')).toEqual(['fp32', 'fp16', 'bf16', 'int8']);
    expect(nativeOf('amd', 'AMD Instinct MI300X')).toContain('fp8');
  });

  it('claims nothing for names it does not know, or for another vendor', () => {
    expect(architectureFromProductName('nvidia', 'NVIDIA Graphics Device')).toBeUndefined();
    expect(architectureFromProductName('amd', 'NVIDIA A10')).toBeUndefined();
    expect(architectureFromProductName('nvidia', 'NVIDIA A1000')).toBeUndefined();
    expect(architectureFromProductName('intel', 'Intel(R) UHD Graphics 630')).toBeUndefined();
  });

  it('these families are outside the catalog, so only the rule knows them', () => {
    for (const name of ['NVIDIA RTX A4000', 'NVIDIA L40', 'NVIDIA RTX PRO 4000 Blackwell']) {
      expect(catalogDeviceForName(name)).toBeUndefined();
    }
  });
});

describe('an architecture name without a compute capability', () => {
  it('is judged by its first compute capability (CUDA guide), Pascal conservatively as 6.1', () => {
    expect(computeCapabilityOfArchitecture('Ampere')).toBe(80);
    expect(computeCapabilityOfArchitecture('Ada Lovelace')).toBe(89);
    expect(computeCapabilityOfArchitecture('Pascal')).toBe(61);
    expect(computeCapabilityOfArchitecture('Rubin')).toBeUndefined();
    const hopper = dtypeSupportFor({ kind: 'cuda', computeCapability: 'unknown', name: 'Hopper' });
    expect(hopper.fp8).toBe('native');
    const unknown = dtypeSupportFor({
      kind: 'cuda',
      computeCapability: 'unknown',
      name: 'unknown',
    });
    expect(unknown.fp16).toBe('emulated');
  });
});
