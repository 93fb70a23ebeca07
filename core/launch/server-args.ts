/**
 * What the PyTorch serving engines' launch settings share (vLLM's `vllm serve`, SGLang's
 * `python -m sglang.launch_server`): a model served by name on GPUs, the weights as `--dtype`
 * or `--quantization`, the KV cache as `--kv-cache-dtype`.
 */
import type { DeviceSpec } from '../devices/types';
import { HeadroomError } from '../errors';
import type { InferencePlan } from '../plan/types';
import { SETTING_NAMES } from '../setting-names';
import type { ShellOption } from '../shell';
import { onAccelerators, planDeviceSpecs } from './common';
import type { LaunchInput } from './types';

/**
 * `--dtype` for plain float weights: both engines take auto, half, float16, bfloat16, float and
 * float32 (vLLM ModelDType, SGLang server_args.py --dtype).
 */
const SERVER_DTYPES: Readonly<Record<string, string>> = {
  fp32: 'float32',
  fp16: 'float16',
  bf16: 'bfloat16',
};

/** An engine's quantization method for a weights format, and whether it quantizes on load. */
export interface QuantizationMethod {
  readonly method: string;
  /** True: quantizes a 16-bit checkpoint while loading; false: reads an exported checkpoint. */
  readonly onTheFly: boolean;
}

/** An engine's names for what the shared arguments say. */
export interface ServerVocabulary {
  readonly label: string;
  /** `--quantization` per weights format. */
  readonly quantization: Readonly<Record<string, QuantizationMethod>>;
  /** `--kv-cache-dtype` per KV format; null where the model's dtype (`auto`) is meant. */
  readonly kvCacheDtypes: Readonly<Record<string, string | null>>;
  /** Formats to name when the plan's weights have no method. */
  readonly formatsHint: string;
}

/**
 * The plan's GPUs, checked: the engine serves a named model on accelerators.
 * @throws HeadroomError BAD_ARGUMENT for a bare parameter count or a plan on a CPU
 */
export function servingGpus(input: LaunchInput, plan: InferencePlan, label: string): DeviceSpec[] {
  if (plan.model.source === 'params') {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${label} serves a model by name: choose a catalog model (its Hugging Face id) instead of ${SETTING_NAMES.params}.`,
    );
  }
  const devices = planDeviceSpecs(input);
  if (!onAccelerators(devices)) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `These ${label} settings are for GPUs; the plan runs on a CPU (or no device).`,
    );
  }
  return devices;
}

/**
 * The weights and KV-cache options, and the comments a person needs beside them (an exported
 * checkpoint to serve in place of the model's own).
 * @throws HeadroomError BAD_ARGUMENT for a weights or KV format the engine has no name for
 */
export function dtypeOptions(
  plan: InferencePlan,
  engine: ServerVocabulary,
): { options: ShellOption[]; comments: string[] } {
  const s = plan.scenario;
  const options: ShellOption[] = [];
  const comments: string[] = [];
  const dtype = SERVER_DTYPES[s.weightsFormat];
  const quantization = engine.quantization[s.weightsFormat];
  if (dtype) options.push(['--dtype', dtype]);
  else if (quantization) {
    options.push(['--quantization', quantization.method]);
    if (!quantization.onTheFly) {
      comments.push(
        `--quantization ${quantization.method} loads a checkpoint already in ${s.weightsFormat}: serve such an export of ${plan.model.id} in its place.`,
      );
    }
  } else {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${engine.label} has no quantization method for ${s.weightsFormat} weights: plan with --weights ${engine.formatsHint} or another format ${engine.label} loads.`,
    );
  }
  const kv = engine.kvCacheDtypes[s.kvFormat];
  if (kv === undefined) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${engine.label} keeps the KV cache in the model's dtype or in fp8 (--kv-cache-dtype fp8_e4m3 | fp8_e5m2), not ${s.kvFormat}.`,
    );
  }
  if (kv) options.push(['--kv-cache-dtype', kv]);
  return { options, comments };
}

/** The note for a tensor-parallel plan over more than one kind of GPU. */
export function mixedGpuNotes(devices: readonly DeviceSpec[], label: string): string[] {
  return new Set(devices.map((device) => device.id)).size > 1
    ? [`${label} tensor parallelism expects identical GPUs; the plan mixes device kinds.`]
    : [];
}
