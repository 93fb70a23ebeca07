import { inferenceAccuracy } from '../calibration/accuracy';
import { GENERIC_CPU } from '../devices/cpu';
import { SETTING_NAMES } from '../setting-names';
import { engineProfileFor, sequencesPerRank } from '../memory/engine-profiles';
import { kvElementsPerTokenPerLayer } from '../memory/kv-cache';
import { checkEngineKvFormat } from '../memory/kv-formats';
import { attentionLayerCount } from '../models/layers';
import { formatBytes } from '../units/bytes';
import { planAssumptions } from './assumptions';
import type { InferencePlanInput } from './inference-input';
import { throughputFor } from './inference-throughput';
import { planModel } from './plan-model';
import { requireFormat, requireKvFormat } from './lookups';
import { cachedLayout, modelMemory, type SideMemory } from './model-memory';
import { multimodalMemory, requireImageRule } from './multimodal-memory';
import { minimumDevices, minimumExpertOffload, place } from './placement';
import { fittingDataParallel, parallelAssumption, parallelLayoutOf } from './parallel-layout';
import { sideAssumptions } from './side-assumptions';
import { speculativeMemory } from './speculative-memory';
import { PLAN_SCHEMA, type InferencePlan } from './types';
import { buildVerdict } from './verdict';
import { validateInferenceScenario } from './inference-scenario-check';
import { paramsOnlyMemory, totalBreakdown } from './memory-totals';
import { runnableStaticPoolFraction, staticPoolWarnings } from './static-pool';

/**
 * The inference plan: the scenario checked, the model's memory laid out and placed on the
 * devices (placement.ts), the verdict, the speed (inference-throughput.ts) and the assumptions.
 */

export type { InferencePlanInput } from './inference-input';
export { MAX_DEVICES_SEARCHED } from './inference-input';

/**
 * The inference plan for a model on some devices: itemised memory per device, a verdict, a
 * speed estimate, and every assumption it rests on. Throws only for invalid input.
 */
export function planInference(input: InferencePlanInput): InferencePlan {
  const { model, scenario } = input;
  validateInferenceScenario(scenario);
  const format = requireFormat(scenario.weightsFormat);
  const kvFormat = requireKvFormat(scenario.kvFormat);
  checkEngineKvFormat(scenario.engine, kvFormat.id);
  const unit = input.unit ?? 'GB';
  const architecture = model.architecture;

  const layout = architecture ? cachedLayout(model, architecture, format) : null;
  const engine = engineProfileFor(scenario.engine, {
    devices: input.devices,
    latentAttention: architecture?.mla !== undefined,
    drafting: scenario.draft !== undefined,
    ...(architecture?.vision ? { visionTower: architecture.vision } : {}),
  });
  if ((scenario.images ?? 0) > 0) requireImageRule(model, input.mmproj !== undefined);
  const multimodal = layout
    ? multimodalMemory({
        model,
        layout,
        scenario,
        engine,
        format,
        kvFormat,
        ...(input.mmproj ? { mmproj: input.mmproj } : {}),
      })
    : null;
  const speculative = speculativeMemory({
    model,
    ...(input.draft ? { draft: input.draft } : {}),
    scenario,
    engine,
    format,
    kvFormat,
  });
  const side: SideMemory = {
    weightBytes: (multimodal?.weightBytes ?? 0) + (speculative?.weightBytes ?? 0),
    kvBytes: speculative?.kvBytes ?? 0,
    heldActivationBytes: multimodal?.heldActivationBytes ?? 0,
    peakActivationBytes: multimodal?.peakActivationBytes ?? 0,
    headBytesNotLoaded: multimodal?.headBytesNotLoaded ?? 0,
  };
  const memory =
    architecture && layout
      ? modelMemory(architecture, layout, scenario, kvFormat, engine, format, side)
      : paramsOnlyMemory(model, format);
  const kvBytesPerTokenPerLayer = architecture
    ? kvElementsPerTokenPerLayer(architecture, engine.mlaCache) * (kvFormat.bitsPerWeight / 8)
    : 0;

  const layered = architecture !== undefined;
  const parallel = parallelLayoutOf(input);
  const placed = place(memory, input.devices, engine, layered, parallel ?? undefined);
  const { placement } = placed;
  let offload = placed.offload;
  const warnings: string[] = [...(multimodal?.warnings ?? []), ...(speculative?.warnings ?? [])];

  if (offload && input.host && offload.hostBytes > input.host.memoryBytes) {
    warnings.push(
      `Offloading needs ${formatBytes(offload.hostBytes, unit)} of system RAM but ${input.host.name} has ${formatBytes(input.host.memoryBytes, unit)}.`,
    );
    offload = null;
  }
  if (offload && !input.host) {
    warnings.push(
      `${offload.totalLayers - offload.deviceLayers} layers would run from system RAM; no host device was given, so their speed assumes ${GENERIC_CPU.name} and the RAM they need (${formatBytes(offload.hostBytes, unit)}) is not checked.`,
    );
  }
  if (memory.hostExpertBytes > 0 && !input.host) {
    warnings.push(
      `The routed experts kept in system RAM (${formatBytes(memory.hostExpertBytes, unit)}) are read from RAM every token; no host device was given, so their speed assumes ${GENERIC_CPU.name} and the RAM is not checked.`,
    );
  }
  if (!architecture) {
    warnings.push(
      `Only a parameter count was given: the plan counts weights and runtime overhead; the KV cache and activations need the architecture: choose ${SETTING_NAMES.model}.`,
    );
  }
  const tensorParallel = input.devices.length / (parallel?.dataParallel ?? 1);
  if (
    architecture &&
    engine.multiDevice === 'tensor-parallel' &&
    tensorParallel > 1 &&
    architecture.attentionHeads % tensorParallel !== 0
  ) {
    warnings.push(
      `Tensor parallelism over ${tensorParallel} devices needs the ${architecture.attentionHeads} attention heads to divide evenly; ${engine.label} will refuse this split.`,
    );
  }
  if (parallel) {
    warnings.push(
      `The GPUs exchange tokens with the experts they route to (all-to-all) every MoE layer; the speed counts each GPU's reads and compute, not that traffic${parallel.dataParallel > 1 ? `, and each of the ${parallel.dataParallel} ranks serves its own share of the ${scenario.batch} sequences` : ''}.`,
    );
  }
  if (architecture && scenario.contextTokens > architecture.maxContextTokens) {
    warnings.push(
      `The context (${scenario.contextTokens} tokens) is longer than the model was trained for (${architecture.maxContextTokens}).`,
    );
  }
  if (scenario.engine === 'vllm' && input.devices.length > 0) {
    warnings.push(
      'vLLM preallocates 90 % of each device at start-up and fills the spare room with KV cache, so nvidia-smi will show it nearly full.',
    );
  }
  const staticPoolFraction = runnableStaticPoolFraction(engine, placement, input.devices, parallel);
  if (staticPoolFraction !== undefined) {
    warnings.push(...staticPoolWarnings(engine, staticPoolFraction, placement, parallel));
  }

  // The fewest-devices search places by tensor parallelism alone: under a data-parallel layout
  // its count need not split into the ranks, so it is left out.
  const minDevices =
    input.skipMinDevices || parallel ? null : minimumDevices(input, memory, engine, layered);
  const accuracy = inferenceAccuracy(scenario.engine, format.id, architecture !== undefined);
  const baseVerdict = buildVerdict({
    accuracy,
    perDevice: placement.perDevice,
    marginFraction: scenario.marginFraction,
    offload,
    offloadPossible: offload !== null,
    minDevices,
    formatBytes: (bytes) => formatBytes(bytes, unit),
  });
  let verdict = baseVerdict;
  if (memory.hostExpertBytes > 0 && input.host && placement.hostBytes > input.host.memoryBytes) {
    verdict = {
      status: 'does-not-fit',
      fits: false,
      minDevices,
      reason: `The devices hold their share, but the experts kept in system RAM need ${formatBytes(placement.hostBytes, unit)} and ${input.host.name} has ${formatBytes(input.host.memoryBytes, unit)}.`,
    };
  } else if (
    !verdict.fits &&
    architecture?.moe &&
    layout &&
    scenario.engine === 'llama.cpp' &&
    !scenario.moeOffloadLayers &&
    input.devices.length > 0
  ) {
    const layers = minimumExpertOffload(input, layout, kvFormat, format, side);
    if (layers !== null) {
      verdict = {
        ...verdict,
        moeOffloadLayers: layers,
        reason: `${verdict.reason} Keeping the routed experts of ${layers} of ${architecture.layers} layers in system RAM (llama.cpp --n-cpu-moe ${layers}) fits the rest on the devices.`,
      };
    }
  }
  if (
    !verdict.fits &&
    verdict.status === 'does-not-fit' &&
    architecture?.moe &&
    (scenario.engine === 'vllm' || scenario.engine === 'sglang') &&
    !parallel &&
    input.devices.length > 1
  ) {
    const ranks = fittingDataParallel(memory, input, engine, layered);
    if (ranks !== null) {
      verdict = {
        ...verdict,
        dataParallel: ranks,
        reason: `${verdict.reason} Serving it as ${ranks} data-parallel attention ranks with expert parallelism (${scenario.engine === 'vllm' ? `vLLM --data-parallel-size ${ranks} --enable-expert-parallel` : `SGLang --dp-size ${ranks} --enable-dp-attention --ep-size ${input.devices.length}`}) fits it on these GPUs: each rank keeps only its own requests' KV cache.`,
      };
    }
  }
  const breakdown = totalBreakdown(placement, memory, engine);
  const total = Object.values(breakdown).reduce((a, b) => a + b, 0);

  return {
    schema: PLAN_SCHEMA,
    model: planModel(
      model,
      architecture ? kvBytesPerTokenPerLayer * attentionLayerCount(architecture) : null,
    ),
    scenario: { ...scenario, devices: input.devices.map((device) => device.id) },
    memory: {
      breakdown,
      total,
      perDevice: placement.perDevice,
      ...(multimodal?.report ? { multimodal: multimodal.report } : {}),
      ...(speculative ? { speculative: speculative.report } : {}),
      ...(staticPoolFraction !== undefined ? { staticPoolFraction } : {}),
    },
    verdict,
    throughput: throughputFor(
      model,
      layout,
      format,
      { ...placed, offload },
      input,
      memory.hostExpertBytes,
    ),
    accuracy,
    assumptions: [
      ...planAssumptions({
        model,
        format,
        kvFormat,
        engine,
        devices: input.devices,
        layout,
        contextTokens: scenario.contextTokens,
        batch: sequencesPerRank(scenario),
        ...(scenario.swaFull ? { swaFull: true } : {}),
        ...(staticPoolFraction !== undefined ? { staticPoolFraction } : {}),
      }),
      ...sideAssumptions(model, engine, multimodal?.report ?? null, speculative?.report ?? null),
      ...(parallel ? [parallelAssumption(parallel, memory, input.devices.length, engine)] : []),
    ],
    warnings,
  };
}
