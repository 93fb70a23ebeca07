import type { ArchitectureSpec } from './types';

/**
 * Whether a layer's FFN is a mixture of experts: past the leading dense layers (DeepSeek
 * first_k_dense_replace), and on every moeLayerInterval-th layer (Llama 4
 * interleave_moe_layer_step; transformers Llama4TextConfig.moe_layers = range(step - 1, n, step)).
 *
 * @param arch the architecture
 * @param layer 0-based layer index
 * @returns true where the layer holds routed experts
 * @example isMoeLayer(llama4Maverick, 0) // false (dense); isMoeLayer(llama4Maverick, 1) // true
 */
export function isMoeLayer(arch: ArchitectureSpec, layer: number): boolean {
  const moe = arch.moe;
  if (!moe || layer < moe.firstDenseLayers) return false;
  const interval = moe.moeLayerInterval ?? 1;
  return (layer + 1) % interval === 0;
}
