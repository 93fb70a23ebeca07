import { HeadroomError } from '../errors';
import type { DtypeSupportTable } from './dtypes';
import type { DeviceSpec } from './types';

/**
 * A device the user describes by hand (a card missing from the catalog, a modded card with
 * more memory, a GPU not bought yet): the numbers of its datasheet that a plan needs.
 */
export interface CustomDeviceRequest {
  readonly name: string;
  /** Memory the device offers to a model, bytes. */
  readonly memoryBytes: number;
  /** Peak memory bandwidth, bytes per second (decode speed follows it). */
  readonly bandwidthBytesPerSecond: number;
  /**
   * Dense (no sparsity) peak FP16/BF16 matrix throughput, operations per second (prefill
   * speed follows it). Datasheets print it as "FP16 Tensor TFLOPS" (dense, not the
   * "with sparsity" figure, which is twice as large).
   */
  readonly peak16BitOpsPerSecond: number;
}

/** Longest device name accepted (a display label, not a document). */
export const MAX_CUSTOM_DEVICE_NAME_LENGTH = 100;

/** Prefix of the ids of user-defined devices (`custom:1`, `custom:2` …), beside detected `local:N`. */
const CUSTOM_DEVICE_ID_PREFIX = 'custom:';

/**
 * What a device described only by its datasheet numbers computes in: 16-bit floats natively
 * (every GPU sold for LLM work since NVIDIA Volta / AMD CDNA has FP16 matrix units) and fp32;
 * the narrow types are counted as converted to 16 bits, so speed uses the 16-bit peak.
 */
const CUSTOM_DEVICE_DTYPES: DtypeSupportTable = {
  fp32: 'native',
  tf32: 'emulated',
  fp16: 'native',
  bf16: 'native',
  fp8: 'emulated',
  fp4: 'emulated',
  int8: 'emulated',
  int4: 'emulated',
};

function requirePositive(value: number, what: string, name: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `The ${what} of custom device "${name}" must be a positive number (got ${value}).`,
    );
  }
}

/**
 * Turns a user-defined device into a DeviceSpec with source kind `custom`.
 *
 * A user-defined device has no calibration run of its own: it is treated as a CUDA-class GPU,
 * so plans take the CUDA efficiencies (core/perf/efficiency.ts), as they do for ROCm and Intel
 * devices, and the plan's assumptions name it "user-defined device".
 * @param request the datasheet numbers the user typed
 * @param index its position among the request's custom devices (0-based), for a stable id
 * @returns the device, id `custom:<index + 1>`
 * @throws HeadroomError BAD_ARGUMENT for an empty name or a number that is not positive
 * @example customDeviceSpec({ name: 'RTX 4090 48GB', memoryBytes: 48 * 2 ** 30, bandwidthBytesPerSecond: 1008e9, peak16BitOpsPerSecond: 165.2e12 }, 0).id // 'custom:1'
 */
export function customDeviceSpec(request: CustomDeviceRequest, index: number): DeviceSpec {
  const name = request.name.trim();
  if (name.length === 0 || name.length > MAX_CUSTOM_DEVICE_NAME_LENGTH) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `A custom device needs a name of 1 to ${MAX_CUSTOM_DEVICE_NAME_LENGTH} characters.`,
    );
  }
  requirePositive(request.memoryBytes, 'memory', name);
  requirePositive(request.bandwidthBytesPerSecond, 'bandwidth', name);
  requirePositive(request.peak16BitOpsPerSecond, 'peak FP16 throughput', name);
  return {
    id: `${CUSTOM_DEVICE_ID_PREFIX}${index + 1}`,
    vendor: 'nvidia',
    name,
    memoryBytes: request.memoryBytes,
    bandwidthBytesPerSecond: request.bandwidthBytesPerSecond,
    peakOpsPerSecond: { fp16: request.peak16BitOpsPerSecond, bf16: request.peak16BitOpsPerSecond },
    architecture: { kind: 'cuda', computeCapability: 'unknown', name: 'user-defined' },
    dtypes: CUSTOM_DEVICE_DTYPES,
    unifiedMemory: false,
    source: { kind: 'custom' },
  };
}
