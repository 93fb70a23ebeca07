import { numberOf, type LogLine } from './log-lines';

/**
 * What an SGLang run was started with, as its log states it: the launch command
 * (`python -m sglang.launch_server --model-path … --tp 8 --mem-fraction-static 0.83`, or
 * `sglang serve …`; flag names of python/sglang/srt/server_args.py) and the
 * `server_args=ServerArgs(model_path='…', …, tp_size=8, …)` line SGLang logs as it starts.
 */

/** The settings one source states (each field only when the source gives it). */
export interface SglangArgs {
  model?: string;
  contextTokens?: number;
  tensorParallel?: number;
  memFractionStatic?: number;
  weightsFormat?: string;
  kvFormat?: string;
  /** A quantization Headroom has no format id for: a note names it. */
  unknownQuantization?: string;
}

/** `--kv-cache-dtype` choices (server_args.py) as Headroom format ids; `auto` follows the model. */
const KV_CACHE_DTYPES: Readonly<Record<string, string>> = {
  fp8_e4m3: 'fp8_e4m3',
  fp8_e5m2: 'fp8_e5m2',
  bf16: 'bf16',
  bfloat16: 'bf16',
};

/**
 * SGLang `--quantization` methods with a Headroom format id: `fp8` stores torch.float8_e4m3fn
 * (newer logs print it as "quant=fp8, fmt=e4m3"). The weights' format is read from a named
 * quantization only: `--dtype` and the "dtype=torch.bfloat16" of older "Load weight end" lines
 * are the activations' type, which a checkpoint quantized in its config.json does not change.
 */
export const SGLANG_QUANTIZATIONS: Readonly<Record<string, string>> = { fp8: 'fp8_e4m3' };

interface RawArgs {
  readonly model?: string;
  readonly tensorParallel?: string;
  readonly memFractionStatic?: string;
  readonly contextTokens?: string;
  readonly kvCacheDtype?: string;
  readonly quantization?: string;
}

function argsOf(raw: RawArgs): SglangArgs {
  const args: SglangArgs = {};
  if (raw.model) args.model = raw.model;
  const tp = numberOf(raw.tensorParallel ?? '');
  if (tp !== null) args.tensorParallel = tp;
  const fraction = numberOf(raw.memFractionStatic ?? '');
  if (fraction !== null) args.memFractionStatic = fraction;
  const context = numberOf(raw.contextTokens ?? '');
  if (context !== null) args.contextTokens = context;
  const kv = KV_CACHE_DTYPES[raw.kvCacheDtype ?? ''];
  if (kv) args.kvFormat = kv;
  const quantization = raw.quantization;
  if (quantization && SGLANG_QUANTIZATIONS[quantization]) {
    args.weightsFormat = SGLANG_QUANTIZATIONS[quantization];
  } else if (quantization) {
    args.unknownQuantization = quantization;
  }
  return args;
}

/** `python -m sglang.launch_server …` or `sglang serve …` (a shell prompt may precede it). */
export const LAUNCH_COMMAND = /\bsglang(?:\.launch_server| serve)\b/;

/** A line the shell continues on the next one. */
const CONTINUED = /\\\s*$/;

/**
 * The settings of a launch command, read from its line and the lines it continues onto with `\`.
 *
 * @param lines the log's lines
 * @param index where the command starts
 * @example launchCommandArgs([{ number: 1, text: 'python -m sglang.launch_server --tp 4' }], 0).tensorParallel // 4
 */
export function launchCommandArgs(lines: readonly LogLine[], index: number): SglangArgs {
  const parts: string[] = [];
  for (let at = index; at < lines.length; at++) {
    const text = lines[at]!.text;
    parts.push(text.replace(CONTINUED, ' '));
    if (!CONTINUED.test(text)) break;
  }
  const tokens = parts.join(' ').trim().split(/\s+/);
  const flag = (...names: string[]): string | undefined => {
    for (let at = 0; at < tokens.length; at++) {
      const token = tokens[at]!;
      for (const name of names) {
        if (token === name) return tokens[at + 1];
        if (token.startsWith(`${name}=`)) return token.slice(name.length + 1);
      }
    }
    return undefined;
  };
  return argsOf({
    model: flag('--model-path', '--model'),
    tensorParallel: flag('--tp-size', '--tp', '--tensor-parallel-size'),
    memFractionStatic: flag('--mem-fraction-static'),
    contextTokens: flag('--context-length'),
    kvCacheDtype: flag('--kv-cache-dtype'),
    quantization: flag('--quantization'),
  });
}

/**
 * The settings of a `server_args=ServerArgs(…)` line; `None` is no value. The line may be cut
 * short: what it holds is read.
 *
 * @example serverArgs("server_args=ServerArgs(model_path='Qwen/Qwen3-8B', tp_size=2)").tensorParallel // 2
 */
export function serverArgs(text: string): SglangArgs {
  const value = (name: string): string | undefined => {
    const match = new RegExp(`[(, ]${name}=(?:'([^']*)'|([^,)]*))`).exec(text);
    const found = match?.[1] ?? match?.[2];
    return found === undefined || found === 'None' ? undefined : found;
  };
  return argsOf({
    model: value('model_path'),
    tensorParallel: value('tp_size'),
    memFractionStatic: value('mem_fraction_static'),
    contextTokens: value('context_length'),
    kvCacheDtype: value('kv_cache_dtype'),
    quantization: value('quantization'),
  });
}
