/**
 * Every recording of a real machine replayed through the real mappers: the H200 server's
 * `--dump` folder and the single-tool captures in ../shared/fixtures/detect (SOURCES.md), and
 * the project's own recordings in tests/fixtures/detect. Each GPU's dtype table names its source.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../../core/report';
import { buildFitReport, reportHardware, reportModel } from '../../../../core/report';
import { requireCatalogDevice, requireCatalogModel } from '../../../../core/plan/lookups';
import { renderDetectTable } from '../../../../electron/cli/detect-command';
import { describeDtypesSource } from '../../../../electron/services/detect/architecture';
import { resultFromCaptures } from '../../../../electron/services/detect/detect';
import { detectJson } from '../../../../electron/services/detect/detect-json';
import { replayDump } from '../../../../electron/services/detect/dump';
import type { DetectResult } from '../../../../electron/services/detect/types';
import { describeWithShared, readSharedText, SHARED_DIR } from '../../../helpers/shared';
import { FIXED_TIME, inferencePlan } from '../../core/report/fixtures';
import {
  H100_CAPTURE,
  M1_SYSTEM_PROFILER,
  MI100_ROCM_SMI,
  queryCsv,
  RTX2080S_CAPTURE,
  RTX3090_XML,
} from './shared-captures';

const MIB = 2 ** 20;
const H200_DUMP = 'fixtures/detect/h200-live-dump';
const OWN_RECORDINGS = 'tests/fixtures/detect';
const TIMING = { startedAt: '2026-01-01T00:00:00.000Z', durationMs: 0 };

const gpusOf = (result: DetectResult) => result.devices.filter((d) => d.vendor !== 'cpu');

/** The detection as a user sees it: the table, the JSON document and every report format. */
function everyText(result: DetectResult): string[] {
  const plan = inferencePlan({ devices: ['nvidia-h200-sxm-141gb'] });
  const report = buildFitReport({
    plans: [{ label: 'H200', plan }],
    model: reportModel(requireCatalogModel(plan.model.id)),
    hardware: reportHardware(result, [requireCatalogDevice('nvidia-h200-sxm-141gb')]),
    comparison: null,
    headroomVersion: '0.1.0',
    generatedAt: FIXED_TIME,
    unit: 'GiB',
  });
  return [
    renderDetectTable(result, 'GiB'),
    JSON.stringify(detectJson(result)),
    ...(['json', 'csv', 'md', 'html'] as const).map((format) => renderReport(report, format)),
  ];
}

describeWithShared('the H200 server recording (h200-live-dump)', () => {
  it('is one NVIDIA GPU: 143771 MiB total, 143156 MiB free, cc 9.0, fp8 native', async () => {
    const result = await replayDump(join(SHARED_DIR, H200_DUMP));
    const gpus = gpusOf(result);
    expect(gpus).toHaveLength(1);
    expect(gpus[0]).toMatchObject({
      vendor: 'nvidia',
      name: 'NVIDIA H200',
      memoryBytes: 143771 * MIB,
      memoryFreeBytes: 143156 * MIB,
      architecture: { kind: 'cuda', computeCapability: '9.0', name: 'Hopper' },
    });
    expect(gpus[0]?.dtypes.fp8).toBe('native');
    expect(gpus[0]?.fp8Encoding).toBe('ocp');
    // systeminformation's clinfo record ("00:00.6", 143156 MiB) is the same GPU, not another.
    expect(gpus[0]?.detection).toMatchObject({
      pciBusId: '0000:00:06.0',
      sources: ['nvidia-smi', 'systeminformation'],
    });
    expect(result.ignoredGpus).toEqual([]);
    expect(result.gpuVerdict).toEqual({
      kind: 'found',
      message: '1 GPU found (nvidia-smi, systeminformation)',
    });
  });

  it('says "left out" nowhere: not in the table, the JSON, or a report in any format', async () => {
    const result = await replayDump(join(SHARED_DIR, H200_DUMP));
    const texts = everyText(result);
    expect(texts).toHaveLength(6);
    for (const text of texts) {
      expect(text).toContain('H200');
      expect(text).not.toMatch(/left out/i);
    }
  });
});

describeWithShared('every GPU in the shared recordings gets dtypes from its architecture', () => {
  const cases: {
    name: string;
    files: Record<string, string>;
    platform: string;
    expected: { gpu: string; count: number; source: string; native: string[] };
  }[] = [
    {
      name: 'H100 80GB HBM3, Linux (query CSV)',
      files: { 'nvidia-smi-query.csv': queryCsv(H100_CAPTURE) },
      platform: 'linux',
      expected: {
        gpu: 'NVIDIA H100 80GB HBM3',
        count: 1,
        source: 'compute capability 9.0 (nvidia-smi)',
        native: ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8'],
      },
    },
    {
      name: 'RTX 2080 SUPER, Windows (query CSV)',
      files: { 'nvidia-smi-query.csv': queryCsv(RTX2080S_CAPTURE) },
      platform: 'win32',
      expected: {
        gpu: 'NVIDIA GeForce RTX 2080 SUPER',
        count: 1,
        source: 'compute capability 7.5 (nvidia-smi)',
        native: ['fp32', 'fp16', 'int8', 'int4'],
      },
    },
    {
      name: 'RTX 3090 (-q -x, no compute capability in it)',
      files: { 'nvidia-smi-q.xml': readSharedText(RTX3090_XML) },
      platform: 'linux',
      expected: {
        gpu: 'NVIDIA GeForce RTX 3090',
        count: 1,
        source: 'architecture Ampere (nvidia-smi -q -x)',
        native: ['fp32', 'tf32', 'fp16', 'bf16', 'int8', 'int4'],
      },
    },
    {
      name: '4x Instinct MI100 (rocm-smi, no gfx target in it)',
      files: { 'rocm-smi.json': readSharedText(MI100_ROCM_SMI) },
      platform: 'linux',
      expected: {
        gpu: 'AMD Instinct MI100',
        count: 4,
        source: 'catalog device amd-mi100 (matched by name)',
        native: ['fp32', 'fp16', 'bf16', 'int8'],
      },
    },
    {
      name: 'Apple M1 (system_profiler)',
      files: {
        'system_profiler.json': readSharedText(M1_SYSTEM_PROFILER),
        'sysctl.txt': 'hw.memsize: 17179869184\n',
      },
      platform: 'darwin',
      expected: {
        gpu: 'Apple M1',
        count: 1,
        source: 'architecture m1 (system_profiler)',
        native: ['fp32', 'fp16'],
      },
    },
  ];

  for (const { name, files, platform, expected } of cases) {
    it(`${name}: ${expected.source}`, () => {
      const result = resultFromCaptures(new Map(Object.entries(files)), platform, [], TIMING);
      const gpus = gpusOf(result);
      expect(gpus.map((g) => g.name)).toEqual(Array(expected.count).fill(expected.gpu));
      expect(result.ignoredGpus).toEqual([]);
      for (const gpu of gpus) {
        expect(describeDtypesSource(gpu.detection.dtypesSource)).toBe(expected.source);
        const native = Object.entries(gpu.dtypes).filter(([, support]) => support === 'native');
        expect(native.map(([dtype]) => dtype)).toEqual(expected.native);
      }
    });
  }
});

describe("the project's own recordings (tests/fixtures/detect)", () => {
  const folders = readdirSync(OWN_RECORDINGS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it('are there to replay', () => {
    expect(folders).toContain('linux-x86_64-2core-cpu-only');
  });

  for (const folder of folders) {
    it(`${folder}: replays with every device's dtypes sourced, and nothing left out`, async () => {
      const result = await replayDump(join(OWN_RECORDINGS, folder));
      expect(result.devices.length).toBeGreaterThan(0);
      expect(result.ignoredGpus).toEqual([]);
      for (const device of result.devices) {
        expect(device.detection.dtypesSource.kind).not.toBe('unknown');
      }
      expect(result.devices.at(-1)?.detection.dtypesSource).toEqual({
        kind: 'cpu-flags',
        tool: expect.any(String),
      });
    });
  }
});
