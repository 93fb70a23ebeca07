/**
 * macOS → GPU observations: `system_profiler -json SPDisplaysDataType` names the GPU, and
 * `sysctl hw.memsize iogpu.wired_limit_mb` gives the memory. Apple Silicon reports no GPU
 * memory of its own (the M1 recording has no VRAM key): the GPU budget is the wired limit when
 * one is set, otherwise an estimate of Metal's recommendedMaxWorkingSetSize, said to be one.
 */
import { appleGpuWorkingSetBytes } from '../../../core/devices/apple-working-set';
import { BYTES_PER_MIB, formatBytes } from '../../../core/units/bytes';
import type { GpuObservation, GpuVendor, ParseResult } from './types';
import { isRecord, parseByteQuantity, parseJsonSafely, parseNonNegativeInteger } from './values';

/** `name: value` lines of `sysctl hw.memsize iogpu.wired_limit_mb` (unknown keys are absent). */
function parseSysctl(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([\w.]+):\s*(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) values.set(match[1], match[2].trim());
  }
  return values;
}

/** The Apple GPU memory budget: the wired limit if set, else the working-set estimate. */
export function appleGpuBudget(
  memsizeBytes: number,
  wiredLimitMib: number | undefined,
): {
  bytes: number;
  estimated: boolean;
  note: string;
} {
  if (wiredLimitMib !== undefined && wiredLimitMib > 0) {
    const bytes = Math.min(memsizeBytes, wiredLimitMib * BYTES_PER_MIB);
    return {
      bytes,
      estimated: false,
      note: `GPU budget set by iogpu.wired_limit_mb = ${wiredLimitMib}`,
    };
  }
  const bytes = appleGpuWorkingSetBytes(memsizeBytes);
  return {
    bytes,
    estimated: true,
    note: `GPU budget is an estimate of Metal's default working-set limit (${((bytes / memsizeBytes) * 100).toFixed(0)}% of ${formatBytes(memsizeBytes, 'GiB')} unified memory; core/devices/apple-working-set.ts); sudo sysctl iogpu.wired_limit_mb=N sets it`,
  };
}

/** `Apple M2 Max` → `m2`; the chip generation decides the dtypes the GPU computes in. */
export function appleGeneration(model: string): string | undefined {
  return /\bApple (M\d+)\b/i.exec(model)?.[1]?.toLowerCase();
}

function vendorOf(item: Record<string, unknown>, model: string): GpuVendor | undefined {
  const text = `${String(item['spdisplays_vendor'] ?? '')} ${model}`.toLowerCase();
  if (text.includes('apple')) return 'apple';
  if (/amd|ati|radeon|0x1002/.test(text)) return 'amd';
  if (/nvidia|0x10de/.test(text)) return 'nvidia';
  if (/intel|0x8086/.test(text)) return 'intel';
  return undefined;
}

/**
 * Parses `system_profiler -json SPDisplaysDataType`, with `sysctl` output when there is one.
 * @param profilerText the JSON text.
 * @param sysctlText `sysctl hw.memsize iogpu.wired_limit_mb` output, for the Apple GPU budget.
 */
export function parseSystemProfiler(
  profilerText: string,
  sysctlText?: string,
): ParseResult<GpuObservation[]> {
  const json = parseJsonSafely(profilerText);
  const items = isRecord(json) ? json['SPDisplaysDataType'] : undefined;
  if (!Array.isArray(items)) return { ok: false, reason: 'no SPDisplaysDataType list' };
  const sysctl = parseSysctl(sysctlText ?? '');
  const memsize = parseNonNegativeInteger(sysctl.get('hw.memsize'));
  const wired = parseNonNegativeInteger(sysctl.get('iogpu.wired_limit_mb'));
  const value: GpuObservation[] = [];
  items.filter(isRecord).forEach((item, position) => {
    const model = typeof item['sppci_model'] === 'string' ? item['sppci_model'] : '';
    const vendor = vendorOf(item, model);
    if (!model || !vendor) return;
    if (vendor === 'apple') {
      const generation = appleGeneration(model);
      const budget = memsize === undefined ? undefined : appleGpuBudget(memsize, wired);
      const cores = parseNonNegativeInteger(String(item['sppci_cores'] ?? ''));
      value.push({
        source: 'system_profiler',
        vendor,
        name: model,
        toolIndex: position,
        unifiedMemory: true,
        ...(memsize !== undefined ? { systemMemoryBytes: memsize } : {}),
        ...(cores ? { gpuCores: cores } : {}),
        ...(generation ? { appleGeneration: generation } : {}),
        ...(budget
          ? {
              memoryTotalBytes: budget.bytes,
              memoryConfidence: budget.estimated ? ('estimated' as const) : ('measured' as const),
            }
          : {}),
        notes: [
          ...(cores ? [`${cores}-core GPU`] : []),
          budget ? budget.note : 'GPU memory unknown: sysctl hw.memsize was not read',
        ],
      });
      return;
    }
    // Discrete GPUs in Intel Macs: "8 GB" is binary (System Information counts memory in 2^30).
    const vramText = item['spdisplays_vram'] ?? item['spdisplays_vram_shared'];
    const vram = parseByteQuantity(typeof vramText === 'string' ? vramText : undefined, 'MiB', {
      megabyteMeansMebibyte: true,
    });
    value.push({
      source: 'system_profiler',
      vendor,
      name: model,
      toolIndex: position,
      ...(vram !== undefined
        ? { memoryTotalBytes: vram, memoryConfidence: 'measured' as const }
        : {}),
    });
  });
  return { ok: true, value };
}
