import { z } from 'zod';
import {
  MAX_CUSTOM_DEVICE_NAME_LENGTH,
  type CustomDeviceRequest,
} from '../../core/devices/custom-device';

/**
 * A user-defined device as plan requests and saved settings carry it: a name and three
 * positive datasheet numbers (core/devices/custom-device.ts), each bounded far above any real
 * device (a petabyte, a petabyte per second, an exa-op per second).
 */
export const customDeviceSchema = z
  .object({
    name: z.string().min(1).max(MAX_CUSTOM_DEVICE_NAME_LENGTH),
    memoryBytes: z.number().positive().max(1e15),
    bandwidthBytesPerSecond: z.number().positive().max(1e15),
    peak16BitOpsPerSecond: z.number().positive().max(1e18),
  })
  .strict()
  .readonly() satisfies z.ZodType<CustomDeviceRequest>;
