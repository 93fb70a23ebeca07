import type { DeviceSpec } from '../devices/types';
import { HeadroomError } from '../errors';
import { bytesForParams } from '../formats/weight-bytes';
import { LLAMA_CPP_BATCH_TOKENS } from '../memory/engine-kv';
import { ENGINE_PROFILES, engineProfileFor } from '../memory/engine-profiles';
import { defaultKvFormat } from '../memory/kv-cache';
import { vllmBatchDefaults } from '../memory/vllm-defaults';
import type { ModelSpec } from '../models/types';
import { estimateThroughput, flopsPerToken, type DeviceWork } from '../perf/throughput';
import { planInference } from '../plan/inference-plan';
import { requireFormat } from '../plan/lookups';
import { cachedLayout } from '../plan/model-memory';
import type { InferencePlan, Throughput } from '../plan/types';
import {
  llamaCppSlots,
  sglangTokenPool,
  vllmBlockCapacity,
  type LlamaCppSlots,
  type SglangTokenPool,
  type VllmBlockCapacity,
} from './kv-capacity';

/**
 * The engines a serving plan is made for: vLLM (paged KV), SGLang (a token pool) and
 * llama.cpp's server (slots).
 */
export const SERVING_ENGINES = ['vllm', 'sglang', 'llama.cpp'] as const;
export type ServingEngine = (typeof SERVING_ENGINES)[number];

interface DeploymentInput {
  readonly model: ModelSpec;
  /** One replica's devices: `tensorParallel` of one kind (vLLM, SGLang TP) or a llama.cpp split. */
  readonly devices: readonly DeviceSpec[];
  readonly engine: ServingEngine;
  /** Longest request, prompt and output (`--max-model-len`; llama.cpp's context per slot). */
  readonly maxModelLen: number;
  readonly weightsFormat?: string;
  readonly kvFormat?: string;
  /**
   * vLLM's `--max-num-seqs`: its start-up profile samples that many requests, and the memory
   * that takes is not KV cache (core/memory/vllm-sampler.ts). Default: vLLM's own for the GPU
   * (core/memory/vllm-defaults.ts).
   */
  readonly maxNumSeqs?: number;
}

/** What the KV cache of one replica holds. */
export type DeploymentCapacity =
  | ({ readonly engine: 'vllm'; readonly blockTokens: number } & VllmBlockCapacity)
  | ({ readonly engine: 'sglang' } & SglangTokenPool)
  | ({ readonly engine: 'llama.cpp' } & LlamaCppSlots);

/** One replica: its memory plan, the KV room left, and what its speed is made of. */
export interface Deployment {
  readonly input: DeploymentInput;
  /** The memory plan of one sequence of `maxModelLen` tokens (what the engine sets aside first). */
  readonly plan: InferencePlan;
  readonly fits: boolean;
  /** KV bytes one token takes on each device of the replica (vLLM: on each worker). */
  readonly kvBytesPerTokenPerDevice: readonly number[];
  /** Memory left for the KV cache on each device once weights, activations and runtime are in. */
  readonly availableKvBytesPerDevice: readonly number[];
  readonly capacity: DeploymentCapacity;
  /** Each device's share of a decode step, before the KV a batch reads is added. */
  readonly work: readonly DeviceWork[];
  readonly arrangement: 'parallel' | 'sequential';
  /**
   * Tokens the engine puts in one step, prompt chunks and decodes together (vLLM
   * max_num_batched_tokens, SGLang chunked_prefill_size, llama.cpp n_batch).
   */
  readonly stepTokens: number;
}

/** The step token budget of an engine on a replica's devices. */
export function stepTokensOf(engine: ServingEngine, devices: readonly DeviceSpec[]): number {
  // llama.cpp's server schedules n_batch tokens a step and computes them n_ubatch at a time.
  if (engine === 'llama.cpp') return LLAMA_CPP_BATCH_TOKENS;
  return engineProfileFor(engine, { devices, latentAttention: false, drafting: false }).stepTokens;
}

/** The `--max-num-seqs` a vLLM replica starts with: the input's, or vLLM's default for its GPU. */
export function vllmMaxNumSeqs(
  input: Pick<DeploymentInput, 'engine' | 'devices' | 'maxNumSeqs'>,
): number | undefined {
  if (input.engine !== 'vllm') return undefined;
  if (input.maxNumSeqs !== undefined) return input.maxNumSeqs;
  const gpu = input.devices.find((device) => device.vendor !== 'cpu');
  return gpu ? vllmBatchDefaults(gpu).maxNumSeqs : undefined;
}

/** Fraction of the stored weights one token reads (1 for dense models; active experts for MoE). */
function activeWeightShare(model: ModelSpec, formatId: string): number {
  const format = requireFormat(formatId);
  const architecture = model.architecture;
  if (architecture) {
    const layout = cachedLayout(model, architecture, format);
    return layout.totalBytes > 0 ? layout.activeBytesPerToken / layout.totalBytes : 1;
  }
  const total = bytesForParams(model.params, format);
  return total > 0 ? bytesForParams(model.activeParams, format) / total : 1;
}

/**
 * One replica of a deployment: the inference plan of one sequence of `maxModelLen` tokens
 * (core/plan), the KV room each device has left (vLLM hands all of it to the KV cache), and
 * the blocks or slots that room makes.
 * @throws HeadroomError BAD_ARGUMENT for an engine other than vLLM, SGLang or llama.cpp, or no device
 */
export function planDeployment(input: DeploymentInput): Deployment {
  if (!(SERVING_ENGINES as readonly string[]).includes(input.engine)) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `Serving plans are for ${SERVING_ENGINES.join(' or ')}, not ${input.engine}.`,
    );
  }
  if (input.devices.length === 0) {
    throw new HeadroomError('BAD_ARGUMENT', 'A serving plan needs at least one device.');
  }
  const engine = ENGINE_PROFILES[input.engine];
  const weightsFormat = input.weightsFormat ?? input.model.publishedFormat;
  const maxNumSeqs = vllmMaxNumSeqs(input);
  const plan = planInference({
    model: input.model,
    devices: input.devices,
    scenario: {
      mode: 'inference',
      weightsFormat,
      kvFormat: input.kvFormat ?? defaultKvFormat(input.engine, weightsFormat),
      contextTokens: input.maxModelLen,
      batch: 1,
      engine: input.engine,
      marginFraction: 0,
      ...(maxNumSeqs !== undefined ? { engineSequences: maxNumSeqs } : {}),
    },
    skipMinDevices: true,
  });
  const perDevice = plan.memory.perDevice;
  // The plan's KV is one sequence rounded up to whole blocks (vLLM) or exact (llama.cpp).
  const cachedTokens = Math.ceil(input.maxModelLen / engine.kvBlockTokens) * engine.kvBlockTokens;
  const kvBytesPerTokenPerDevice = perDevice.map((entry) => entry.breakdown.kvCache / cachedTokens);
  const availableKvBytesPerDevice = perDevice.map((entry) =>
    Math.max(0, entry.headroom + entry.breakdown.kvCache),
  );
  const fits = plan.verdict.fits === true;
  let capacity: DeploymentCapacity;
  const staticPoolFraction = plan.memory.staticPoolFraction;
  if (input.engine === 'sglang') {
    // SGLang's plans carry their --mem-fraction-static wherever a GPU is among the devices.
    if (staticPoolFraction === undefined) {
      throw new HeadroomError('BAD_ARGUMENT', 'An SGLang serving plan needs GPUs: choose a GPU.');
    }
    // Every TP rank gets the same pool: the smallest any of them can hold (the profiled
    // memory is the minimum over the ranks).
    const pools = perDevice.map((_, i) =>
      sglangTokenPool(
        availableKvBytesPerDevice[i]!,
        kvBytesPerTokenPerDevice[i]!,
        input.maxModelLen,
        staticPoolFraction,
      ),
    );
    const smallest = pools.reduce((a, b) => (b.maxTotalNumTokens < a.maxTotalNumTokens ? b : a));
    capacity = { engine: 'sglang', ...smallest };
  } else if (input.engine === 'vllm') {
    // Every worker gets the same number of blocks: the fewest any of them can hold.
    let worst: VllmBlockCapacity | null = null;
    perDevice.forEach((_, i) => {
      const one = vllmBlockCapacity(
        availableKvBytesPerDevice[i]!,
        kvBytesPerTokenPerDevice[i]!,
        engine.kvBlockTokens,
        input.maxModelLen,
      );
      if (worst === null || one.numGpuBlocks < worst.numGpuBlocks) worst = one;
    });
    capacity = { engine: 'vllm', blockTokens: engine.kvBlockTokens, ...worst! };
  } else {
    const available = availableKvBytesPerDevice.reduce((a, b) => a + b, 0);
    capacity = {
      engine: 'llama.cpp',
      ...llamaCppSlots(available, plan.memory.breakdown.kvCache, input.maxModelLen),
    };
  }
  if (!fits) capacity = emptyCapacity(capacity);
  const share = activeWeightShare(input.model, weightsFormat);
  const arrangement = engine.multiDevice === 'tensor-parallel' ? 'parallel' : 'sequential';
  const layers = input.model.architecture?.layers ?? 1;
  const work: DeviceWork[] = perDevice.map((entry, i) => ({
    device: input.devices[i]!,
    weightBytesPerStep: entry.breakdown.weights * share,
    kvBytesPerSequence: 0,
    computeShare: arrangement === 'parallel' ? 1 / perDevice.length : entry.layers / layers,
  }));
  return {
    input,
    plan,
    fits,
    kvBytesPerTokenPerDevice,
    availableKvBytesPerDevice,
    capacity,
    work,
    arrangement,
    stepTokens: stepTokensOf(input.engine, input.devices),
  };
}

/** The capacity of a replica that does not fit: nothing held. */
function emptyCapacity(capacity: DeploymentCapacity): DeploymentCapacity {
  switch (capacity.engine) {
    case 'vllm':
      return { ...capacity, numGpuBlocks: 0, kvCacheTokens: 0, maxConcurrency: 0 };
    case 'sglang':
      return { ...capacity, maxTotalNumTokens: 0, maxRunningRequests: 0 };
    case 'llama.cpp':
      return { ...capacity, slots: 0, contextTokens: 0 };
  }
}

/**
 * Speed of one forward step of a replica (core/perf's roofline): `batch` sequences, each
 * attending to `contextTokens` on average. Its prefill rate is the compute rate per token at
 * that attention length.
 */
export function stepThroughput(
  deployment: Deployment,
  batch: number,
  contextTokens: number,
): Throughput {
  const { model } = deployment.input;
  const architecture = model.architecture;
  return estimateThroughput({
    work: deployment.work.map((work, i) => ({
      ...work,
      kvBytesPerSequence: deployment.kvBytesPerTokenPerDevice[i]! * contextTokens,
    })),
    arrangement: deployment.arrangement,
    batch,
    flopsPerToken: flopsPerToken(
      model.activeParams,
      architecture?.layers ?? 0,
      architecture ? architecture.attentionHeads * architecture.headDim : 0,
      contextTokens,
    ),
    computeDtype: requireFormat(deployment.plan.scenario.weightsFormat).computeDtype,
  });
}
