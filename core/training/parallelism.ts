import { HeadroomError } from '../errors';

/**
 * How a training job's GPUs divide the work: tensor parallel (t) inside a layer, pipeline
 * parallel (p) across layers, and data parallel (d = GPUs / (t × p)) across batches, which
 * ZeRO shards model states over. Ranks follow Megatron-LM's default order (tensor fastest,
 * then data, then pipeline: megatron/core/parallel_state.py, order "tp-cp-ep-dp-pp"), so the
 * GPUs of one node hold consecutive ranks.
 */

export interface PipelineStage {
  readonly index: number;
  readonly firstLayer: number;
  readonly layers: number;
  /**
   * Micro-batches whose activations the stage holds at its peak. With the 1F1B schedule stage i
   * of p runs p − i forward passes before its first backward (Narayanan et al. 2021, section
   * 2.2.1), so the first stage holds p — or all of them when there are fewer.
   */
  readonly inFlightMicroBatches: number;
  readonly holdsEmbedding: boolean;
  readonly holdsHead: boolean;
}

export interface ParallelLayout {
  readonly nodes: number;
  readonly gpusPerNode: number;
  readonly worldSize: number;
  readonly tensorParallel: number;
  readonly pipelineParallel: number;
  readonly dataParallel: number;
  readonly stages: readonly PipelineStage[];
}

/**
 * Splits `layers` layers into `pipelineParallel` stages as evenly as whole layers allow, the
 * remainder going to the first stages.
 *
 * @param layers transformer layers (1 for a bare parameter count)
 * @param pipelineParallel stages
 * @param microBatches micro-batches per optimizer step (gradient accumulation)
 * @returns one stage per pipeline rank
 * @example pipelineStages(32, 4, 8).map((s) => s.inFlightMicroBatches) // [4, 3, 2, 1]
 */
function pipelineStages(
  layers: number,
  pipelineParallel: number,
  microBatches: number,
): PipelineStage[] {
  const base = Math.floor(layers / pipelineParallel);
  const extra = layers % pipelineParallel;
  const stages: PipelineStage[] = [];
  let firstLayer = 0;
  for (let index = 0; index < pipelineParallel; index++) {
    const count = base + (index < extra ? 1 : 0);
    stages.push({
      index,
      firstLayer,
      layers: count,
      inFlightMicroBatches: Math.min(pipelineParallel - index, microBatches),
      holdsEmbedding: index === 0,
      holdsHead: index === pipelineParallel - 1,
    });
    firstLayer += count;
  }
  return stages;
}

/**
 * The parallel layout of a job, checked: the GPUs must divide into t × p groups, and there
 * must be at least one layer per pipeline stage.
 *
 * @throws HeadroomError BAD_ARGUMENT when the degrees do not fit the GPUs or the model
 */
export function layoutParallelism(input: {
  readonly nodes: number;
  readonly gpusPerNode: number;
  readonly tensorParallel: number;
  readonly pipelineParallel: number;
  /** Transformer layers, or null for a bare parameter count (pipeline stages split it evenly). */
  readonly layers: number | null;
  readonly microBatches: number;
}): ParallelLayout {
  const { nodes, gpusPerNode, tensorParallel, pipelineParallel } = input;
  const worldSize = nodes * gpusPerNode;
  const modelParallel = tensorParallel * pipelineParallel;
  if (worldSize % modelParallel !== 0) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${worldSize} GPUs (${nodes} node${nodes > 1 ? 's' : ''} × ${gpusPerNode}) do not divide into tensor parallel ${tensorParallel} × pipeline parallel ${pipelineParallel} = ${modelParallel} GPUs per model copy.`,
    );
  }
  if (input.layers !== null && pipelineParallel > input.layers) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `Pipeline parallel ${pipelineParallel} is more stages than the model's ${input.layers} layers.`,
    );
  }
  return {
    nodes,
    gpusPerNode,
    worldSize,
    tensorParallel,
    pipelineParallel,
    dataParallel: worldSize / modelParallel,
    stages: pipelineStages(input.layers ?? pipelineParallel, pipelineParallel, input.microBatches),
  };
}

/** The pipeline stage of a global rank (tensor fastest, then data, then pipeline). */
export function stageOfRank(layout: ParallelLayout, rank: number): number {
  return Math.floor(rank / (layout.tensorParallel * layout.dataParallel));
}
