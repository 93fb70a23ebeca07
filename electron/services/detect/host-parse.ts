/**
 * The CPU and RAM from the kernel's own files, read without starting any program:
 * `/proc/cpuinfo` (name, physical cores, SIMD/matrix flags) and `/proc/meminfo` (total and
 * available RAM), with Node's `os` facts (`host-os.json`) where those files say nothing. Field
 * names are the kernel's: arch/x86/kernel/cpu/proc.c ("model name", "physical id", "core id",
 * "flags") and arch/arm64/kernel/cpuinfo.c ("Features"); fs/proc/meminfo.c ("MemTotal",
 * "MemAvailable", in kB meaning KiB).
 */
import { BYTES_PER_KIB } from '../../../core/units/bytes';
import type { CpuObservation, ParseResult } from './types';
import { isRecord, parseJsonSafely, parseNonNegativeInteger } from './values';

/** What Node's `os` module says about the host (the `host-os.json` capture). */
export interface HostOsFacts {
  /** `os.cpus()[0].model`. */
  readonly cpuModel: string;
  /** `os.availableParallelism()`: logical CPUs this process may use. */
  readonly logicalCpus: number;
  /** `os.totalmem()`, bytes. */
  readonly totalMemoryBytes: number;
  /** `os.freemem()`, bytes (MemAvailable on Linux, libuv uv_get_free_memory). */
  readonly freeMemoryBytes: number;
}

/** The most processor blocks read: Linux's NR_CPUS is at most 8192 (arch/x86/Kconfig). */
const MAX_PROCESSORS = 8192;

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Reads `host-os.json`; undefined when it is not the object host-probe.ts writes. */
function parseHostOs(text: string): HostOsFacts | undefined {
  const json = parseJsonSafely(text);
  if (!isRecord(json)) return undefined;
  const logicalCpus = positive(json['logicalCpus']);
  const totalMemoryBytes = positive(json['totalMemoryBytes']);
  if (logicalCpus === undefined || totalMemoryBytes === undefined) return undefined;
  return {
    cpuModel: typeof json['cpuModel'] === 'string' ? json['cpuModel'] : '',
    logicalCpus,
    totalMemoryBytes,
    freeMemoryBytes: positive(json['freeMemoryBytes']) ?? 0,
  };
}

/** `key : value` lines of one /proc file, blocks split at blank lines (one per processor). */
function blocks(text: string): Map<string, string>[] {
  const result: Map<string, string>[] = [];
  let current = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (line.trim() === '') {
      if (current.size > 0) result.push(current);
      current = new Map();
      if (result.length >= MAX_PROCESSORS) break;
    } else if (colon > 0) {
      current.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  if (current.size > 0 && result.length < MAX_PROCESSORS) result.push(current);
  return result;
}

interface CpuInfo {
  readonly name?: string;
  readonly physicalCores?: number;
  readonly flags: readonly string[];
}

/**
 * `/proc/cpuinfo` → name, physical cores (distinct physical id + core id pairs, as lscpu counts
 * them; the processor count where those are absent, as on arm64) and flags.
 */
export function parseCpuInfo(text: string): CpuInfo {
  const processors = blocks(text).filter((b) => b.has('processor'));
  const first = processors[0];
  const name = first?.get('model name') ?? first?.get('hardware');
  const cores = new Set(
    processors
      .filter((b) => b.has('core id'))
      .map((b) => `${b.get('physical id') ?? '0'}:${b.get('core id') ?? ''}`),
  );
  const physicalCores = cores.size > 0 ? cores.size : processors.length || undefined;
  const flagText = first?.get('flags') ?? first?.get('features') ?? '';
  return {
    ...(name ? { name: name.replace(/\s+/g, ' ') } : {}),
    ...(physicalCores !== undefined ? { physicalCores } : {}),
    flags: flagText.toLowerCase().split(/\s+/).filter(Boolean),
  };
}

/** `/proc/meminfo` → total and available bytes (its "kB" are KiB). */
export function parseMemInfo(text: string): { totalBytes?: number; availableBytes?: number } {
  const fields = blocks(text)[0] ?? new Map<string, string>();
  const kib = (key: string) => {
    const value = parseNonNegativeInteger(fields.get(key)?.replace(/\s*kB$/i, ''));
    return value === undefined ? undefined : value * BYTES_PER_KIB;
  };
  const totalBytes = kib('memtotal');
  const availableBytes = kib('memavailable');
  return {
    ...(totalBytes !== undefined ? { totalBytes } : {}),
    ...(availableBytes !== undefined ? { availableBytes } : {}),
  };
}

/**
 * The CPU/RAM observation from the host captures.
 * @param osText `host-os.json`
 * @param cpuInfoText `proc-cpuinfo.txt` (Linux), if read
 * @param memInfoText `proc-meminfo.txt` (Linux), if read
 */
export function parseHostCaptures(
  osText: string | undefined,
  cpuInfoText: string | undefined,
  memInfoText: string | undefined,
): ParseResult<CpuObservation> {
  const os = osText === undefined ? undefined : parseHostOs(osText);
  const cpu = cpuInfoText === undefined ? undefined : parseCpuInfo(cpuInfoText);
  const mem = memInfoText === undefined ? {} : parseMemInfo(memInfoText);
  const total = mem.totalBytes ?? os?.totalMemoryBytes;
  if (total === undefined)
    return { ok: false, reason: 'neither /proc/meminfo nor os gave the RAM' };
  const available = mem.availableBytes ?? (os?.freeMemoryBytes || undefined);
  const source = cpu || memInfoText !== undefined ? '/proc' : 'os';
  return {
    ok: true,
    value: {
      source,
      name: cpu?.name || os?.cpuModel.trim() || 'CPU',
      cores: cpu?.physicalCores ?? os?.logicalCpus ?? 1,
      flags: cpu?.flags ?? [],
      memoryTotalBytes: total,
      ...(available !== undefined ? { memoryAvailableBytes: available } : {}),
    },
  };
}
