/**
 * Linux sysfs (as captured under `sysfs/…`) → AMD GPU observations: amdgpu's memory files
 * under /sys/class/drm/cardN/device/ and the KFD topology's gfx target. APUs (a KFD node
 * with CPU cores and SIMDs) report their carve-out and GTT, both usable by the GPU.
 */
import { normalizePciAddress } from './pci';
import { formatBytes } from '../../../core/units/bytes';
import type { Captures, GpuObservation, ParseResult } from './types';
import { parseNonNegativeInteger } from './values';

/**
 * The files read per card: amdgpu's memory attributes (drivers/gpu/drm/amd/amdgpu/
 * amdgpu_vram_mgr.c and amdgpu_gtt_mgr.c, bytes; rocm-smi's "VRAM Total Memory (B)" reads
 * the same file) and uevent for PCI_SLOT_NAME.
 */
export const DRM_DEVICE_FILES = [
  'uevent',
  'mem_info_vram_total',
  'mem_info_vram_used',
  'mem_info_gtt_total',
  'mem_info_gtt_used',
] as const;

const DRM_FILE = /^sysfs\/class\/drm\/(card\d+)\/device\/([a-z_]+)$/;
const KFD_FILE = /^sysfs\/class\/kfd\/kfd\/topology\/nodes\/(\d+)\/properties$/;

/** `key value` lines of a KFD node's `properties` file. */
function parseProperties(text: string): Map<string, number> {
  const properties = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    const number = parseNonNegativeInteger(value);
    if (key && number !== undefined) properties.set(key, number);
  }
  return properties;
}

/**
 * `gfx_target_version` → `gfx…`: major*10000 + minor*100 + stepping, printed as
 * gfx{major}{minor}{stepping in hex} (rocprofiler-sdk agent names; 90010 → gfx90a).
 */
export function gfxTargetFromVersion(version: number): string | undefined {
  if (version < 10000) return undefined;
  const major = Math.floor(version / 10000) % 100;
  const minor = Math.floor(version / 100) % 100;
  const stepping = version % 100;
  if (minor > 15 || stepping > 15) return undefined;
  return `gfx${major}${minor.toString(16)}${stepping.toString(16)}`;
}

/**
 * The PCI address of a KFD node: `location_id` is pci_dev_id() = bus << 8 | devfn, with a
 * partition number in bits 31:28 on multi-partition parts, and `domain` is the PCI domain
 * (drivers/gpu/drm/amd/amdkfd/kfd_topology.c, kfd_topology_add_device).
 */
function kfdPciAddress(properties: Map<string, number>): string | undefined {
  const location = properties.get('location_id');
  if (location === undefined) return undefined;
  const bus = (location >> 8) & 0xff;
  const device = (location >> 3) & 0x1f;
  const fn = location & 0x7;
  const domain = properties.get('domain') ?? 0;
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  return normalizePciAddress(`${hex(domain, 4)}:${hex(bus, 2)}:${hex(device, 2)}.${fn}`);
}

interface KfdGpu {
  readonly gfxTarget?: string;
  readonly apu: boolean;
}

function kfdGpusByPci(captures: Captures): Map<string, KfdGpu> {
  const gpus = new Map<string, KfdGpu>();
  for (const [name, text] of captures) {
    if (!KFD_FILE.test(name)) continue;
    const properties = parseProperties(text);
    const address = kfdPciAddress(properties);
    if (!address || (properties.get('simd_count') ?? 0) === 0) continue;
    const target = gfxTargetFromVersion(properties.get('gfx_target_version') ?? 0);
    // cpu_cores_count: "0 for a node with no such cores, e.g. a discrete HSA GPU" (KFD sysfs docs).
    gpus.set(address, {
      ...(target ? { gfxTarget: target } : {}),
      apu: (properties.get('cpu_cores_count') ?? 0) > 0,
    });
  }
  return gpus;
}

/**
 * Parses captured sysfs files into one observation per amdgpu card with memory files.
 * @param captures every capture; only `sysfs/class/drm/…` and `sysfs/class/kfd/…` are read.
 */
export function parseSysfs(captures: Captures): ParseResult<GpuObservation[]> {
  const cards = new Map<string, Map<string, string>>();
  for (const [name, text] of captures) {
    const match = DRM_FILE.exec(name);
    if (!match) continue;
    const [, card = '', file = ''] = match;
    const files = cards.get(card) ?? new Map<string, string>();
    files.set(file, text);
    cards.set(card, files);
  }
  const kfd = kfdGpusByPci(captures);
  const value: GpuObservation[] = [];
  for (const [card, files] of [...cards].sort(([a], [b]) =>
    a.localeCompare(b, 'en', { numeric: true }),
  )) {
    const vramTotal = parseNonNegativeInteger(files.get('mem_info_vram_total'));
    if (vramTotal === undefined) continue;
    const slot = /^PCI_SLOT_NAME=(.+)$/m.exec(files.get('uevent') ?? '')?.[1];
    const pciBusId = normalizePciAddress(slot);
    const node = pciBusId ? kfd.get(pciBusId) : undefined;
    const vramUsed = parseNonNegativeInteger(files.get('mem_info_vram_used'));
    const gttTotal = parseNonNegativeInteger(files.get('mem_info_gtt_total'));
    const gttUsed = parseNonNegativeInteger(files.get('mem_info_gtt_used'));
    const vramFree = vramUsed === undefined ? undefined : Math.max(0, vramTotal - vramUsed);
    const apu = node?.apu === true && gttTotal !== undefined;
    const total = apu ? vramTotal + (gttTotal ?? 0) : vramTotal;
    const gttFree =
      gttTotal !== undefined && gttUsed !== undefined ? Math.max(0, gttTotal - gttUsed) : undefined;
    const free = apu
      ? vramFree !== undefined && gttFree !== undefined
        ? vramFree + gttFree
        : undefined
      : vramFree;
    value.push({
      source: 'sysfs',
      vendor: 'amd',
      toolIndex: Number(card.slice(4)),
      ...(pciBusId ? { pciBusId } : {}),
      ...(node?.gfxTarget ? { gfxTarget: node.gfxTarget } : {}),
      memoryTotalBytes: total,
      memoryConfidence: 'measured',
      ...(free !== undefined ? { memoryFreeBytes: free } : {}),
      ...(apu
        ? {
            unifiedMemory: true,
            notes: [
              `APU: ${formatBytes(vramTotal, 'GiB')} carve-out + ${formatBytes(gttTotal ?? 0, 'GiB')} GTT (system memory)`,
            ],
          }
        : {}),
    });
  }
  return { ok: true, value };
}
