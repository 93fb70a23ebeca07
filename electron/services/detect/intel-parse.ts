/**
 * Intel GPUs → observations: `xpu-smi discovery -j` lists them (name, PCI address) and
 * `xpu-smi discovery --dump 1,2,11,16` adds each one's memory (intel/xpumanager
 * doc/smi_user_guide.md: properties 1 Device ID, 2 Device Name, 11 PCI BDF Address,
 * 16 Memory Physical Size, e.g. "32768.00 MiB").
 */
import { normalizePciAddress } from './pci';
import type { GpuObservation, ParseResult } from './types';
import { isRecord, parseByteQuantity, parseJsonSafely } from './values';

/** The `--dump` property ids Headroom asks for, in xpu-smi's numbering. */
export const XPU_SMI_DUMP_PROPERTIES = '1,2,11,16';

/**
 * The Xe generation from the product name (Intel's product lines: Data Center GPU Max is
 * Xe-HPC "Ponte Vecchio"; Data Center GPU Flex and Arc A-series are Xe-HPG "Alchemist";
 * Arc B-series is Xe2-HPG "Battlemage"; Iris Xe and UHD graphics are Xe-LP).
 */
export function intelFamily(name: string): string | undefined {
  if (/GPU Max\b/i.test(name)) return 'xe-hpc';
  if (/GPU Flex\b/i.test(name) || /\bArc\b.*\bA\d{3}/i.test(name)) return 'xe-hpg';
  if (/\bArc\b.*\bB\d{3}/i.test(name)) return 'xe2-hpg';
  if (/Iris\(?R?\)? Xe|\bUHD\b/i.test(name)) return 'xe-lp';
  return undefined;
}

/** Splits one CSV line, honouring double quotes (xpu-smi quotes its text cells). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      cells.push(current.trim());
      current = '';
    } else current += char;
  }
  cells.push(current.trim());
  return cells;
}

function dumpMemoryByDevice(
  dumpText: string,
): Map<string, { name?: string; memoryTotalBytes?: number; bdf?: string }> {
  const rows = dumpText.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = splitCsvLine(rows[0] ?? '').map((cell) => cell.toLowerCase());
  const column = (title: string) => header.indexOf(title);
  const result = new Map<string, { name?: string; memoryTotalBytes?: number; bdf?: string }>();
  for (const row of rows.slice(1)) {
    const cells = splitCsvLine(row);
    if (cells.length !== header.length) continue;
    const id = cells[column('device id')] ?? '';
    const memory = parseByteQuantity(cells[column('memory physical size')], 'MiB');
    const bdf = normalizePciAddress(cells[column('pci bdf address')]);
    const name = cells[column('device name')];
    result.set(id, {
      ...(name ? { name } : {}),
      ...(memory !== undefined ? { memoryTotalBytes: memory } : {}),
      ...(bdf ? { bdf } : {}),
    });
  }
  return result;
}

/**
 * Parses `xpu-smi discovery -j` and/or the `--dump` CSV; joined on xpu-smi's device id.
 */
export function parseXpuSmi(listText?: string, dumpText?: string): ParseResult<GpuObservation[]> {
  const json = listText === undefined ? undefined : parseJsonSafely(listText);
  const list =
    isRecord(json) && Array.isArray(json['device_list'])
      ? json['device_list'].filter(isRecord)
      : [];
  const dump = dumpMemoryByDevice(dumpText ?? '');
  if (list.length === 0 && dump.size === 0) {
    return { ok: false, reason: 'no "device_list" in the JSON and no rows in the dump' };
  }
  const ids = new Set([...list.map((d) => String(d['device_id'])), ...dump.keys()]);
  const value = [...ids].map((id): GpuObservation => {
    const listed = list.find((d) => String(d['device_id']) === id) ?? {};
    const dumped = dump.get(id) ?? {};
    const name =
      (typeof listed['device_name'] === 'string' ? listed['device_name'] : undefined) ??
      dumped.name;
    const pciBusId =
      normalizePciAddress(
        typeof listed['pci_bdf_address'] === 'string' ? listed['pci_bdf_address'] : undefined,
      ) ?? dumped.bdf;
    const family = name ? intelFamily(name) : undefined;
    const index = Number(id);
    return {
      source: 'xpu-smi',
      vendor: 'intel',
      ...(Number.isInteger(index) ? { toolIndex: index } : {}),
      ...(name ? { name } : {}),
      ...(pciBusId ? { pciBusId } : {}),
      ...(family ? { intelFamily: family } : {}),
      ...(dumped.memoryTotalBytes !== undefined
        ? { memoryTotalBytes: dumped.memoryTotalBytes, memoryConfidence: 'measured' as const }
        : {}),
    };
  });
  return { ok: true, value };
}
