import type { DeviceSpec } from '../devices/types';
import { requireFormat } from '../plan/lookups';
import type { Assumption, TrainingScenario } from '../plan/types';
import { peakOpsFor } from '../perf/throughput';
import {
  estimateZero2ModelStatesMemNeeds,
  estimateZero3ModelStatesMemNeeds,
  DEEPSPEED_ADDITIONAL_BUFFER_FACTOR,
} from './deepspeed-estimate';
import type { ModelSpec } from '../models/types';
import type { OptimizerSpec } from './optimizers';
import type { ParallelLayout } from './parallelism';
import { QLORA_BASE_FORMAT, totalOptimizerBytes, type ParamProfile } from './param-profile';
import type { PrecisionRecipe } from './precision';
import { TRAINING_RUNTIME_OVERHEAD_BYTES } from './stage-memory';

interface TrainingAssumptionInput {
  readonly model: ModelSpec;
  readonly devices: readonly DeviceSpec[];
  readonly scenario: TrainingScenario;
  readonly recipe: PrecisionRecipe;
  readonly optimizer: OptimizerSpec;
  readonly stateBytes: number;
  readonly profile: ParamProfile;
  readonly layout: ParallelLayout;
  /** Activations of one layer for one micro-batch (null for a bare parameter count). */
  readonly layerActivationBytes: number | null;
  readonly logitsBytes: number;
  readonly hostBytesPerNode: number;
  readonly flopsPerToken: number;
}

function modelSource(model: ModelSpec): string {
  const source = model.source;
  if (source.kind === 'catalog') return `config.json of ${source.config}`;
  if (source.kind === 'params') return source.note;
  if (source.kind === 'file') return `${source.format} at ${source.path}`;
  return `Hugging Face Hub ${source.repo}`;
}

/** DeepSpeed's own estimate for the same job, where its formula applies (16-bit params, Adam, ZeRO 2/3). */
function deepSpeedCrossCheck(input: TrainingAssumptionInput): Assumption[] {
  const { scenario, layout, profile, model } = input;
  const adam = input.optimizer.id === 'adamw';
  if (
    scenario.precision !== 'mixed' ||
    !adam ||
    scenario.finetune !== 'full' ||
    scenario.zeroStage < 2
  )
    return [];
  if (layout.tensorParallel > 1 || layout.pipelineParallel > 1) return [];
  const common = {
    totalParams: model.params,
    gpusPerNode: layout.gpusPerNode,
    nodes: layout.nodes,
  };
  const cpuOffload = scenario.offload !== 'none';
  const estimate =
    scenario.zeroStage === 2
      ? estimateZero2ModelStatesMemNeeds({ ...common, cpuOffload })
      : estimateZero3ModelStatesMemNeeds({
          ...common,
          largestLayerParams: profile.largestModuleParams,
          cpuOffload,
          cpuOffloadParams: scenario.offload === 'optimizer+params',
          zeroInit: true,
        });
  const fn =
    scenario.zeroStage === 2
      ? 'estimate_zero2_model_states_mem_needs'
      : 'estimate_zero3_model_states_mem_needs';
  const source = `DeepSpeed ${fn} (deepspeed/runtime/zero), zero_init=1; it also counts 4 bytes/param of fp32 gradients the ZeRO paper leaves out`;
  const perGpu: Assumption = {
    name: `DeepSpeed's estimate per GPU (model states)`,
    value: estimate.gpuBytes,
    unit: 'bytes',
    source,
  };
  // Without offload its CPU figure is only the start-up copy of the model, not a running need.
  if (!cpuOffload) return [perGpu];
  return [
    perGpu,
    {
      name: `DeepSpeed's estimate of system RAM per node`,
      value: estimate.cpuBytes,
      unit: 'bytes',
      source,
    },
  ];
}

/** Every constant and choice a training plan rests on, named with its value and source. */
export function trainingAssumptions(input: TrainingAssumptionInput): Assumption[] {
  const { model, scenario, recipe, optimizer, profile, layout } = input;
  const list: Assumption[] = [];
  list.push({
    name: 'model architecture',
    value: model.architecture
      ? `${model.architecture.family}, ${model.architecture.layers} layers`
      : 'parameter count only',
    source: modelSource(model),
  });
  list.push({
    name: `precision ${recipe.id}`,
    value: `${recipe.weightBytesPerParam} B weights + ${recipe.gradientBytesPerParam} B gradients + ${recipe.masterBytesPerParam} B fp32 master per trainable parameter; ${recipe.frozenBytesPerParam} B per frozen parameter; ${recipe.activationBytesPerElement}-byte activations`,
    source: recipe.source,
  });
  const stateBytesPerParam =
    profile.trainableParams > 0 ? totalOptimizerBytes(profile) / profile.trainableParams : 0;
  list.push({
    name: `optimizer ${optimizer.label}`,
    value: `${stateBytesPerParam.toFixed(4)} bytes per trainable parameter${optimizer.eightBit ? '' : ` (${optimizer.fullStates} state${optimizer.fullStates === 1 ? '' : 's'} × ${input.stateBytes} B)`}`,
    source: optimizer.paged
      ? `${optimizer.source}; counted on the GPU: paging only rescues transient spikes`
      : optimizer.source,
  });
  if (profile.loraParams !== null) {
    list.push({
      name: 'LoRA adapters',
      value: `${profile.loraParams} trainable parameters (r = ${scenario.loraRank}; ${scenario.loraTargets.join(', ')})`,
      source:
        'Hu et al. 2021, LoRA: r × (in + out) per adapted [out, in] matrix, counted from the architecture',
    });
  }
  if (scenario.finetune === 'qlora') {
    const format = requireFormat(QLORA_BASE_FORMAT);
    list.push({
      name: `frozen base ${format.id}`,
      value: `${format.bitsPerWeight.toFixed(4)} bits/weight`,
      source: format.source,
    });
  }
  if (!scenario.includeActivations) {
    list.push({
      name: 'activations',
      value: 'left out (model states only)',
      source: 'Rajbhandari et al. 2019 report model states without activations',
    });
  } else if (input.layerActivationBytes === null) {
    list.push({
      name: 'activations (rule of thumb)',
      value: `2 × ${recipe.activationBytesPerElement} bytes per parameter`,
      source:
        'shared/seeds/002: "Activation & temp variable ≈ 8 bytes (FP32)" per parameter for a 1 B model',
    });
  } else {
    list.push({
      name: 'activations per layer and micro-batch',
      value: input.layerActivationBytes,
      unit: 'bytes',
      source: `Korthikanti et al. 2022, section 4 and table 2, from the architecture's widths; s = ${scenario.contextTokens}, b = ${scenario.microBatch}, t = ${layout.tensorParallel}${scenario.sequenceParallel && layout.tensorParallel > 1 ? ', sequence parallel' : ''}, recompute ${scenario.checkpointing}, flash attention ${scenario.flashAttention ? 'on' : 'off'}, no dropout`,
    });
    list.push({
      name: 'logits and loss buffers (last stage)',
      value: input.logitsBytes,
      unit: 'bytes',
      source:
        'Korthikanti et al. 2022, section 4.3: fp32 logits 4sbv/t and the final inputs 4sbh/t; plus the fp32 gradient of the logits',
    });
  }
  list.push({
    name: 'parallel layout',
    value: `${layout.worldSize} GPUs (${layout.nodes} × ${layout.gpusPerNode}) = TP ${layout.tensorParallel} × PP ${layout.pipelineParallel} × DP ${layout.dataParallel}`,
    source: 'Megatron-LM rank order (tensor, data, pipeline): megatron/core/parallel_state.py',
  });
  if (layout.pipelineParallel > 1) {
    list.push({
      name: 'micro-batches in flight on the first stage',
      value: layout.stages[0]!.inFlightMicroBatches,
      source:
        'Narayanan et al. 2021, Megatron-LM at scale, section 2.2.1: 1F1B keeps at most p micro-batches in flight',
    });
  }
  list.push({
    name: scenario.fsdp
      ? `FSDP ${scenario.fsdp === 'full' ? 'FULL_SHARD' : 'SHARD_GRAD_OP'}`
      : `ZeRO stage ${scenario.zeroStage}`,
    value: `model states sharded over ${layout.dataParallel} data-parallel rank${layout.dataParallel === 1 ? '' : 's'}`,
    source:
      'Rajbhandari et al. 2019, ZeRO, section 5.1 (P_os, P_os+g, P_os+g+p); PyTorch FSDP ShardingStrategy',
  });
  if (scenario.offload !== 'none') {
    list.push({
      name: 'system RAM per node for CPU offload',
      value: input.hostBytesPerNode,
      unit: 'bytes',
      source: `fp32 master, fp32 gradients and moments of each GPU's partition${scenario.offload === 'optimizer+params' ? ' and its parameters' : ''}, × DeepSpeed's additional_buffer_factor ${DEEPSPEED_ADDITIONAL_BUFFER_FACTOR} (docs/code-docs/source/memory.rst)`,
    });
  }
  list.push(...deepSpeedCrossCheck(input));
  list.push({
    name: 'runtime overhead per GPU',
    value: TRAINING_RUNTIME_OVERHEAD_BYTES,
    unit: 'bytes',
    source: 'CUDA context and PyTorch kernels (core/memory/engine-profiles.ts)',
  });
  list.push({
    name: 'memory breakdown',
    value: 'what the most loaded GPU holds',
    source: 'per GPU under ZeRO, tensor and pipeline parallelism',
  });
  list.push({
    name: 'training FLOPs per token',
    value: input.flopsPerToken,
    source:
      'Kaplan et al. 2020 (6N; 8N with full recompute; 4N for frozen LoRA bases) + PaLM appendix B attention (12·L·H·Q·T)',
  });
  list.push(
    scenario.mfu !== undefined
      ? {
          name: 'model FLOPs utilisation (MFU)',
          value: scenario.mfu,
          source: 'given; Dubey et al. 2024, Llama 3, table 4: 38–43 % BF16 MFU at scale',
        }
      : {
          name: 'training speed',
          value:
            'estimated from the step: matrix math + element-wise, loss and optimizer memory traffic',
          source:
            'core/training/training-speed-roofline.ts: cuBLAS GEMM efficiency (llama.cpp PR #4766 calibration), eager element-wise bytes per op (transformers modeling_llama.py), fused AdamW traffic; without an architecture, or with tensor/pipeline parallelism, 0.4 MFU (Dubey et al. 2024, table 4)',
        },
  );
  const seen = new Set<string>();
  for (const device of input.devices) {
    if (seen.has(device.id)) continue;
    seen.add(device.id);
    const peak = peakOpsFor(device, recipe.computeDtype);
    list.push({
      name: `${device.name} peak ${peak.dtype}`,
      value: `${peak.opsPerSecond} FLOP/s`,
      source:
        device.source.kind === 'catalog'
          ? device.source.references.join('; ')
          : `${device.source.kind} device`,
    });
  }
  return list;
}
