/**
 * DeepSpeed's own model-state memory estimators, for mixed-precision Adam, as its current
 * source defines them (microsoft/DeepSpeed, deepspeed/runtime/zero/stage_1_and_2.py
 * estimate_zero2_model_states_mem_needs and stage3.py estimate_zero3_model_states_mem_needs,
 * read at commit 38327e07, 2025-02). Plans list these beside their own accounting so a user
 * can compare with what `estimate_zero*_model_states_mem_needs_all_cold` prints.
 */

/** DeepSpeed's default additional_buffer_factor for CPU memory: "to be conservative". */
export const DEEPSPEED_ADDITIONAL_BUFFER_FACTOR = 1.5;

/**
 * Bytes per parameter behind the estimators: 2 for the 16-bit parameters; 18 = 2 (16-bit
 * gradients) + 4 (fp32 gradients) + 4 (fp32 parameters) + 8 (momentum and variance) in ZeRO-2;
 * 16 (fp32 params, grads, momentum, variance) and 18 (+ 16-bit params) on the CPU; 4 per
 * parameter of the largest layer in ZeRO-3 (its gathered 16-bit parameters and gradients);
 * 4 per parameter per GPU for building the model in fp32 without zero.Init.
 */
const HALF_PARAM_BYTES = 2;
const ZERO2_PARTITIONED_BYTES = 18;
const ZERO3_PARTITIONED_BYTES = 18;
const CPU_OPTIMIZER_BYTES = 16;
const CPU_OPTIMIZER_AND_PARAM_BYTES = 18;
const LARGEST_LAYER_BYTES = 4;
const FP32_INIT_BYTES = 4;

interface DeepSpeedEstimate {
  /** System RAM per node (DeepSpeed's "per CPU"), bytes. */
  readonly cpuBytes: number;
  /** GPU memory per GPU, bytes. */
  readonly gpuBytes: number;
}

interface Zero2EstimateInput {
  readonly totalParams: number;
  readonly gpusPerNode: number;
  readonly nodes: number;
  /** offload_optimizer = cpu. */
  readonly cpuOffload: boolean;
  readonly additionalBufferFactor?: number;
}

/**
 * DeepSpeed's estimate_zero2_model_states_mem_needs.
 *
 * @example estimateZero2ModelStatesMemNeeds({ totalParams: 2851e6, gpusPerNode: 8, nodes: 1, cpuOffload: true })
 *   // { cpuBytes: 136848000000 (127.45 GiB), gpuBytes: 5702000000 (5.31 GiB) }
 */
export function estimateZero2ModelStatesMemNeeds(input: Zero2EstimateInput): DeepSpeedEstimate {
  const factor = input.additionalBufferFactor ?? DEEPSPEED_ADDITIONAL_BUFFER_FACTOR;
  const totalGpus = input.nodes * input.gpusPerNode;
  const params = input.totalParams;
  if (input.cpuOffload) {
    return {
      gpuBytes: Math.trunc(HALF_PARAM_BYTES * params),
      cpuBytes: Math.trunc(
        params * Math.max(FP32_INIT_BYTES * totalGpus, CPU_OPTIMIZER_BYTES) * factor,
      ),
    };
  }
  return {
    gpuBytes: Math.trunc(
      HALF_PARAM_BYTES * params + Math.trunc((ZERO2_PARTITIONED_BYTES * params) / totalGpus),
    ),
    cpuBytes: Math.trunc(params * FP32_INIT_BYTES * input.gpusPerNode * factor),
  };
}

interface Zero3EstimateInput {
  readonly totalParams: number;
  readonly largestLayerParams: number;
  readonly gpusPerNode: number;
  readonly nodes: number;
  /** offload_optimizer = cpu. */
  readonly cpuOffload: boolean;
  /** offload_param = cpu (only with cpuOffload). */
  readonly cpuOffloadParams: boolean;
  /** The model is built under deepspeed.zero.Init (partitioned as it is created). */
  readonly zeroInit: boolean;
  readonly additionalBufferFactor?: number;
}

/**
 * DeepSpeed's estimate_zero3_model_states_mem_needs.
 *
 * @example estimateZero3ModelStatesMemNeeds({ totalParams: 2851e6, largestLayerParams: 32e6, gpusPerNode: 8, nodes: 1, cpuOffload: false, cpuOffloadParams: false, zeroInit: true })
 *   // { cpuBytes: 1536000000 (1.43 GiB), gpuBytes: 6542750000 (6.09 GiB) }
 */
export function estimateZero3ModelStatesMemNeeds(input: Zero3EstimateInput): DeepSpeedEstimate {
  const factor = input.additionalBufferFactor ?? DEEPSPEED_ADDITIONAL_BUFFER_FACTOR;
  const totalGpus = input.nodes * input.gpusPerNode;
  const perNodeShare = 1 / input.nodes;
  const params = input.totalParams;
  const largestLayerBytes = LARGEST_LAYER_BYTES * input.largestLayerParams;
  const initBytes = FP32_INIT_BYTES * input.gpusPerNode;
  if (input.cpuOffload && input.cpuOffloadParams) {
    const cpuPerParam = CPU_OPTIMIZER_AND_PARAM_BYTES * perNodeShare;
    return {
      gpuBytes: Math.trunc(largestLayerBytes),
      cpuBytes: Math.trunc(
        params * (input.zeroInit ? cpuPerParam : Math.max(initBytes, cpuPerParam)) * factor,
      ),
    };
  }
  if (input.cpuOffload) {
    const cpuPerParam = CPU_OPTIMIZER_BYTES * perNodeShare;
    return {
      gpuBytes: Math.trunc(largestLayerBytes + Math.trunc((HALF_PARAM_BYTES * params) / totalGpus)),
      cpuBytes: Math.trunc(
        params * (input.zeroInit ? cpuPerParam : Math.max(initBytes, cpuPerParam)) * factor,
      ),
    };
  }
  return {
    gpuBytes: Math.trunc(
      largestLayerBytes + Math.trunc((ZERO3_PARTITIONED_BYTES * params) / totalGpus),
    ),
    cpuBytes: Math.trunc(
      (input.zeroInit ? input.largestLayerParams : params) *
        FP32_INIT_BYTES *
        input.gpusPerNode *
        factor,
    ),
  };
}
