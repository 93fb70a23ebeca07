import type { DeviceSpec } from '../../core/devices/types';
import { HeadroomError } from '../../core/errors';
import { requireCatalogDevice, type DeviceResolver } from '../../core/plan/lookups';
import { createDetector, replayDump, type DetectResult } from './detect';

/** Set to a `headroom detect --dump` folder to plan on a recorded machine instead of this one. */
export const DETECT_REPLAY_ENV = 'HEADROOM_DETECT_REPLAY';

/** This machine's devices, detected once (or replayed from a recording) and refreshed on demand. */
export interface LocalDevices {
  detect(): Promise<DetectResult>;
  /** Re-reads free memory; a recording stays as recorded. */
  refresh(): Promise<DetectResult>;
}

/** The local device source for a face: a recording where HEADROOM_DETECT_REPLAY names one. */
export function createLocalDevices(env: NodeJS.ProcessEnv = process.env): LocalDevices {
  const replay = env[DETECT_REPLAY_ENV];
  if (replay) {
    let recorded: Promise<DetectResult> | undefined;
    const detect = (): Promise<DetectResult> => (recorded ??= replayDump(replay));
    return { detect, refresh: detect };
  }
  const detector = createDetector();
  return { detect: () => detector.detect(), refresh: () => detector.refresh() };
}

/** What `--device local` means: every detected GPU, or the CPU and its RAM where there is none. */
function defaultLocalIds(detection: DetectResult): string[] {
  const gpus = detection.devices.filter((device) => device.vendor !== 'cpu');
  const cpu = detection.devices.find((device) => device.vendor === 'cpu');
  const ids = (gpus.length > 0 ? gpus : cpu ? [cpu] : []).map((device) => device.id);
  if (ids.length === 0) {
    throw new HeadroomError(
      'DETECTION_FAILED',
      `Could not detect any device here: ${detection.gpuVerdict.message}`,
    );
  }
  return ids;
}

/** `local:N` → the detected device; anything else → the catalog. */
export function localDeviceResolver(detection: DetectResult): DeviceResolver {
  const byId = new Map<string, DeviceSpec>(detection.devices.map((device) => [device.id, device]));
  return (id) => {
    if (!id.startsWith('local:')) return requireCatalogDevice(id);
    const device = byId.get(id);
    if (!device) {
      const known = detection.devices.map((d) => `${d.id} (${d.name})`).join(', ');
      throw new HeadroomError(
        'UNKNOWN_DEVICE',
        `No detected device "${id}". Detected here: ${known || 'nothing'}.`,
      );
    }
    return device;
  };
}

/** Expands `local` into the detected ids and resolves `local:N` ids, detecting only when asked. */
export async function resolveLocalIds(
  ids: readonly string[],
  local: LocalDevices,
): Promise<{ readonly ids: readonly string[]; readonly resolve?: DeviceResolver }> {
  if (!ids.some((id) => id === 'local' || id.startsWith('local:'))) return { ids };
  const detection = await local.detect();
  return {
    ids: ids.flatMap((id) => (id === 'local' ? defaultLocalIds(detection) : [id])),
    resolve: localDeviceResolver(detection),
  };
}
