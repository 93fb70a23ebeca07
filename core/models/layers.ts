import type { ArchitectureSpec, LayerMixer, RecurrentStateSpec } from './types';

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

const ATTENTION: LayerMixer = { kind: 'attention' };

/**
 * What mixes tokens in a layer: attention unless the architecture lists its layers' mixers.
 * @example layerMixer(qwen3Next, 3).kind // 'attention' (every 4th layer); layerMixer(qwen3Next, 0).kind // 'recurrent'
 */
export function layerMixer(arch: ArchitectureSpec, layer: number): LayerMixer {
  return arch.layerMixers?.[layer] ?? ATTENTION;
}

/** Whether a layer attends (and so keeps a KV cache). */
export function hasAttention(arch: ArchitectureSpec, layer: number): boolean {
  return layerMixer(arch, layer).kind !== 'recurrent';
}

/** The recurrent state a layer keeps per sequence, or null for a pure attention layer. */
export function recurrentStateOf(arch: ArchitectureSpec, layer: number): RecurrentStateSpec | null {
  const mixer = layerMixer(arch, layer);
  return mixer.kind === 'attention' ? null : mixer.state;
}

/** How many layers attend. */
export function attentionLayerCount(arch: ArchitectureSpec): number {
  let count = 0;
  for (let layer = 0; layer < arch.layers; layer++) if (hasAttention(arch, layer)) count++;
  return count;
}

/**
 * Channels a recurrent layer's causal convolution runs over: mamba1 d_inner; mamba2 x, B and C
 * (d_inner + 2 × groups × d_state); Gated DeltaNet q, k and v (2 × key heads × key dim + value
 * heads × value dim); LFM2 the hidden size.
 */
export function convChannels(state: RecurrentStateSpec): number {
  switch (state.kind) {
    case 'mamba1':
      return state.innerSize;
    case 'mamba2':
      return state.innerSize + 2 * state.groups * state.stateSize;
    case 'gated-deltanet':
      return 2 * state.keyHeads * state.keyHeadDim + state.valueHeads * state.valueHeadDim;
    case 'short-conv':
      return state.channels;
  }
}
