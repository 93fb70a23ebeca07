import { GENERIC_CPU } from '../devices/cpu';
import { bytesForParams } from '../formats/weight-bytes';
import type { NumericFormat } from '../formats/types';
import { ENGINE_PROFILES } from '../memory/engine-profiles';
import type { ModelSpec } from '../models/types';
import {
  eagerElementwiseBytesPerToken,
  EAGER_DECODE_HOST_SECONDS_PER_LAYER,
  EAGER_DECODE_HOST_SECONDS_PER_LAYER_SLOW,
} from '../perf/eager-overheads';
import { estimateThroughput, flopsPerToken, type DeviceWork } from '../perf/throughput';
import type { InferencePlanInput } from './inference-input';
import { computeBytesOf } from './model-memory';
import type { Placed } from './placement';
import type { Throughput } from './types';
import type { WeightsLayout } from './weights-layout';

/**
 * The decode and prefill speed of a placed model: each device's share of the weights and KV
 * read per step, offloaded layers and experts on the host, eager engines' host pacing.
 */
export function throughputFor(
  model: ModelSpec,
  layout: WeightsLayout | null,
  format: NumericFormat,
  placed: Placed,
  input: InferencePlanInput,
  hostExpertBytes: number,
): Throughput | null {
  const { placement } = placed;
  if (placement.perDevice.length === 0) return null;
  const architecture = model.architecture;
  const totalLayers = architecture?.layers ?? 1;
  const activeWeightBytes =
    layout?.activeBytesPerToken ?? bytesForParams(model.activeParams, format);
  const totalWeightBytes = layout?.totalBytes ?? bytesForParams(model.params, format);
  // Routed experts in system RAM: a token reads its active experts' share of them there.
  const moe = architecture?.moe;
  const hostExpertActive = moe ? (hostExpertBytes * moe.activeExperts) / moe.routedExperts : 0;
  const activeShare = (activeWeightBytes - hostExpertActive) / (totalWeightBytes - hostExpertBytes);
  const context = input.scenario.contextTokens;
  const work: DeviceWork[] = placement.perDevice.map((plan, i) => {
    const layerShare =
      placed.arrangement === 'parallel'
        ? 1 / placement.perDevice.length
        : plan.layers / totalLayers;
    const experts = placement.expertBytesPerDevice?.[i];
    return {
      device: input.devices[i]!,
      weightBytesPerStep:
        experts !== undefined && moe
          ? plan.breakdown.weights - experts + (experts * moe.activeExperts) / moe.routedExperts
          : plan.breakdown.weights * activeShare,
      kvBytesPerSequence: plan.breakdown.kvCache / input.scenario.batch,
      computeShare: layerShare,
    };
  });
  const hostLayerBytes = placement.hostWeightBytes - hostExpertBytes;
  if (placement.hostLayers > 0 || hostExpertBytes > 0) {
    // Without a host device given, the offloaded layers run on a typical desktop CPU.
    work.push({
      device: input.host ?? GENERIC_CPU,
      weightBytesPerStep: hostLayerBytes * activeShare + hostExpertActive,
      kvBytesPerSequence: placement.hostKvBytes / input.scenario.batch,
      computeShare:
        placement.hostLayers / totalLayers + hostExpertActive / Math.max(1, activeWeightBytes),
    });
  }
  const attentionWidth = architecture ? architecture.attentionHeads * architecture.headDim : 0;
  const engine = ENGINE_PROFILES[input.scenario.engine];
  const eager = engine.activations === 'pytorch-eager' && architecture !== undefined;
  const layers = architecture?.layers ?? 0;
  return estimateThroughput({
    ...(eager && engine.hostPacedDecode
      ? {
          hostSecondsPerStep: {
            typical: EAGER_DECODE_HOST_SECONDS_PER_LAYER * layers,
            slow: EAGER_DECODE_HOST_SECONDS_PER_LAYER_SLOW * layers,
          },
        }
      : {}),
    ...(eager
      ? {
          elementwiseBytesPerToken: eagerElementwiseBytesPerToken(
            architecture,
            computeBytesOf(format),
          ),
        }
      : {}),
    work,
    arrangement: placed.arrangement,
    batch: input.scenario.batch,
    // Decode attends to the whole context; the FLOPs estimate uses the mean position (context/2).
    flopsPerToken: flopsPerToken(
      model.activeParams,
      architecture?.layers ?? 0,
      attentionWidth,
      context / 2,
    ),
    computeDtype: format.computeDtype,
  });
}
