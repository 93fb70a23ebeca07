import type { ServingBridgeRequest } from '../bridge';
import { DEVICE_CATALOG } from '../devices/catalog';
import type { DeviceSpec } from '../devices/types';
import { HeadroomError } from '../errors';
import type { ModelSpec } from '../models/types';
import { requireCatalogDevice } from '../plan/lookups';
import type { ServingRequest } from './serving-plan';

/**
 * A serving plan's input from the ids every face speaks (`headroom serve-plan`'s flags, the
 * Serving view's bridge call): one setup when a GPU count is given with one device, else a
 * search over the devices named (every catalog GPU when none).
 */

/** The GPUs a search tries when no device is named: every catalog accelerator but Apple's. */
function searchableGpus(): DeviceSpec[] {
  return DEVICE_CATALOG.filter((device) => device.vendor !== 'cpu' && device.vendor !== 'apple');
}

/**
 * @param request the ids and numbers of the plan
 * @param model the model, resolved by the face (catalog, file or opened model)
 * @param pricesUsdPerHour the user's prices per GPU-hour by device id
 * @throws HeadroomError BAD_ARGUMENT when a GPU count comes without exactly one device,
 *   UNKNOWN_DEVICE for an id not in the catalog
 */
export function servingRequestOf(
  request: ServingBridgeRequest,
  model: ModelSpec,
  pricesUsdPerHour: Readonly<Record<string, number>>,
  headroomVersion: string,
): ServingRequest {
  if (request.gpus !== undefined && request.deviceIds.length !== 1) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'A GPU count sizes one setup: give exactly one device type with it.',
    );
  }
  const devices = request.deviceIds.map(requireCatalogDevice);
  return {
    model,
    engine: request.engine,
    shape: {
      promptTokens: request.promptTokens,
      outputTokens: request.outputTokens,
      ...(request.promptTokensP90 !== undefined
        ? { promptTokensP90: request.promptTokensP90 }
        : {}),
      ...(request.outputTokensP90 !== undefined
        ? { outputTokensP90: request.outputTokensP90 }
        : {}),
    },
    targets: { ttftSeconds: request.ttftSeconds, tpotSeconds: request.tpotSeconds },
    ...(request.requestsPerSecond !== undefined
      ? { requestsPerSecond: request.requestsPerSecond }
      : {}),
    ...(request.maxModelLen !== undefined ? { maxModelLen: request.maxModelLen } : {}),
    ...(request.weightsFormat ? { weightsFormat: request.weightsFormat } : {}),
    ...(request.kvFormat ? { kvFormat: request.kvFormat } : {}),
    ...(request.gpus !== undefined
      ? { setup: { device: devices[0]!, tensorParallel: request.gpus } }
      : { candidates: devices.length > 0 ? devices : searchableGpus() }),
    maxGpus: request.maxGpus,
    pricesUsdPerHour,
    headroomVersion,
  };
}
