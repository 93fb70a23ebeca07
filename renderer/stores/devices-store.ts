import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SavedDeviceGroup } from '../../core/bridge';
import type { CustomDeviceRequest } from '../../core/devices/custom-device';
import type { DeviceSpec } from '../../core/devices/types';
import { useCatalogStore } from './catalog-store';
import { useDetectionStore, type DetectedKind } from './detection-store';

/** The device set of the first screen until detection answers (issue 8): one RTX 4090. */
const DEFAULT_DEVICE_ID = 'nvidia-rtx-4090';

/** Most devices of one kind in a group (a large node; the planner searches up to 512). */
export const MAX_GROUP_COUNT = 64;

/** Catalog search results shown at once; the list scrolls past that. */
const DEVICE_SEARCH_LIMIT = 60;

/**
 * Where a device comes from: the catalog, this machine (the detected devices of one name,
 * named by their `local:N` ids), or numbers the user typed in.
 */
type DeviceRef =
  | { readonly source: 'catalog'; readonly id: string }
  | { readonly source: 'detected'; readonly name: string; readonly ids: readonly string[] }
  | { readonly source: 'custom'; readonly spec: CustomDeviceRequest };

/** N devices of one kind planned together (tensor parallel or layer split, as the engine does). */
export interface DeviceGroup {
  /** Stable key for lists and for opening a group's plan from another view. */
  readonly key: string;
  readonly device: DeviceRef;
  readonly count: number;
}

function refKey(device: DeviceRef): string {
  switch (device.source) {
    case 'catalog':
      return `catalog:${device.id}`;
    case 'detected':
      return `detected:${device.name}`;
    case 'custom':
      return `custom:${device.spec.name}:${device.spec.memoryBytes}:${device.spec.bandwidthBytesPerSecond}:${device.spec.peak16BitOpsPerSecond}`;
  }
}

function groupOf(device: DeviceRef, count: number): DeviceGroup {
  return { key: refKey(device), device, count };
}

/** The most of a device a group may hold: as many as were detected, else MAX_GROUP_COUNT. */
function maxCount(device: DeviceRef): number {
  return device.source === 'detected' ? device.ids.length : MAX_GROUP_COUNT;
}

/** How the settings remember a group. */
export function savedGroupOf(group: DeviceGroup): SavedDeviceGroup {
  const { device, count } = group;
  switch (device.source) {
    case 'catalog':
      return { source: 'catalog', id: device.id, count };
    case 'detected':
      return { source: 'detected', name: device.name, count };
    case 'custom':
      return { source: 'custom', spec: device.spec, count };
  }
}

/**
 * What happens when detection answers: nothing (the user chose devices), every detected GPU
 * replaces the first screen's default, or the detected devices the settings remember return.
 */
type DetectedWish =
  | { readonly kind: 'none' }
  | { readonly kind: 'all-gpus' }
  | { readonly kind: 'saved'; readonly saved: readonly SavedDeviceGroup[]; readonly keep: boolean };

/** The device groups being compared, and the catalog search that adds to them. */
export const useDevicesStore = defineStore('devices', () => {
  const catalog = useCatalogStore();
  const detection = useDetectionStore();
  const groups = ref<DeviceGroup[]>([groupOf({ source: 'catalog', id: DEFAULT_DEVICE_ID }, 1)]);
  const query = ref('');
  /** The user has changed the devices: detection no longer replaces them. */
  const touched = ref(false);
  let wish: DetectedWish = { kind: 'all-gpus' };

  const matches = computed<readonly DeviceSpec[]>(() => {
    const words = query.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    return catalog.devices
      .filter((device) => {
        const haystack = `${device.id} ${device.name} ${device.vendor}`.toLowerCase();
        return words.every((word) => haystack.includes(word));
      })
      .slice(0, DEVICE_SEARCH_LIMIT);
  });

  /** A group's memory per device (bytes), for its chip; null when the spec is not at hand. */
  function deviceMemoryBytes(device: DeviceRef): number | null {
    switch (device.source) {
      case 'catalog':
        return catalog.device(device.id)?.memoryBytes ?? null;
      case 'detected':
        return detection.device(device.ids[0] ?? '')?.memoryBytes ?? null;
      case 'custom':
        return device.spec.memoryBytes;
    }
  }

  /** The name a group shows: the catalog's, the detected device's, or the one the user typed. */
  function deviceName(device: DeviceRef): string {
    switch (device.source) {
      case 'catalog':
        return catalog.device(device.id)?.name ?? device.id;
      case 'detected':
        return device.name;
      case 'custom':
        return device.spec.name;
    }
  }

  function groupLabel(group: DeviceGroup): string {
    const name = deviceName(group.device);
    return group.count === 1 ? name : `${group.count} × ${name}`;
  }

  /** Adds a device as a new group of `count`, or one more of it if it is already chosen. */
  function add(device: DeviceRef, count = 1): void {
    const key = refKey(device);
    const existing = groups.value.find((group) => group.key === key);
    if (existing) {
      setCount(key, existing.count + 1);
      return;
    }
    touched.value = true;
    groups.value = [...groups.value, groupOf(device, count)];
  }

  function addCatalog(id: string): void {
    add({ source: 'catalog', id });
  }

  function addCustom(spec: CustomDeviceRequest): void {
    add({ source: 'custom', spec });
  }

  /** Adds every detected device of one name as a group (one more when already chosen). */
  function addDetected(kind: DetectedKind): void {
    add({ source: 'detected', name: kind.name, ids: kind.ids }, kind.ids.length);
  }

  /** Sets how many of a group's device are planned together (1 to its maximum). */
  function setCount(key: string, count: number): void {
    const group = groups.value.find((entry) => entry.key === key);
    if (!group || !Number.isInteger(count) || count < 1 || count > maxCount(group.device)) return;
    touched.value = true;
    groups.value = groups.value.map((entry) => (entry.key === key ? { ...entry, count } : entry));
  }

  function remove(key: string): void {
    touched.value = true;
    groups.value = groups.value.filter((group) => group.key !== key);
  }

  function group(key: string): DeviceGroup | undefined {
    return groups.value.find((entry) => entry.key === key);
  }

  /**
   * The first screen's devices from the settings: catalog and custom groups at once, detected
   * ones when detection answers (their ids belong to it). Without saved devices, or with only
   * detected ones, the catalog default shows until then.
   */
  function restore(saved: readonly SavedDeviceGroup[] | null): void {
    if (saved === null || saved.length === 0) {
      wish = { kind: 'all-gpus' };
      return;
    }
    const now = saved.flatMap((entry): DeviceGroup[] => {
      if (entry.source === 'catalog')
        return catalog.device(entry.id)
          ? [groupOf({ source: 'catalog', id: entry.id }, entry.count)]
          : [];
      if (entry.source === 'custom')
        return [groupOf({ source: 'custom', spec: entry.spec }, entry.count)];
      return [];
    });
    const detected = saved.filter((entry) => entry.source === 'detected');
    if (now.length > 0) groups.value = now;
    wish =
      detected.length > 0
        ? { kind: 'saved', saved: detected, keep: now.length > 0 }
        : { kind: 'none' };
  }

  /**
   * Detection answered: unless the user has chosen devices since, the detected GPUs take the
   * place of the catalog default (or the remembered detected devices come back, first).
   */
  function offerDetected(kinds: readonly DetectedKind[]): void {
    const current = wish;
    wish = { kind: 'none' };
    if (touched.value || current.kind === 'none') return;
    if (current.kind === 'all-gpus') {
      if (kinds.length > 0) {
        groups.value = kinds.map((kind) =>
          groupOf({ source: 'detected', name: kind.name, ids: kind.ids }, kind.ids.length),
        );
      }
      return;
    }
    const back = current.saved.flatMap((entry): DeviceGroup[] => {
      const kind =
        entry.source === 'detected' ? kinds.find((k) => k.name === entry.name) : undefined;
      if (!kind) return [];
      const count = Math.min(entry.count, kind.ids.length);
      return [groupOf({ source: 'detected', name: kind.name, ids: kind.ids }, count)];
    });
    if (back.length > 0) groups.value = [...back, ...(current.keep ? groups.value : [])];
  }

  return {
    groups,
    query,
    touched,
    matches,
    deviceName,
    groupLabel,
    deviceMemoryBytes,
    add,
    addCatalog,
    addCustom,
    addDetected,
    setCount,
    remove,
    group,
    restore,
    offerDetected,
  };
});
