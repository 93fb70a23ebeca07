/**
 * systeminformation's `graphics()`, `mem()` and `cpu()` JSON → observations. It is the
 * inventory, but its VRAM is not trusted where it is known to be wrong: on Linux an lspci `vram`
 * is the PCI BAR size (lspci "Memory at … [size=256M]"; a clinfo one is real), on Windows WMI AdapterRAM caps at 4 GB
 * (a uint32), Apple Silicon has none, and zeros mean "unknown". A figure it took from
 * nvidia-smi (`memoryTotal`) is nvidia-smi's, and kept.
 */
import { normalizePciAddress, siClinfoNvidiaAddress } from './pci';
import { BYTES_PER_MIB } from '../../../core/units/bytes';
import type { CpuObservation, GpuObservation, GpuVendor, ParseResult } from './types';
import { isRecord, parseJsonSafely } from './values';

/** WMI Win32_VideoController.AdapterRAM is a uint32: 4 GiB - 1 byte at most, 4095 MiB as si rounds it. */
const WINDOWS_ADAPTER_RAM_CAP_MIB = 4095;

function vendorOf(vendor: string, model: string): GpuVendor | undefined {
  const text = `${vendor} ${model}`.toLowerCase();
  if (/nvidia/.test(text)) return 'nvidia';
  if (/advanced micro devices|\bamd\b|\bati\b|radeon/.test(text)) return 'amd';
  if (/intel/.test(text)) return 'intel';
  if (/apple/.test(text)) return 'apple';
  return undefined;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * On Linux, si makes a controller from `lspci -vvv` (its `bus` then says `Onboard` or `PCIe` for
 * every NVIDIA, AMD and Intel card: the vendor text holds "Corporation" or "Inc.") or, failing
 * that, from `clinfo --raw`, whose controllers keep `bus: ''` (systeminformation 5.33.23,
 * lib/graphics.js parseLinesLinuxControllers / parseLinesLinuxClinfo).
 */
function fromClinfo(controller: Record<string, unknown>, platform: string): boolean {
  return platform === 'linux' && controller['bus'] === '' && !controller['pciBus'];
}

/** si's `vram` in MiB, when it can be believed on this platform. */
function trustedVramMib(controller: Record<string, unknown>, platform: string): number | undefined {
  const fromNvidiaSmi = numberOr(controller['memoryTotal']);
  if (fromNvidiaSmi !== undefined) return fromNvidiaSmi;
  const vram = numberOr(controller['vram']);
  if (vram === undefined) return undefined;
  if (platform === 'win32') return vram > WINDOWS_ADAPTER_RAM_CAP_MIB + 1 ? vram : undefined;
  if (platform === 'darwin') return controller['vramDynamic'] === true ? undefined : vram;
  // clinfo's CL_DEVICE_GLOBAL_MEM_SIZE is the device memory (less the driver's reservation);
  // lspci's is the PCI BAR size.
  return fromClinfo(controller, platform) ? vram : undefined;
}

/**
 * The controller's PCI address in any of si's forms: nvidia-smi's `pciBus` (merged in on every
 * platform), lspci's `busAddress` (`01:00.0`, or with a domain), clinfo's (AMD: the real address;
 * NVIDIA: a mis-decoded slot, see siClinfoNvidiaAddress). Windows and macOS give none.
 */
function controllerAddress(
  controller: Record<string, unknown>,
  vendor: GpuVendor,
  platform: string,
): string | undefined {
  const pciBus = typeof controller['pciBus'] === 'string' ? controller['pciBus'] : '';
  if (pciBus) return normalizePciAddress(pciBus);
  const busAddress = typeof controller['busAddress'] === 'string' ? controller['busAddress'] : '';
  if (vendor === 'nvidia' && fromClinfo(controller, platform))
    return siClinfoNvidiaAddress(busAddress);
  return normalizePciAddress(busAddress);
}

/**
 * Parses `si-graphics.json` (the `graphics()` result).
 * @param platform `process.platform` of the machine that recorded it; decides which VRAM to trust.
 */
export function parseSiGraphics(text: string, platform: string): ParseResult<GpuObservation[]> {
  const json = parseJsonSafely(text);
  if (!isRecord(json) || !Array.isArray(json['controllers']))
    return { ok: false, reason: 'no "controllers" list' };
  const value: GpuObservation[] = [];
  json['controllers'].filter(isRecord).forEach((controller, position) => {
    const model = typeof controller['model'] === 'string' ? controller['model'] : '';
    const nameFromSmi = typeof controller['name'] === 'string' ? controller['name'] : '';
    const vendor = vendorOf(String(controller['vendor'] ?? ''), model || nameFromSmi);
    if (!vendor) return;
    const pciBusId = controllerAddress(controller, vendor, platform);
    const vramMib = trustedVramMib(controller, platform);
    const freeMib = numberOr(controller['memoryFree']);
    value.push({
      source: 'systeminformation',
      vendor,
      toolIndex: position,
      name: nameFromSmi || model,
      ...(pciBusId ? { pciBusId } : {}),
      ...(vramMib !== undefined
        ? { memoryTotalBytes: vramMib * BYTES_PER_MIB, memoryConfidence: 'measured' as const }
        : {}),
      ...(freeMib !== undefined && vramMib !== undefined
        ? { memoryFreeBytes: freeMib * BYTES_PER_MIB }
        : {}),
    });
  });
  return { ok: true, value };
}

/**
 * Parses `si-cpu.json` (`cpu()`, whose `flags` is /proc/cpuinfo's list on Linux) and
 * `si-mem.json` (`mem()`, bytes) into the CPU/RAM observation.
 */
export function parseSiCpuMem(cpuText: string, memText: string): ParseResult<CpuObservation> {
  const cpu = parseJsonSafely(cpuText);
  const mem = parseJsonSafely(memText);
  if (!isRecord(cpu)) return { ok: false, reason: 'si-cpu.json is not a JSON object' };
  if (!isRecord(mem)) return { ok: false, reason: 'si-mem.json is not a JSON object' };
  const total = numberOr(mem['total']);
  if (total === undefined) return { ok: false, reason: 'si-mem.json has no total' };
  const cores = numberOr(cpu['physicalCores']) ?? numberOr(cpu['cores']) ?? 1;
  const name = [cpu['manufacturer'], cpu['brand']]
    .filter((part) => typeof part === 'string' && part)
    .join(' ');
  const flags =
    typeof cpu['flags'] === 'string' ? cpu['flags'].toLowerCase().split(/\s+/).filter(Boolean) : [];
  const available = numberOr(mem['available']);
  return {
    ok: true,
    value: {
      source: 'systeminformation',
      name: name || 'CPU',
      cores: Math.round(cores),
      flags,
      memoryTotalBytes: total,
      ...(available !== undefined ? { memoryAvailableBytes: available } : {}),
    },
  };
}
