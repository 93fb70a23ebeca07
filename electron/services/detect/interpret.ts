/**
 * The pure middle of detection: raw captures (live, or read back from a `--dump` directory)
 * → observations. The same function serves detection and replay, so a recording is parsed
 * exactly as the live outputs were.
 */
import { parseAmdSmiJson, parseRocmSmiJson } from './amd-parse';
import { parseSystemProfiler } from './apple-parse';
import { parseHostCaptures } from './host-parse';
import { parseXpuSmi } from './intel-parse';
import { nameMigInstances, parseNvidiaList, parseNvidiaXml } from './nvidia-mig-parse';
import { parseNvidiaQueryCsv } from './nvidia-csv-parse';
import { parseSiCpuMem, parseSiGraphics } from './si-parse';
import { parseSysfs } from './sysfs-parse';
import type { Captures, CpuObservation, GpuObservation, ParseResult } from './types';
import { parseDirectXRegistry } from './windows-parse';

/** The fixed dump file names (issue 4) and the probe that writes each. */
export const CAPTURE_FILES = {
  nvidiaQuery: 'nvidia-smi-query.csv',
  nvidiaList: 'nvidia-smi-L.txt',
  nvidiaXml: 'nvidia-smi-q.xml',
  rocmSmi: 'rocm-smi.json',
  amdSmiStatic: 'amd-smi-static.json',
  amdSmiMetric: 'amd-smi-metric.json',
  systemProfiler: 'system_profiler.json',
  sysctl: 'sysctl.txt',
  xpuSmiList: 'xpu-smi.json',
  xpuSmiDump: 'xpu-smi-dump.csv',
  directX: 'directx-registry.txt',
  siGraphics: 'si-graphics.json',
  siMem: 'si-mem.json',
  siCpu: 'si-cpu.json',
  hostOs: 'host-os.json',
  procCpuInfo: 'proc-cpuinfo.txt',
  procMemInfo: 'proc-meminfo.txt',
} as const;

/** Every sysfs capture lives under this prefix, mirroring the real paths below /sys. */
export const SYSFS_PREFIX = 'sysfs/';

/** Probe names, as they appear in `probes[]`. */
export const PROBE_NAMES = {
  nvidia: 'nvidia-smi',
  rocmSmi: 'rocm-smi',
  amdSmi: 'amd-smi',
  sysfs: 'sysfs',
  systemProfiler: 'system_profiler',
  sysctl: 'sysctl',
  xpuSmi: 'xpu-smi',
  directX: 'directx-registry',
  systeminformation: 'systeminformation',
  host: 'host',
} as const;

/** Which probe produced a capture file. */
export function probeForCapture(file: string): string | undefined {
  if (file.startsWith(SYSFS_PREFIX)) return PROBE_NAMES.sysfs;
  switch (file) {
    case CAPTURE_FILES.nvidiaQuery:
    case CAPTURE_FILES.nvidiaList:
    case CAPTURE_FILES.nvidiaXml:
      return PROBE_NAMES.nvidia;
    case CAPTURE_FILES.rocmSmi:
      return PROBE_NAMES.rocmSmi;
    case CAPTURE_FILES.amdSmiStatic:
    case CAPTURE_FILES.amdSmiMetric:
      return PROBE_NAMES.amdSmi;
    case CAPTURE_FILES.systemProfiler:
      return PROBE_NAMES.systemProfiler;
    case CAPTURE_FILES.sysctl:
      return PROBE_NAMES.sysctl;
    case CAPTURE_FILES.xpuSmiList:
    case CAPTURE_FILES.xpuSmiDump:
      return PROBE_NAMES.xpuSmi;
    case CAPTURE_FILES.directX:
      return PROBE_NAMES.directX;
    case CAPTURE_FILES.siGraphics:
    case CAPTURE_FILES.siMem:
    case CAPTURE_FILES.siCpu:
      return PROBE_NAMES.systeminformation;
    case CAPTURE_FILES.hostOs:
    case CAPTURE_FILES.procCpuInfo:
    case CAPTURE_FILES.procMemInfo:
      return PROBE_NAMES.host;
    default:
      return undefined;
  }
}

interface Interpretation {
  readonly gpus: readonly GpuObservation[];
  readonly cpu?: CpuObservation;
  /** Probe name → why its output was not understood. */
  readonly problems: ReadonlyMap<string, string>;
}

/**
 * Runs every parser whose input is present.
 * @param captures raw outputs by dump file name
 * @param platform `process.platform` of the machine that produced them (decides si's VRAM trust)
 */
export function interpretCaptures(captures: Captures, platform: string): Interpretation {
  const gpus: GpuObservation[] = [];
  const problems = new Map<string, string>();
  const take = (
    probe: string,
    file: string,
    result: ParseResult<GpuObservation[]>,
  ): GpuObservation[] => {
    if (result.ok) return result.value;
    const earlier = problems.get(probe);
    problems.set(probe, `${earlier ? `${earlier}; ` : ''}${file} not understood: ${result.reason}`);
    return [];
  };
  const file = (name: string) => captures.get(name);

  const query = file(CAPTURE_FILES.nvidiaQuery);
  if (query !== undefined)
    gpus.push(...take(PROBE_NAMES.nvidia, CAPTURE_FILES.nvidiaQuery, parseNvidiaQueryCsv(query)));
  const listText = file(CAPTURE_FILES.nvidiaList);
  const list =
    listText === undefined
      ? []
      : take(PROBE_NAMES.nvidia, CAPTURE_FILES.nvidiaList, parseNvidiaList(listText));
  const xmlText = file(CAPTURE_FILES.nvidiaXml);
  const xml =
    xmlText === undefined
      ? []
      : take(PROBE_NAMES.nvidia, CAPTURE_FILES.nvidiaXml, parseNvidiaXml(xmlText));
  gpus.push(...nameMigInstances(xml, list), ...list);

  const rocm = file(CAPTURE_FILES.rocmSmi);
  if (rocm !== undefined)
    gpus.push(...take(PROBE_NAMES.rocmSmi, CAPTURE_FILES.rocmSmi, parseRocmSmiJson(rocm)));
  const amdStatic = file(CAPTURE_FILES.amdSmiStatic);
  const amdMetric = file(CAPTURE_FILES.amdSmiMetric);
  if (amdStatic !== undefined || amdMetric !== undefined) {
    gpus.push(...take(PROBE_NAMES.amdSmi, 'amd-smi JSON', parseAmdSmiJson(amdStatic, amdMetric)));
  }
  if ([...captures.keys()].some((name) => name.startsWith(SYSFS_PREFIX))) {
    gpus.push(...take(PROBE_NAMES.sysfs, 'sysfs', parseSysfs(captures)));
  }
  const profiler = file(CAPTURE_FILES.systemProfiler);
  if (profiler !== undefined) {
    const parsed = parseSystemProfiler(profiler, file(CAPTURE_FILES.sysctl));
    gpus.push(...take(PROBE_NAMES.systemProfiler, CAPTURE_FILES.systemProfiler, parsed));
  }
  const xpuList = file(CAPTURE_FILES.xpuSmiList);
  const xpuDump = file(CAPTURE_FILES.xpuSmiDump);
  if (xpuList !== undefined || xpuDump !== undefined) {
    gpus.push(...take(PROBE_NAMES.xpuSmi, 'xpu-smi output', parseXpuSmi(xpuList, xpuDump)));
  }
  const directX = file(CAPTURE_FILES.directX);
  if (directX !== undefined)
    gpus.push(...take(PROBE_NAMES.directX, CAPTURE_FILES.directX, parseDirectXRegistry(directX)));
  const siGraphics = file(CAPTURE_FILES.siGraphics);
  if (siGraphics !== undefined) {
    gpus.push(
      ...take(
        PROBE_NAMES.systeminformation,
        CAPTURE_FILES.siGraphics,
        parseSiGraphics(siGraphics, platform),
      ),
    );
  }

  const siCpu = file(CAPTURE_FILES.siCpu);
  const siMem = file(CAPTURE_FILES.siMem);
  const hostOs = file(CAPTURE_FILES.hostOs);
  const procMemInfo = file(CAPTURE_FILES.procMemInfo);
  let cpu: CpuObservation | undefined;
  if (hostOs !== undefined || procMemInfo !== undefined) {
    const parsed = parseHostCaptures(hostOs, file(CAPTURE_FILES.procCpuInfo), procMemInfo);
    if (parsed.ok) cpu = parsed.value;
    else problems.set(PROBE_NAMES.host, parsed.reason);
  } else if (siCpu !== undefined && siMem !== undefined) {
    const parsed = parseSiCpuMem(siCpu, siMem);
    if (parsed.ok) cpu = parsed.value;
    else problems.set(PROBE_NAMES.systeminformation, parsed.reason);
  } else if (siCpu !== undefined || siMem !== undefined) {
    problems.set(
      PROBE_NAMES.systeminformation,
      'only one of si-cpu.json and si-mem.json is present',
    );
  }
  return { gpus, ...(cpu ? { cpu } : {}), problems };
}
