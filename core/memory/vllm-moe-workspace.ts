/**
 * vLLM's fused-MoE scratch space, which stays allocated once a forward pass has sized it.
 * vllm/model_executor/layers/fused_moe/modular_kernel.py keeps `workspace13` and `workspace2`
 * as "persistent buffers that are shared across FusedMoEModularKernel instances (layers)"
 * (SharedResizableBuffer, grown to the largest step, never freed). TritonExperts.apply
 * (fused_moe.py) lays out in them, per routed token (rows = tokens × top-k):
 * - workspace2: the gate/up output (N = 2 × the expert width on this rank), later the down
 *   output (K = hidden): max(N, K) values;
 * - workspace13: the activation's output (N / 2), also the layer's output (K): max(N / 2, K).
 * A step runs at most VLLM_FUSED_MOE_CHUNK_SIZE tokens through them at once (vllm/envs.py,
 * 16384). So at vLLM's start-up profile the sampler warm-up (core/memory/vllm-sampler.ts) peaks
 * on top of them: vLLM 0.19 logged 1.21 GiB for Mixtral-8x7B at TP 2, 2.47 GiB for
 * Qwen1.5-MoE-A2.7B and 2.68 GiB for Qwen3-30B-A3B on an H100 (tests/unit/core/memory/
 * vllm-sampler.test.ts).
 */

/** vllm/envs.py VLLM_FUSED_MOE_CHUNK_SIZE default: tokens per fused-MoE chunk. */
const VLLM_FUSED_MOE_CHUNK_TOKENS = 16 * 1024;

/** What sizes the workspaces, but the split (known once the model is placed). */
export interface VllmMoeWorkspace {
  /** Tokens of the step (max_num_batched_tokens). */
  readonly stepTokens: number;
  /** Experts each token is routed to (top-k). */
  readonly activeExperts: number;
  /** One routed expert's FFN width. */
  readonly expertIntermediateSize: number;
  readonly hiddenSize: number;
  /** Bytes of the activation dtype. */
  readonly bytesPerElement: number;
}

interface MoeWorkspaceInput extends VllmMoeWorkspace {
  /**
   * Ranks the expert width is split over: the tensor-parallel degree, or 1 where each GPU
   * holds whole experts (expert parallelism).
   */
  readonly expertShards: number;
}

/** Bytes of the fused-MoE workspaces one rank keeps after its first forward pass. */
export function vllmMoeWorkspaceBytes(input: MoeWorkspaceInput): number {
  const rows = Math.min(input.stepTokens, VLLM_FUSED_MOE_CHUNK_TOKENS) * input.activeExperts;
  const gateUpWidth = (2 * input.expertIntermediateSize) / input.expertShards;
  const workspace2 = Math.max(gateUpWidth, input.hiddenSize);
  const workspace13 = Math.max(gateUpWidth / 2, input.hiddenSize);
  return rows * (workspace2 + workspace13) * input.bytesPerElement;
}
