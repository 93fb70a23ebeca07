import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseCpuInfo,
  parseHostCaptures,
  parseMemInfo,
} from '../../../../electron/services/detect/host-parse';

/** This build machine's own recording (tests/fixtures/detect/README.md). */
const RECORDING = 'tests/fixtures/detect/linux-x86_64-epyc-2core-cpu-only';
const recorded = (file: string) => readFileSync(join(RECORDING, file), 'utf8');
const KIB = 1024;

describe('CPU and RAM from /proc and Node’s os module (recorded build machine)', () => {
  it('reads /proc/cpuinfo: the model name, 2 physical cores, the AVX-512 BF16/VNNI flags', () => {
    const cpu = parseCpuInfo(recorded('proc-cpuinfo.txt'));
    expect(cpu.name).toBe('AMD EPYC');
    expect(cpu.physicalCores).toBe(2);
    expect(cpu.flags).toEqual(expect.arrayContaining(['avx512_bf16', 'avx512_vnni', 'avx2']));
  });

  it('reads /proc/meminfo in KiB: MemTotal 24683748 kB, MemAvailable 24231612 kB', () => {
    expect(parseMemInfo(recorded('proc-meminfo.txt'))).toEqual({
      totalBytes: 24683748 * KIB,
      availableBytes: 24231612 * KIB,
    });
  });

  it('makes the CPU observation, /proc first, with the dtype-deciding flags', () => {
    const parsed = parseHostCaptures(
      recorded('host-os.json'),
      recorded('proc-cpuinfo.txt'),
      recorded('proc-meminfo.txt'),
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        source: '/proc',
        name: 'AMD EPYC',
        cores: 2,
        memoryTotalBytes: 24683748 * KIB,
        memoryAvailableBytes: 24231612 * KIB,
      },
    });
  });

  it('falls back to the os facts where /proc was unreadable', () => {
    const parsed = parseHostCaptures(recorded('host-os.json'), undefined, undefined);
    expect(parsed).toMatchObject({
      ok: true,
      value: { source: 'os', name: 'AMD EPYC', cores: 2, memoryTotalBytes: 25276157952, flags: [] },
    });
  });

  it('counts physical cores on two sockets with SMT, and takes arm64 "Features"', () => {
    const block = (processor: number, socket: number, core: number) =>
      `processor\t: ${processor}\nmodel name\t: Xeon\nphysical id\t: ${socket}\ncore id\t\t: ${core}\nflags\t\t: avx2 amx_tile\n`;
    const twoSockets = [0, 1, 2, 3, 4, 5, 6, 7].map((p) => block(p, p >> 2, p & 1)).join('\n');
    expect(parseCpuInfo(twoSockets).physicalCores).toBe(4);
    const arm =
      'processor\t: 0\nFeatures\t: fp asimd bf16 i8mm\n\nprocessor\t: 1\nFeatures\t: fp asimd bf16 i8mm\n';
    expect(parseCpuInfo(arm)).toEqual({ physicalCores: 2, flags: ['fp', 'asimd', 'bf16', 'i8mm'] });
  });

  it('refuses text that says nothing about RAM instead of guessing', () => {
    expect(parseHostCaptures('not json', 'garbage', 'garbage')).toMatchObject({ ok: false });
  });
});
