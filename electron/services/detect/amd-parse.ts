/**
 * AMD tools → GPU observations: `rocm-smi --json` (keys whose case varies between ROCm
 * versions) and `amd-smi static|metric --json` (a top-level array in ROCm 6.x, an object
 * `{ "gpu_data": [...] }` in newer releases).
 */
import { normalizePciAddress } from './pci';
import type { GpuObservation, ParseResult } from './types';
import {
  isMissingValue,
  isRecord,
  parseByteQuantity,
  parseJsonSafely,
  parseNonNegativeInteger,
} from './values';

/** Looks a key up ignoring case and surrounding blanks ("Card series" / "Card Series"). */
function field(record: Record<string, unknown>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(record)) {
    if (
      name.trim().toLowerCase() === wanted &&
      typeof value === 'string' &&
      !isMissingValue(value)
    ) {
      return value.trim();
    }
  }
  return undefined;
}

/**
 * `gfx90a`-style targets only; anything else is not a target name. A target ID's feature
 * settings (`gfx942:sramecc+:xnack-`, LLVM AMDGPUUsage "Target ID") are dropped: the processor
 * decides the dtypes.
 */
function gfxTarget(text: string | undefined): string | undefined {
  const match = /^(gfx[0-9a-f]{3,4})(?::[a-z0-9_-]+[+-])*$/i.exec(text?.trim() ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * A marketing name from rocm-smi's "Card series": `Arcturus GL-XL [Instinct MI100]` carries
 * it in brackets (the MI100 recording), `Radeon RX 7900 XT` is one already.
 */
function amdProductName(series: string): string {
  const bracketed = /\[([^\]]+)\]\s*$/.exec(series)?.[1];
  const name = (bracketed ?? series).trim();
  return /^amd\b/i.test(name) ? name : `AMD ${name}`;
}

/**
 * Parses `rocm-smi --showmeminfo vram gtt --showproductname --showbus --json` (any subset of
 * those sections): one observation per `cardN` key; the `system` key is skipped.
 * Memory values are byte strings ("VRAM Total Memory (B)").
 */
export function parseRocmSmiJson(text: string): ParseResult<GpuObservation[]> {
  const json = parseJsonSafely(text);
  if (!isRecord(json)) return { ok: false, reason: 'not a JSON object' };
  const cards = Object.entries(json).filter(
    ([key, value]) => /^card\d+$/i.test(key) && isRecord(value),
  );
  if (cards.length === 0 && !('system' in json)) return { ok: false, reason: 'no "cardN" entries' };
  const value = cards.map(([key, raw]): GpuObservation => {
    const card = raw as Record<string, unknown>;
    const series = field(card, 'Card series') ?? field(card, 'Device Name');
    const vramTotal = parseNonNegativeInteger(field(card, 'VRAM Total Memory (B)'));
    const vramUsed = parseNonNegativeInteger(field(card, 'VRAM Total Used Memory (B)'));
    const gttTotal = parseNonNegativeInteger(field(card, 'GTT Total Memory (B)'));
    const pciBusId = normalizePciAddress(field(card, 'PCI Bus'));
    const target = gfxTarget(field(card, 'GFX Version'));
    return {
      source: 'rocm-smi',
      vendor: 'amd',
      toolIndex: Number(key.slice(4)),
      ...(series ? { name: amdProductName(series) } : {}),
      ...(pciBusId ? { pciBusId } : {}),
      ...(target ? { gfxTarget: target } : {}),
      ...(vramTotal !== undefined
        ? { memoryTotalBytes: vramTotal, memoryConfidence: 'measured' as const }
        : {}),
      ...(vramTotal !== undefined && vramUsed !== undefined
        ? { memoryFreeBytes: Math.max(0, vramTotal - vramUsed) }
        : {}),
      ...(gttTotal !== undefined
        ? { notes: [`GTT (system memory the GPU can map): ${gttTotal} bytes`] }
        : {}),
    };
  });
  return { ok: true, value };
}

/** amd-smi's GPU list: the top-level array (ROCm 6.x) or `gpu_data` (newer releases). */
function amdSmiGpus(text: string): Record<string, unknown>[] | undefined {
  const json = parseJsonSafely(text);
  const list = Array.isArray(json) ? json : isRecord(json) ? json['gpu_data'] : undefined;
  return Array.isArray(list) ? list.filter(isRecord) : undefined;
}

function nested(record: Record<string, unknown>, path: string): unknown {
  let current: unknown = record;
  for (const key of path.split('.')) current = isRecord(current) ? current[key] : undefined;
  return current;
}

/**
 * An amd-smi memory figure: `{ "value": 16368, "unit": "MB" }` in JSON mode, `"16368 MB"`
 * in others, a bare number in some versions. Its "MB" is MiB (the CLI divides bytes by
 * 1024*1024: amdsmi_cli/amdsmi_commands.py, ROCm/amdsmi @ 0ceca28).
 */
function amdSmiMebibytes(value: unknown): number | undefined {
  if (typeof value === 'number') return parseByteQuantity(String(value), 'MiB');
  if (typeof value === 'string')
    return parseByteQuantity(value, 'MiB', { megabyteMeansMebibyte: true });
  if (isRecord(value)) {
    const unit = typeof value['unit'] === 'string' ? value['unit'] : 'MB';
    return parseByteQuantity(`${String(value['value'])} ${unit}`, 'MiB', {
      megabyteMeansMebibyte: true,
    });
  }
  return undefined;
}

function amdSmiText(record: Record<string, unknown>, path: string): string | undefined {
  const value = nested(record, path);
  return typeof value === 'string' && !isMissingValue(value) ? value.trim() : undefined;
}

/**
 * Parses `amd-smi static --json` and/or `amd-smi metric --json`; the two are joined on amd-smi's
 * `gpu` index (one tool, one numbering). Either may be absent.
 */
export function parseAmdSmiJson(
  staticText?: string,
  metricText?: string,
): ParseResult<GpuObservation[]> {
  const statics = staticText === undefined ? [] : amdSmiGpus(staticText);
  const metrics = metricText === undefined ? [] : amdSmiGpus(metricText);
  if (statics === undefined && metrics === undefined) {
    return { ok: false, reason: 'neither file is amd-smi JSON (an array or {"gpu_data": [...]})' };
  }
  const byIndex = new Map<
    number,
    { static?: Record<string, unknown>; metric?: Record<string, unknown> }
  >();
  const indexOf = (gpu: Record<string, unknown>, position: number) =>
    typeof gpu['gpu'] === 'number' ? gpu['gpu'] : position;
  (statics ?? []).forEach((gpu, i) => byIndex.set(indexOf(gpu, i), { static: gpu }));
  (metrics ?? []).forEach((gpu, i) => {
    const index = indexOf(gpu, i);
    byIndex.set(index, { ...byIndex.get(index), metric: gpu });
  });
  const value = [...byIndex.entries()].map(
    ([index, { static: info = {}, metric = {} }]): GpuObservation => {
      const market = amdSmiText(info, 'asic.market_name');
      const name =
        market && !/^0x[0-9a-f]+$/i.test(market) ? market : amdSmiText(info, 'board.product_name');
      const pciBusId = normalizePciAddress(amdSmiText(info, 'bus.bdf'));
      const target = gfxTarget(amdSmiText(info, 'asic.target_graphics_version'));
      const total =
        amdSmiMebibytes(nested(metric, 'mem_usage.total_vram')) ??
        amdSmiMebibytes(nested(info, 'vram.size'));
      const used = amdSmiMebibytes(nested(metric, 'mem_usage.used_vram'));
      const free =
        amdSmiMebibytes(nested(metric, 'mem_usage.free_vram')) ??
        (total !== undefined && used !== undefined ? Math.max(0, total - used) : undefined);
      return {
        source: 'amd-smi',
        vendor: 'amd',
        toolIndex: index,
        ...(name ? { name: amdProductName(name) } : {}),
        ...(pciBusId ? { pciBusId } : {}),
        ...(target ? { gfxTarget: target } : {}),
        ...(total !== undefined
          ? { memoryTotalBytes: total, memoryConfidence: 'measured' as const }
          : {}),
        ...(free !== undefined ? { memoryFreeBytes: free } : {}),
      };
    },
  );
  return { ok: true, value };
}
