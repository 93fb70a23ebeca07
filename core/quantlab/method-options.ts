/**
 * From the choices a person makes (method, bits, block size, … in the UI or as CLI flags) to a
 * validated method spec, with a message naming the setting when they do not fit (in words: each
 * face says how to set it, core/setting-names.ts).
 */
import { HeadroomError } from '../errors';
import { SETTING_NAMES, type SettingName } from '../setting-names';
import {
  BNB_4BIT_DEFAULT_BLOCK,
  CLI_METHOD_NAMES,
  DEFAULT_BLOCKWISE_SIZE,
  LLM_INT8_DEFAULT_THRESHOLD,
  MIN_BLOCK_SIZE,
  ggmlTypeOf,
  validateMethod,
  type CliMethodName,
  type Granularity,
  type LinearBits,
  type QuantMethodSpec,
} from './methods';

/** The per-channel axes of absmax and zero-point. */
export const CHANNEL_AXES = ['row', 'column'] as const;
export type ChannelAxis = (typeof CHANNEL_AXES)[number];

export interface MethodOptions {
  readonly method: CliMethodName;
  readonly bits?: number;
  readonly block?: number;
  /** Per-channel scales (absmax, zeropoint): one per row or per column. */
  readonly per?: ChannelAxis;
  readonly threshold?: number;
  readonly doubleQuant?: boolean;
}

function bad(message: string): never {
  throw new HeadroomError('BAD_ARGUMENT', message);
}

function fixedBits(method: CliMethodName, bits: number | undefined, only: number): void {
  if (bits !== undefined && bits !== only)
    bad(`${method} is ${only}-bit only: leave ${SETTING_NAMES.quantBits} unset (${bits} given).`);
}

/** The setting each option is, for messages. */
const OPTION_SETTINGS: Readonly<Record<Exclude<keyof MethodOptions, 'method'>, SettingName>> = {
  bits: 'quantBits',
  block: 'quantBlock',
  per: 'quantAxis',
  threshold: 'quantThreshold',
  doubleQuant: 'quantDoubleQuant',
};

function refuse(
  method: CliMethodName,
  options: MethodOptions,
  inapplicable: readonly Exclude<keyof MethodOptions, 'method'>[],
): void {
  for (const option of inapplicable) {
    const value = options[option];
    if (value !== undefined && value !== false) {
      bad(
        `For ${method}, ${SETTING_NAMES[OPTION_SETTINGS[option]]} does not apply: leave it unset.`,
      );
    }
  }
}

/**
 * The spec the options describe.
 * @param minBlockSize smallest block accepted (MIN_IN_MEMORY_BLOCK_SIZE for values in memory)
 * @example methodFromOptions({ method: 'blockwise', bits: 4 }) // absmax int4, blocks of 64
 */
export function methodFromOptions(
  options: MethodOptions,
  minBlockSize: number = MIN_BLOCK_SIZE,
): QuantMethodSpec {
  const { method } = options;
  if (!(CLI_METHOD_NAMES as readonly string[]).includes(method)) {
    throw new HeadroomError(
      'UNKNOWN_METHOD',
      `"${method}" is not a quantization method Headroom knows: set ${SETTING_NAMES.quantMethod} to one of ${CLI_METHOD_NAMES.join(', ')}.`,
    );
  }
  switch (method) {
    case 'absmax':
    case 'zeropoint':
    case 'blockwise': {
      refuse(method, options, ['threshold', 'doubleQuant']);
      const bits = (options.bits ?? 8) as LinearBits;
      if (options.block !== undefined && options.per !== undefined)
        bad(`Set ${SETTING_NAMES.quantBlock} or ${SETTING_NAMES.quantAxis}, not both.`);
      if (method === 'blockwise' && options.per !== undefined)
        bad(
          `blockwise scales per block: set ${SETTING_NAMES.quantBlock}, not ${SETTING_NAMES.quantAxis}.`,
        );
      const granularity: Granularity =
        method === 'blockwise' || options.block !== undefined
          ? { kind: 'block', blockSize: options.block ?? DEFAULT_BLOCKWISE_SIZE }
          : options.per
            ? { kind: options.per }
            : { kind: 'tensor' };
      return validateMethod(
        {
          method: method === 'zeropoint' ? 'zeropoint' : 'absmax',
          bits,
          granularity,
        },
        minBlockSize,
      );
    }
    case 'llm.int8':
      fixedBits(method, options.bits, 8);
      refuse(method, options, ['block', 'per', 'doubleQuant']);
      return validateMethod({ method, threshold: options.threshold ?? LLM_INT8_DEFAULT_THRESHOLD });
    case 'nf4':
    case 'fp4':
      fixedBits(method, options.bits, 4);
      refuse(method, options, ['per', 'threshold']);
      return validateMethod(
        {
          method,
          blockSize: options.block ?? BNB_4BIT_DEFAULT_BLOCK,
          doubleQuant: options.doubleQuant ?? false,
        },
        minBlockSize,
      );
    default: {
      const type = ggmlTypeOf(method);
      fixedBits(method, options.bits, method === 'q8_0' ? 8 : 4);
      refuse(method, options, ['per', 'threshold', 'doubleQuant']);
      if (options.block !== undefined && options.block !== type.weightsPerBlock) {
        bad(
          `${method} has blocks of ${type.weightsPerBlock} (ggml-common.h): leave ${SETTING_NAMES.quantBlock} unset (${options.block} given).`,
        );
      }
      return { method };
    }
  }
}
