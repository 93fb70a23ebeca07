/**
 * From the flags a person gives (`--method blockwise --bits 4 --block 128`, or the same choices
 * in the UI) to a validated method spec, with a message naming the flag when they do not fit.
 */
import { HeadroomError } from '../errors';
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
    bad(`--method ${method} is ${only}-bit; drop --bits ${bits}.`);
}

function refuse(
  method: CliMethodName,
  options: MethodOptions,
  flags: readonly (keyof MethodOptions)[],
): void {
  for (const flag of flags) {
    const value = options[flag];
    if (value !== undefined && value !== false) {
      const name = flag === 'doubleQuant' ? 'double-quant' : flag;
      bad(`--${name} does not apply to --method ${method}.`);
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
      `Unknown --method "${method}"; use one of ${CLI_METHOD_NAMES.join(', ')}.`,
    );
  }
  switch (method) {
    case 'absmax':
    case 'zeropoint':
    case 'blockwise': {
      refuse(method, options, ['threshold', 'doubleQuant']);
      const bits = (options.bits ?? 8) as LinearBits;
      if (options.block !== undefined && options.per !== undefined)
        bad('Give --block or --per, not both.');
      if (method === 'blockwise' && options.per !== undefined)
        bad('--method blockwise takes --block, not --per.');
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
          `--method ${method} has blocks of ${type.weightsPerBlock} (ggml-common.h); drop --block ${options.block}.`,
        );
      }
      return { method };
    }
  }
}
