import type { DeviceSpec } from '../devices/types';
import { effectiveBitsPerWeight } from './effective-bits';
import type { NumericFormat } from '../formats/types';
import {
  FFN_COPIES_PER_TOKEN,
  LOGITS_BYTES_PER_ELEMENT,
  RESIDUAL_COPIES_PER_TOKEN,
} from '../memory/activations';
import { prefillStepTokens, type EngineProfile } from '../memory/engine-profiles';
import { VLLM_SAMPLER_FP32_COPIES } from '../memory/vllm-sampler';
import {
  EAGER_RESIDENT_HIDDEN_COPIES,
  GATED_MLP_PEAK_COPIES,
} from '../memory/pytorch-eager-inference';
import {
  EAGER_DECODE_HOST_SECONDS_PER_LAYER,
  EAGER_DECODE_HOST_SECONDS_PER_LAYER_SLOW,
} from '../perf/eager-overheads';
import type { ModelSpec } from '../models/types';
import { efficiencyFor } from '../perf/efficiency';
import { cacheAssumptions } from './cache-assumptions';
import { computeBytesOf } from './model-memory';
import type { Assumption } from './types';
import type { WeightsLayout } from './weights-layout';

interface AssumptionInput {
  readonly model: ModelSpec;
  readonly format: NumericFormat;
  readonly kvFormat: NumericFormat;
  readonly engine: EngineProfile;
  readonly devices: readonly DeviceSpec[];
  readonly layout: WeightsLayout | null;
  readonly contextTokens: number;
  /**
   * Sequences one engine rank runs together (core/memory/engine-profiles.ts sequencesPerRank):
   * a fused engine's step budget spans them all; vLLM samples that many at start-up.
   */
  readonly batch: number;
  /** llama.cpp --swa-full. */
  readonly swaFull?: boolean;
  /** SGLang's mem_fraction_static for these devices (EngineProfile.staticPoolFraction). */
  readonly staticPoolFraction?: number;
}

// Sweeps plan the same model, formats and devices thousands of times; the list depends only on
// these inputs, so it is built once per combination (bounded, so memory stays flat).
const MAX_CACHED_LISTS = 4096;
const cache = new WeakMap<ModelSpec, Map<string, readonly Assumption[]>>();

/** Every constant a plan rests on, named with its value and source, for the plan's list. */
export function planAssumptions(input: AssumptionInput): readonly Assumption[] {
  const key = [
    input.format.id,
    input.kvFormat.id,
    input.engine.id,
    prefillStepTokens(input.engine, input.contextTokens, input.batch),
    input.staticPoolFraction ?? '',
    input.contextTokens,
    input.swaFull ? 'swa-full' : '',
    ...input.devices.map(
      (device) => `${device.id}:${device.memoryFreeBytes ?? device.memoryBytes}`,
    ),
  ].join('|');
  let perModel = cache.get(input.model);
  if (!perModel) {
    perModel = new Map();
    cache.set(input.model, perModel);
  }
  let list = perModel.get(key);
  if (!list) {
    if (perModel.size >= MAX_CACHED_LISTS) perModel.clear();
    list = Object.freeze(buildAssumptions(input));
    perModel.set(key, list);
  }
  return list;
}

function buildAssumptions(input: AssumptionInput): Assumption[] {
  const { model, format, kvFormat, engine, layout } = input;
  const list: Assumption[] = [];
  const source = model.source;
  list.push({
    name: 'model architecture',
    value: model.architecture
      ? `${model.architecture.family}, ${model.architecture.layers} layers`
      : 'parameter count only',
    source:
      source.kind === 'catalog'
        ? `config.json of ${source.config}`
        : source.kind === 'params'
          ? source.note
          : source.kind === 'file'
            ? `${source.format} at ${source.path}`
            : `Hugging Face Hub ${source.repo}`,
  });
  const effectiveBits =
    (layout && effectiveBitsPerWeight(layout.totalBytes, model.params)) ?? format.bitsPerWeight;
  list.push({
    name: `weights format ${format.id}`,
    value: `${effectiveBits.toFixed(3)} bits/weight over the whole model`,
    source: format.source,
  });
  if (model.storedWeightBytes !== undefined && format.id === model.publishedFormat) {
    list.push({
      name: 'weights as stored',
      value: model.storedWeightBytes,
      unit: 'bytes',
      source: `tensor headers of the model's own files (${model.id})`,
    });
  }
  if (layout) {
    for (const [formatId, share] of Object.entries(layout.byFormat)) {
      list.push({
        name: `tensors stored as ${formatId}`,
        value: `${share.elements} weights, ${share.bytes} bytes`,
        source: `${format.label}: which tensors keep more precision (see the weights format's source)`,
      });
    }
  }
  list.push({
    name: `KV cache format ${kvFormat.id}`,
    value: `${(kvFormat.bitsPerWeight / 8).toFixed(4)} bytes/element`,
    source: kvFormat.source,
  });
  if (model.architecture) {
    list.push(
      ...cacheAssumptions({
        architecture: model.architecture,
        engine,
        kvFormat,
        contextTokens: input.contextTokens,
        modelDtypeBytes: computeBytesOf(format),
        ...(input.swaFull ? { swaFull: true } : {}),
      }),
    );
  }
  if (engine.activations === 'pytorch-eager') {
    list.push({
      name: 'activation workspace (eager PyTorch)',
      value: `${EAGER_RESIDENT_HIDDEN_COPIES} × hidden + ${GATED_MLP_PEAK_COPIES} × FFN width per prefill token in the compute dtype (routed experts: grouped_mm pairs); the score matrix where SDPA falls back to its math kernel; the mask where a sliding window is shorter than the prompt; fp32 logits of the last position`,
      source:
        'transformers modeling_llama.py (tensors alive at the MLP step), integrations/moe.py, sdpa_attention.py; aten sdp_utils.cpp kernel choice; measured within 0.1 % on an H200 (docs/accuracy.md)',
    });
    list.push({
      name: 'caching allocator',
      value:
        "what PyTorch reserves beyond what it allocates, from replaying the prefill's and the first decode steps' tensors (counted in activations)",
      source:
        'c10/cuda/CUDACachingAllocator.cpp: best fit, blocks split above 1 MiB, 20 MiB segments under 10 MiB, 2 MiB rounding, no release during a run',
    });
    if (engine.hostPacedDecode) {
      list.push({
        name: 'eager decode host time',
        value: `${(EAGER_DECODE_HOST_SECONDS_PER_LAYER * 1e3).toFixed(2)} ms per layer and token (slow host ${(EAGER_DECODE_HOST_SECONDS_PER_LAYER_SLOW * 1e3).toFixed(2)} ms)`,
        source:
          'measured: transformers 5.17 generate() on an H200, Llama-3.1-8B at 18.49 and 9.6 tok/s on two hosts (shared/calibration)',
      });
    }
  } else {
    // vLLM samples in its own warm-up step (below); the other fused engines keep the fp32
    // logits of every sequence's last position beside the step's activations.
    const logits =
      engine.id === 'vllm' ? '' : `; logits ${LOGITS_BYTES_PER_ELEMENT} bytes × vocab per sequence`;
    list.push({
      name: 'activation workspace',
      value: `${RESIDUAL_COPIES_PER_TOKEN} × hidden + ${FFN_COPIES_PER_TOKEN} × FFN width per step token, fp16${logits}`,
      source:
        'SwiGLU block shapes (Shazeer 2020); memory-efficient attention (FlashAttention/SDPA); one step of the engine (vLLM gpu_model_runner.py profile_run, llama.cpp n_ubatch, SGLang chunked_prefill_size)',
    });
    if (engine.id === 'vllm') {
      const stepTokens = prefillStepTokens(engine, input.contextTokens, input.batch);
      list.push({
        name: 'vLLM sampler warm-up',
        value: `${Math.min(input.batch, stepTokens)} requests (--max-num-seqs) × vocab × (${computeBytesOf(format)} + ${VLLM_SAMPLER_FP32_COPIES} × 4) bytes, plus the hidden states of ${stepTokens} tokens, on every GPU; the activation peak where it exceeds the forward's`,
        source:
          'vllm gpu_model_runner.py _dummy_sampler_run (top-k and top-p on), v1/sample/sampler.py, ops/topk_topp_sampler.py; vLLM v0.19 logged 1.89 GiB for Llama-3.1-8B at 1024 requests (tests/unit/core/memory/vllm-sampler.test.ts)',
      });
    }
  }
  const sources = engine.sources;
  list.push({
    name: `${engine.label} runtime overhead per device`,
    value: engine.runtimeOverheadBytes,
    unit: 'bytes',
    source: sources.runtimeOverhead,
  });
  list.push({
    name: `${engine.label} prefill chunk`,
    value: `${prefillStepTokens(engine, input.contextTokens, input.batch)} tokens per forward pass`,
    source: sources.prefillChunk,
  });
  if (engine.memoryUtilization < 1) {
    list.push({
      name: `${engine.label} memory utilisation`,
      value: engine.memoryUtilization,
      source: sources.memoryUtilization ?? '',
    });
  }
  if (input.staticPoolFraction !== undefined) {
    list.push({
      name: `${engine.label} static pool (--mem-fraction-static)`,
      value: `${input.staticPoolFraction} of the memory free before the weights load holds the weights and the KV pool; the rest is kept for activations and CUDA graphs`,
      source: sources.staticPool ?? '',
    });
  }
  if (engine.reservedMarginBytes > 0) {
    list.push({
      name: `${engine.label} free margin per device`,
      value: engine.reservedMarginBytes,
      unit: 'bytes',
      source: sources.reservedMargin ?? '',
    });
  }
  if (engine.cudaGraphBytes > 0) {
    list.push({
      name: `${engine.label} CUDA graphs per device`,
      value: engine.cudaGraphBytes,
      unit: 'bytes',
      source: sources.cudaGraphs ?? '',
    });
  }
  const gpus = input.devices.filter((device) => device.vendor !== 'cpu').length;
  if (engine.multiGpuCommunicationBytes > 0 && gpus > 1) {
    list.push({
      name: `${engine.label} communication buffers per GPU (${gpus} GPUs)`,
      value: engine.multiGpuCommunicationBytes,
      unit: 'bytes',
      source: sources.multiGpuCommunication ?? '',
    });
  }
  const seen = new Set<string>();
  for (const device of input.devices) {
    if (seen.has(device.id)) continue;
    seen.add(device.id);
    const efficiency = efficiencyFor(device);
    list.push({
      name: `${device.name} decode bandwidth efficiency`,
      value: efficiency.decodeBandwidthEfficiency,
      source: efficiency.source,
    });
    list.push({
      name: `${device.name} prefill compute efficiency`,
      value: efficiency.prefillComputeEfficiency,
      source: efficiency.source,
    });
    const deviceSource = device.source;
    list.push({
      name: `${device.name} memory and bandwidth`,
      value: `${device.memoryFreeBytes ?? device.memoryBytes} bytes, ${device.bandwidthBytesPerSecond} bytes/s`,
      source:
        deviceSource.kind === 'catalog'
          ? deviceSource.references.join('; ')
          : deviceSource.kind === 'detected'
            ? `detected by ${deviceSource.tool} (free memory)`
            : 'user-defined device',
    });
  }
  return list;
}
