/**
 * Detection, end to end: every probe in parallel under one overall deadline, their raw outputs
 * through the pure mappers, and the merged device list with a report per probe. Never throws
 * to its caller and never outlives its deadline. `createDetector` caches the static facts for
 * the app; its `refresh` re-reads only free memory.
 */
import { hostProbe } from './host-probe';
import { CAPTURE_FILES, interpretCaptures } from './interpret';
import { mergeObservations } from './merge';
import { nvidiaProbe, WSL_NVIDIA_SMI } from './nvidia-probe';
import type { ProbeContext, ProbeDefinition, ProbeOutput } from './probe-kit';
import { runTool, type Runner } from './runner';
import { systeminformationProbe } from './si-probe';
import { sysfsProbe } from './sysfs-probe';
import type { Captures, DetectResult, ProbeReport } from './types';
import { gpuVerdict } from './verdict';
import {
  amdSmiProbe,
  directXProbe,
  rocmSmiProbe,
  sysctlProbe,
  systemProfilerProbe,
  xpuSmiProbe,
} from './vendor-probes';

/**
 * 5 s per tool: without persistence mode the NVIDIA driver is initialised anew for each
 * nvidia-smi run (NVIDIA "Driver Persistence" guide), which can take seconds on multi-GPU
 * servers; a tool slower than this is treated as hung (an engineering margin).
 */
export const DEFAULT_TOOL_TIMEOUT_MS = 5_000;
/**
 * 12 s for the whole detection: covers one tool deadline, a nvidia-smi retry without a rejected
 * field, and system_profiler's doubled deadline, with the probes running in parallel.
 */
export const DEFAULT_DEADLINE_MS = 12_000;
/** Time allowed after the deadline for killed tools to report back before they are abandoned. */
const DEADLINE_GRACE_MS = 250;

/** Every probe, in report order. */
export const ALL_PROBES: readonly ProbeDefinition[] = [
  nvidiaProbe,
  amdSmiProbe,
  rocmSmiProbe,
  sysfsProbe,
  xpuSmiProbe,
  systemProfilerProbe,
  sysctlProbe,
  directXProbe,
  hostProbe,
  systeminformationProbe,
];

export interface DetectOptions {
  /** Environment for the tools (PATH decides which executables run). Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Which operating system's probes to run. Default: this one. */
  readonly platform?: NodeJS.Platform;
  readonly toolTimeoutMs?: number;
  /** The whole detection's deadline; every tool still running then is killed. */
  readonly deadlineMs?: number;
  readonly sysfsRoot?: string;
  /** Root of procfs for the CPU and RAM (Linux). Default: `/proc`. */
  readonly procRoot?: string;
  readonly nvidiaSmiFallbacks?: readonly string[];
  readonly maxOutputBytes?: number;
  readonly runner?: Runner;
  readonly probes?: readonly ProbeDefinition[];
}

/** A detection with the raw outputs it was made from (what `--dump` writes). */
export interface Detection {
  readonly result: DetectResult;
  readonly captures: Captures;
  readonly platform: NodeJS.Platform;
}

const GPU_PROBES = new Set(ALL_PROBES.filter((p) => p.findsGpus).map((p) => p.name));

interface Collected {
  readonly reports: ProbeReport[];
  readonly captures: Map<string, string>;
}

function report(name: string, output: Pick<ProbeOutput, 'status' | 'ms' | 'reason'>): ProbeReport {
  return {
    name,
    status: output.status,
    ms: output.ms,
    ...(output.reason ? { reason: output.reason } : {}),
  };
}

/** Whether a probe's raw output lists at least one GPU with its memory. */
function listsGpus(output: ProbeOutput, platform: string): boolean {
  const { gpus } = interpretCaptures(new Map(output.captures), platform);
  return gpus.some((gpu) => (gpu.memoryTotalBytes ?? 0) > 0);
}

/**
 * The `vendorAnswer` of a run: settles with the first vendor tool (a GPU probe that is not an OS
 * inventory) whose output lists GPUs with memory, or with undefined once every vendor tool that
 * runs here is done without.
 */
function vendorAnswerOf(probes: readonly ProbeDefinition[], platform: NodeJS.Platform) {
  const isVendor = (probe: ProbeDefinition) =>
    probe.findsGpus && !probe.inventory && probe.platforms.includes(platform);
  let pending = probes.filter(isVendor).length;
  let resolve: (tool: string | undefined) => void = () => undefined;
  const answer = new Promise<string | undefined>((done) => (resolve = done));
  if (pending === 0) resolve(undefined);
  return {
    answer,
    settled(probe: ProbeDefinition, output: ProbeOutput | undefined): void {
      if (!isVendor(probe)) return;
      if (output?.status === 'ok' && listsGpus(output, platform)) resolve(probe.name);
      if (--pending === 0) resolve(undefined);
    },
  };
}

/** Runs the probes (or their refresh) in parallel under the overall deadline. */
async function collect(
  options: DetectOptions,
  mode: 'run' | 'refresh',
  only?: ReadonlySet<string>,
): Promise<Collected> {
  const platform = options.platform ?? process.platform;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const controller = new AbortController();
  const deadline = setTimeout(
    () => controller.abort(`detection deadline of ${deadlineMs} ms reached`),
    deadlineMs,
  );
  const base = {
    run: options.runner ?? runTool,
    env: options.env ?? process.env,
    platform,
    toolTimeoutMs: Math.min(options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS, deadlineMs),
    signal: controller.signal,
    sysfsRoot: options.sysfsRoot ?? '/sys',
    procRoot: options.procRoot ?? '/proc',
    nvidiaSmiFallbacks: options.nvidiaSmiFallbacks ?? [WSL_NVIDIA_SMI],
    ...(options.maxOutputBytes !== undefined ? { maxOutputBytes: options.maxOutputBytes } : {}),
  };
  const probes = (options.probes ?? ALL_PROBES).filter((p) => !only || only.has(p.name));
  const outputs: (ProbeOutput | undefined)[] = probes.map(() => undefined);
  const vendor = vendorAnswerOf(probes, platform);
  const context: ProbeContext = { ...base, vendorAnswer: vendor.answer };
  const started = performance.now();
  const running = probes.map(async (probe, i) => {
    const action = mode === 'run' ? probe.run : probe.refresh;
    if (!probe.platforms.includes(platform)) {
      outputs[i] = { status: 'skipped', ms: 0, reason: `not used on ${platform}`, captures: [] };
      return;
    }
    if (!action) {
      outputs[i] = { status: 'skipped', ms: 0, reason: 'nothing to refresh', captures: [] };
      return;
    }
    try {
      outputs[i] = await action(context);
    } catch (thrown) {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      outputs[i] = {
        status: 'failed',
        ms: Math.round(performance.now() - started),
        reason: `probe error: ${message}`,
        captures: [],
      };
    }
    vendor.settled(probe, outputs[i]);
  });
  let grace: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled(running),
    new Promise((resolve) => (grace = setTimeout(resolve, deadlineMs + DEADLINE_GRACE_MS))),
  ]);
  clearTimeout(deadline);
  clearTimeout(grace);
  controller.abort('detection finished');
  const captures = new Map<string, string>();
  const reports = probes.map((probe, i) => {
    const output = outputs[i] ?? {
      status: 'timeout' as const,
      ms: Math.round(performance.now() - started),
      reason: `did not finish before the detection deadline of ${deadlineMs} ms`,
      captures: [],
    };
    for (const [file, text] of output.captures) captures.set(file, text);
    return report(probe.name, output);
  });
  return { reports, captures };
}

/**
 * The pure last step, shared by live detection and replay: parse every capture, mark probes
 * whose output was not understood as failed, merge, and say what the GPU situation is.
 */
export function resultFromCaptures(
  captures: Captures,
  platform: string,
  reports: readonly ProbeReport[],
  timing: { startedAt: string; durationMs: number; replayedFrom?: string },
): DetectResult {
  const interpretation = interpretCaptures(captures, platform);
  const probes = reports.map((r): ProbeReport => {
    const problem = interpretation.problems.get(r.name);
    return problem && r.status === 'ok' ? { ...r, status: 'failed', reason: problem } : r;
  });
  const { devices, ignored } = mergeObservations(interpretation.gpus, interpretation.cpu);
  return {
    devices,
    ignoredGpus: ignored,
    probes,
    gpuVerdict: gpuVerdict(devices, probes, GPU_PROBES, ignored),
    startedAt: timing.startedAt,
    durationMs: timing.durationMs,
    ...(timing.replayedFrom ? { replayedFrom: timing.replayedFrom } : {}),
  };
}

/**
 * Detects the devices of this machine and keeps the raw outputs (for `--dump`).
 * @returns never rejects: every failure is a probe report.
 */
export async function detectWithCaptures(options: DetectOptions = {}): Promise<Detection> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const platform = options.platform ?? process.platform;
  const { reports, captures } = await collect(options, 'run');
  const durationMs = Math.round(performance.now() - started);
  const timing = { startedAt, durationMs };
  try {
    return { result: resultFromCaptures(captures, platform, reports, timing), captures, platform };
  } catch (thrown) {
    // A defect in a mapper must not take the app down: say so, keep the raw outputs for a report.
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    const result: DetectResult = {
      devices: [],
      ignoredGpus: [],
      probes: reports,
      gpuVerdict: {
        kind: 'undetermined',
        message: `Could not read the tool outputs (a Headroom bug: ${message}). Run \`headroom detect --dump DIR\` and attach DIR to a bug report.`,
      },
      ...timing,
    };
    return { result, captures, platform };
  }
}

/**
 * Detects the GPUs (with free memory) and the CPU with system RAM of this machine.
 * @param options PATH, deadlines and sysfs root, injectable for tests
 * @returns devices usable as DeviceSpecs (`local:N`), a report per probe, and the GPU verdict
 * @example const { devices } = await detectDevices(); // devices[0].id === 'local:0'
 */
export async function detectDevices(options: DetectOptions = {}): Promise<DetectResult> {
  return (await detectWithCaptures(options)).result;
}

/** Free memory now for each cached device, from a fresh interpretation. */
function withFreshFreeMemory(
  cached: DetectResult,
  captures: Captures,
  platform: string,
): DetectResult['devices'] {
  const fresh = interpretCaptures(captures, platform);
  const available = fresh.cpu?.memoryAvailableBytes;
  return cached.devices.map((device) => {
    let free: number | undefined;
    if (device.vendor === 'cpu') free = available;
    else if (device.vendor === 'apple')
      free = available === undefined ? undefined : Math.min(device.memoryBytes, available);
    else {
      free = fresh.gpus.find(
        (o) =>
          o.memoryFreeBytes !== undefined &&
          ((o.pciBusId !== undefined && o.pciBusId === device.detection.pciBusId) ||
            (o.uuid !== undefined && o.uuid === device.detection.uuid)),
      )?.memoryFreeBytes;
    }
    return free === undefined ? device : { ...device, memoryFreeBytes: free };
  });
}

export interface Detector {
  /** The cached detection; runs one the first time (concurrent calls share it). */
  detect(): Promise<DetectResult>;
  /** Re-reads free memory only (probes that were ok), keeping the static facts. */
  refresh(): Promise<DetectResult>;
  /** Forgets the cache: the next `detect` probes everything again. */
  invalidate(): void;
}

/** For the app: static facts cached while it runs (DESIGN.md); refresh re-reads free memory. */
export function createDetector(options: DetectOptions = {}): Detector {
  let current: Promise<Detection> | undefined;
  return {
    async detect() {
      current ??= detectWithCaptures(options);
      return (await current).result;
    },
    async refresh() {
      if (!current) return this.detect();
      const base = await current;
      const startedAt = new Date().toISOString();
      const started = performance.now();
      const wasOk = new Set(base.result.probes.filter((p) => p.status === 'ok').map((p) => p.name));
      const { reports, captures } = await collect(options, 'refresh', wasOk);
      // si's mem-only refresh needs the cached cpu() answer beside it to make the CPU observation.
      const merged = new Map([...base.captures].filter(([file]) => file === CAPTURE_FILES.siCpu));
      for (const [file, text] of captures) merged.set(file, text);
      const devices = withFreshFreeMemory(base.result, merged, base.platform);
      const result: DetectResult = {
        ...base.result,
        devices,
        probes: reports,
        startedAt,
        durationMs: Math.round(performance.now() - started),
      };
      current = Promise.resolve({ ...base, result });
      return result;
    },
    invalidate() {
      current = undefined;
    },
  };
}
