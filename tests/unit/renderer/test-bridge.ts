import type { HeadroomBridge } from '../../../core/bridge';
import type { Envelope } from '../../../core/errors';
import { createBridgeService, dispatchBridgeCall } from '../../../electron/services/bridge-service';
import { createLocalDevices } from '../../../electron/services/local-devices';
import { createMemorySettings, type SettingsStore } from '../../../electron/services/settings';
import { unwrapBridge } from '../../../renderer/bridge/unwrap';

/**
 * This build machine's own detection recording (tests/fixtures/detect/README.md): a 2-core
 * x86-64 VM with no GPU, so detection reports "none-found" and the CPU with its RAM.
 */
export const CPU_ONLY_RECORDING = 'tests/fixtures/detect/linux-x86_64-2core-cpu-only';

/** What crossing a process boundary does to a value: JSON, as HTTP and IPC carry it. */
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The renderer's bridge wired to the real Node-side service through the same seams the app
 * uses (no mocks): the renderer's unwrapBridge, a JSON round trip of the arguments, the
 * service's dispatch (argument schemas, envelopes, errors as data) and a JSON round trip of
 * the answer, as browser mode's HTTP server does (electron/services/browser-server.ts). Detection replays a
 * recording instead of probing this machine; settings are kept in memory so tests never touch
 * the user's config folder.
 */
export function testBridge(
  options: { recording?: string; settings?: SettingsStore; measureDir?: string } = {},
): HeadroomBridge {
  const service = createBridgeService('browser', {
    localDevices: createLocalDevices({
      HEADROOM_DETECT_REPLAY: options.recording ?? CPU_ONLY_RECORDING,
    }),
    settings: options.settings ?? createMemorySettings(),
    ...(options.measureDir ? { measureDir: options.measureDir } : {}),
  });
  return unwrapBridge(async (method, args): Promise<Envelope<unknown>> =>
    overTheWire(await dispatchBridgeCall(service, method, overTheWire(args))),
  );
}
