import { DEVICE_CATALOG, findDevice } from '../devices/catalog';
import { customDeviceSpec, type CustomDeviceRequest } from '../devices/custom-device';
import type { DeviceSpec } from '../devices/types';
import { FORMAT_IDS, getFormat } from '../formats/catalog';
import type { NumericFormat } from '../formats/types';
import { HeadroomError } from '../errors';
import { findModel, MODEL_IDS, paramsOnlyModel } from '../models/catalog';
import type { ModelSpec } from '../models/types';
import { SETTING_NAMES } from '../setting-names';
import { didYouMean } from '../suggest';

/** A weights format by id, or an error that names the nearest valid ids. */
export function requireFormat(id: string): NumericFormat {
  const format = getFormat(id);
  if (!format) {
    throw new HeadroomError(
      'UNKNOWN_FORMAT',
      `Unknown format "${id}". ${didYouMean(id, FORMAT_IDS)}`.trim(),
    );
  }
  return format;
}

/** A KV-cache format by id: it must exist and be usable for the cache. */
export function requireKvFormat(id: string): NumericFormat {
  const format = requireFormat(id);
  if (!format.kvCapable) {
    const kvIds = FORMAT_IDS.filter((candidate) => getFormat(candidate)?.kvCapable);
    throw new HeadroomError(
      'UNKNOWN_FORMAT',
      `"${id}" cannot hold a KV cache. KV-cache formats: ${kvIds.join(', ')}.`,
    );
  }
  return format;
}

/** A catalog model by Hugging Face id, or an error naming the nearest ids. */
export function requireCatalogModel(id: string): ModelSpec {
  const model = findModel(id);
  if (!model) {
    const ids = MODEL_IDS;
    throw new HeadroomError(
      'UNKNOWN_MODEL',
      `Unknown model "${id}". ${didYouMean(id, ids)} (the model catalog lists them; ${SETTING_NAMES.params} such as 7B plans without an architecture.)`,
    );
  }
  return model;
}

/** A catalog device by id, or an error naming the nearest ids. */
export function requireCatalogDevice(id: string): DeviceSpec {
  const device = findDevice(id);
  if (!device) {
    const ids = DEVICE_CATALOG.map((entry) => entry.id);
    throw new HeadroomError(
      'UNKNOWN_DEVICE',
      `Unknown device "${id}". ${didYouMean(id, ids)} (headroom devices lists them.)`,
    );
  }
  return device;
}

/** Turns a device id into a device: the catalog by default, detected devices where the caller knows them. */
export type DeviceResolver = (id: string) => DeviceSpec;

/** The ids of a plan request (CLI flags or a bridge call): a model or a parameter count, and devices. */
interface PlanTargetIds {
  readonly modelId?: string;
  readonly params?: number;
  /** A model already imported (a config.json, safetensors or GGUF the user pointed at). */
  readonly model?: ModelSpec;
  readonly deviceIds: readonly string[];
  /** Devices the user described by hand, planned after the ones named by id. */
  readonly customDevices?: readonly CustomDeviceRequest[];
}

/** Resolves a request's model and device ids, with the errors every face gives. */
export function resolvePlanTargets(
  request: PlanTargetIds,
  resolveDevice: DeviceResolver = requireCatalogDevice,
): { readonly model: ModelSpec; readonly devices: readonly DeviceSpec[] } {
  const given = [request.modelId, request.params, request.model].filter(
    (value) => value !== undefined,
  );
  if (given.length !== 1) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'Give exactly one of a model id, a model file or a parameter count.',
    );
  }
  const model =
    request.model ??
    (request.modelId !== undefined
      ? requireCatalogModel(request.modelId)
      : paramsOnlyModel(request.params!));
  const custom = (request.customDevices ?? []).map(customDeviceSpec);
  return { model, devices: [...request.deviceIds.map(resolveDevice), ...custom] };
}
