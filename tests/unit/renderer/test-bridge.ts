import type { HeadroomBridge } from '../../../core/bridge';
import { createBridgeService } from '../../../electron/services/bridge-service';
import { createLocalDevices } from '../../../electron/services/local-devices';
import { createMemorySettings, type SettingsStore } from '../../../electron/services/settings';

/**
 * This build machine's own detection recording (tests/fixtures/detect/README.md): a 2-core
 * x86-64 VM with no GPU, so detection reports "none-found" and the CPU with its RAM.
 */
export const CPU_ONLY_RECORDING = 'tests/fixtures/detect/linux-x86_64-2core-cpu-only';

/**
 * The real Node-side bridge service, called in-process (no IPC, HTTP or mocks), replaying a
 * detection recording instead of probing this machine, with settings kept in memory so tests
 * never touch the user's config folder.
 */
export function testBridge(
  options: { recording?: string; settings?: SettingsStore; measureDir?: string } = {},
): HeadroomBridge {
  return createBridgeService('browser', {
    localDevices: createLocalDevices({
      HEADROOM_DETECT_REPLAY: options.recording ?? CPU_ONLY_RECORDING,
    }),
    settings: options.settings ?? createMemorySettings(),
    ...(options.measureDir ? { measureDir: options.measureDir } : {}),
  });
}
