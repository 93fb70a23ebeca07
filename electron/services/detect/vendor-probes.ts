/**
 * The AMD, Apple, Intel and Windows registry probes: each runs its tool(s) in parallel and
 * keeps the raw output under the fixed dump names.
 */
import { CAPTURE_FILES, PROBE_NAMES } from './interpret';
import { XPU_SMI_DUMP_PROPERTIES } from './intel-parse';
import { combineOutputs, outputOf, runIn, type ProbeDefinition } from './probe-kit';

/** `rocm-smi` sections: VRAM and GTT bytes, the product name, and the PCI bus for merging. */
const ROCM_SMI_ARGS = ['--showmeminfo', 'vram', 'gtt', '--showproductname', '--showbus', '--json'];
/** amd-smi static sections read (amdsmi_cli/amdsmi_parser.py: -a, -b, -v, -B). */
const AMD_SMI_STATIC_ARGS = ['static', '--asic', '--bus', '--vram', '--board', '--json'];
/** amd-smi metric section read (amdsmi_parser.py: -m, --mem-usage). */
const AMD_SMI_METRIC_ARGS = ['metric', '--mem-usage', '--json'];

/**
 * system_profiler enumerates every display and bus before it answers, where a vendor tool reads
 * one driver; it gets twice the usual per-tool deadline (an engineering margin, not a measurement).
 */
const SYSTEM_PROFILER_TIMEOUT_FACTOR = 2;

export const rocmSmiProbe: ProbeDefinition = {
  name: PROBE_NAMES.rocmSmi,
  platforms: ['linux'],
  findsGpus: true,
  async run(context) {
    return outputOf(await runIn(context, 'rocm-smi', ROCM_SMI_ARGS), CAPTURE_FILES.rocmSmi);
  },
  async refresh(context) {
    return outputOf(await runIn(context, 'rocm-smi', ROCM_SMI_ARGS), CAPTURE_FILES.rocmSmi);
  },
};

export const amdSmiProbe: ProbeDefinition = {
  name: PROBE_NAMES.amdSmi,
  platforms: ['linux'],
  findsGpus: true,
  async run(context) {
    const [info, metric] = await Promise.all([
      runIn(context, 'amd-smi', AMD_SMI_STATIC_ARGS),
      runIn(context, 'amd-smi', AMD_SMI_METRIC_ARGS),
    ]);
    return combineOutputs([
      outputOf(info, CAPTURE_FILES.amdSmiStatic),
      outputOf(metric, CAPTURE_FILES.amdSmiMetric),
    ]);
  },
};

export const systemProfilerProbe: ProbeDefinition = {
  name: PROBE_NAMES.systemProfiler,
  platforms: ['darwin'],
  findsGpus: true,
  async run(context) {
    const run = await runIn(
      context,
      'system_profiler',
      ['-json', 'SPDisplaysDataType'],
      context.toolTimeoutMs * SYSTEM_PROFILER_TIMEOUT_FACTOR,
    );
    return outputOf(run, CAPTURE_FILES.systemProfiler);
  },
};

/**
 * `sysctl hw.memsize iogpu.wired_limit_mb` prints `name: value` lines, so one run answers
 * both; on a macOS without the iogpu key it exits non-zero after printing hw.memsize, and
 * that output is kept.
 */
export const sysctlProbe: ProbeDefinition = {
  name: PROBE_NAMES.sysctl,
  platforms: ['darwin'],
  findsGpus: true,
  async run(context) {
    const run = await runIn(context, 'sysctl', ['hw.memsize', 'iogpu.wired_limit_mb']);
    if (run.status === 'failed' && /hw\.memsize:/.test(run.stdout)) {
      return {
        status: 'ok',
        ms: run.ms,
        ...(run.reason ? { reason: run.reason } : {}),
        captures: [[CAPTURE_FILES.sysctl, run.stdout]],
      };
    }
    return outputOf(run, CAPTURE_FILES.sysctl);
  },
};

export const xpuSmiProbe: ProbeDefinition = {
  name: PROBE_NAMES.xpuSmi,
  platforms: ['linux', 'win32'],
  findsGpus: true,
  async run(context) {
    const [list, dump] = await Promise.all([
      runIn(context, 'xpu-smi', ['discovery', '-j']),
      runIn(context, 'xpu-smi', ['discovery', '--dump', XPU_SMI_DUMP_PROPERTIES]),
    ]);
    return combineOutputs([
      outputOf(list, CAPTURE_FILES.xpuSmiList),
      outputOf(dump, CAPTURE_FILES.xpuSmiDump),
    ]);
  },
};

/** The DirectX adapter cache: DedicatedVideoMemory per adapter, not WMI's 4 GB-capped AdapterRAM. */
const DIRECTX_REGISTRY_ARGS = ['query', 'HKLM\\SOFTWARE\\Microsoft\\DirectX', '/s'];

export const directXProbe: ProbeDefinition = {
  name: PROBE_NAMES.directX,
  platforms: ['win32'],
  findsGpus: true,
  async run(context) {
    return outputOf(await runIn(context, 'reg', DIRECTX_REGISTRY_ARGS), CAPTURE_FILES.directX);
  },
};
