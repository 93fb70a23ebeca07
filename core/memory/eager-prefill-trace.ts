import type { ArchitectureSpec } from '../models/types';
import { CachingAllocatorModel, type AllocationHandle } from './caching-allocator';
import { eagerPrefillMasked, MASK_BYTES_PER_ELEMENT } from './pytorch-eager-inference';
import { sdpaBackend } from './sdpa-backend';

/**
 * The tensors a transformers prefill allocates and frees, in order, replayed through the
 * caching-allocator model to get what PyTorch reserves, not only what it allocates. The order is
 * transformers' Llama-family forward pass (modeling_llama.py): per layer the RMSNorm's fp32
 * temporaries, q/k/v, the rotary embedding's temporaries, the KV cache's copies (kept), attention,
 * o_proj and the residual, the second norm, the MLP, the residual.
 */

/**
 * Decode steps replayed after the prefill. Each step re-copies every layer's cache one token
 * longer; two steps show the pattern of holes the later steps repeat.
 */
const DECODE_STEPS_TRACED = 2;

/** Bytes of an fp32 element. */
const FP32 = 4;

export interface EagerPrefillTraceInput {
  readonly promptTokens: number;
  readonly batch: number;
  /** Bytes of an activation element (the weights' compute dtype). */
  readonly computeBytes: number;
  /** KV bytes each layer keeps for the whole batch (after prefill). */
  readonly layerKvBytes: readonly number[];
  /**
   * Bytes of each weight tensor in load order, when the weights are plain PyTorch tensors (empty
   * otherwise): loaded one by one, tensors of 1–10 MiB share 20 MiB segments whose remainders
   * the activations may later reuse.
   */
  readonly weightTensorBytes: readonly number[];
}

export interface AllocatorPeaks {
  /** Highest bytes allocated at once beyond the starting point. */
  readonly peakAllocatedBytes: number;
  /** Highest bytes reserved from the driver beyond the starting point. */
  readonly peakReservedBytes: number;
}

/** A tiny tensor-lifetime interpreter over the allocator model. */
class Trace {
  private readonly live = new Map<string, AllocationHandle>();
  constructor(readonly allocator: CachingAllocatorModel) {}
  alloc(name: string, bytes: number): void {
    this.live.set(name, this.allocator.allocate(bytes));
  }
  rename(from: string, to: string): void {
    this.live.set(to, this.live.get(from) ?? null);
    this.live.delete(from);
  }
  free(...names: string[]): void {
    for (const name of names) {
      this.allocator.release(this.live.get(name) ?? null);
      this.live.delete(name);
    }
  }
}

/**
 * RMSNorm (LlamaRMSNorm.forward): the fp32 copy (none when already fp32), its square, the
 * normalised product, its cast back, and the weighted output `out`.
 */
function rmsNorm(trace: Trace, out: string, tokens: number, hidden: number, bytes: number): void {
  const wide = tokens * hidden * FP32;
  const narrow = tokens * hidden * bytes;
  if (bytes !== FP32) trace.alloc('norm.fp32', wide);
  trace.alloc('norm.pow', wide);
  trace.free('norm.pow');
  trace.alloc('norm.mul', wide);
  trace.free('norm.fp32');
  // `self.weight * hidden_states.to(input_dtype)`: the cast, then the product, while the fp32
  // product is still the local `hidden_states` until the function returns.
  if (bytes !== FP32) trace.alloc('norm.cast', narrow);
  trace.alloc(out, narrow);
  trace.free('norm.mul', 'norm.cast');
}

/**
 * apply_rotary_pos_emb on one of q or k: `(x * cos) + (rotate_half(x) * sin)`; the input stays
 * alive until both q and k are done (the caller reassigns them together).
 */
function rotary(trace: Trace, out: string, bytes: number): void {
  trace.alloc('rope.cos', bytes);
  trace.alloc('rope.neg', bytes / 2);
  trace.alloc('rope.cat', bytes);
  trace.free('rope.neg');
  trace.alloc('rope.sin', bytes);
  trace.free('rope.cat');
  trace.alloc(out, bytes);
  trace.free('rope.cos', 'rope.sin');
}

/**
 * Replays loading the weights and one prefill of `batch` prompts through every layer, then the
 * first decode steps, and returns the allocator's peaks.
 */
export function eagerPrefillPeaks(
  architecture: ArchitectureSpec,
  input: EagerPrefillTraceInput,
): AllocatorPeaks {
  const allocator = new CachingAllocatorModel();
  const trace = new Trace(allocator);
  const tokens = input.promptTokens * input.batch;
  const bytes = input.computeBytes;
  const h = architecture.hiddenSize;
  const hiddenBytes = tokens * h * bytes;
  const queryBytes = tokens * architecture.attentionHeads * architecture.headDim * bytes;
  const keyBytes = tokens * architecture.kvHeads * architecture.headDim * bytes;
  const masked = eagerPrefillMasked(architecture, input.promptTokens);
  const backend = sdpaBackend({
    computeBytes: bytes,
    groupedQuery: architecture.kvHeads < architecture.attentionHeads,
    masked,
  });
  const moe = architecture.moe;
  const gated = architecture.ffnKind !== 'plain';

  input.weightTensorBytes.forEach((weightBytes, index) =>
    trace.alloc(`weight.${index}`, weightBytes),
  );
  trace.alloc('embeds', hiddenBytes);
  if (masked) {
    trace.alloc(
      'mask',
      input.batch * input.promptTokens * input.promptTokens * MASK_BYTES_PER_ELEMENT,
    );
  }
  let layerInput = 'embeds';
  for (let layer = 0; layer < architecture.layers; layer++) {
    rmsNorm(trace, 'normed', tokens, h, bytes);
    trace.alloc('q', queryBytes);
    trace.alloc('k', keyBytes);
    trace.alloc('v', keyBytes);
    rotary(trace, 'q.rope', queryBytes);
    rotary(trace, 'k.rope', keyBytes);
    trace.free('q', 'k');
    // DynamicLayer.update: torch.cat onto the empty cache copies keys and values; they stay.
    const kvBytes = input.layerKvBytes[layer] ?? 0;
    trace.alloc(`kv.keys.${layer}`, kvBytes / 2);
    trace.alloc(`kv.values.${layer}`, kvBytes / 2);
    trace.free('k.rope', 'v');
    if (backend === 'math') {
      const scores = tokens * architecture.attentionHeads * input.promptTokens * bytes;
      trace.alloc('attn.scores', scores);
      trace.alloc('attn.probs', scores);
      trace.free('attn.scores');
      trace.alloc('attn.out', queryBytes);
      trace.free('attn.probs');
      // transpose(1, 2).contiguous() copies the math kernel's (batch, heads, seq, dim) output.
      trace.alloc('attn.contiguous', queryBytes);
      trace.free('attn.out');
      trace.alloc('attn.out', queryBytes);
      trace.free('attn.contiguous');
    } else {
      trace.alloc('attn.out', queryBytes);
    }
    trace.alloc('o', hiddenBytes);
    trace.free('attn.out', 'q.rope', 'normed');
    trace.alloc('residual', hiddenBytes);
    trace.free('o');
    rmsNorm(trace, 'normed', tokens, h, bytes);
    if (moe && layer >= moe.firstDenseLayers) {
      const pairs = tokens * moe.activeExperts;
      const expertBytes = pairs * moe.expertIntermediateSize * bytes;
      const pairHidden = pairs * h * bytes;
      trace.alloc('moe.final', hiddenBytes);
      trace.alloc('moe.gathered', pairHidden);
      trace.alloc('moe.sorted', pairHidden);
      trace.alloc('moe.gateup', 2 * expertBytes);
      trace.alloc('moe.act', expertBytes);
      trace.alloc('moe.product', expertBytes);
      trace.free('moe.act');
      trace.alloc('moe.down', pairHidden);
      trace.free('moe.gateup', 'moe.product');
      trace.alloc('moe.weighted', pairHidden);
      trace.free('moe.down');
      trace.alloc('moe.unsorted', pairHidden);
      trace.free('moe.weighted', 'moe.gathered', 'moe.sorted', 'moe.unsorted');
      trace.alloc('mlp.out', hiddenBytes);
      trace.free('moe.final');
    } else {
      const ffnBytes = tokens * architecture.intermediateSize * bytes;
      if (gated) {
        trace.alloc('mlp.gate', ffnBytes);
        trace.alloc('mlp.act', ffnBytes);
        trace.free('mlp.gate');
        trace.alloc('mlp.up', ffnBytes);
        trace.alloc('mlp.product', ffnBytes);
        trace.free('mlp.act', 'mlp.up');
        trace.alloc('mlp.out', hiddenBytes);
        trace.free('mlp.product');
      } else {
        trace.alloc('mlp.up', ffnBytes);
        trace.alloc('mlp.act', ffnBytes);
        trace.free('mlp.up');
        trace.alloc('mlp.out', hiddenBytes);
        trace.free('mlp.act');
      }
    }
    trace.free('normed');
    const output = layer % 2 === 0 ? 'layer.a' : 'layer.b';
    trace.alloc(output, hiddenBytes);
    trace.free('mlp.out', 'residual');
    if (layerInput !== 'embeds') trace.free(layerInput);
    layerInput = output;
  }
  rmsNorm(trace, 'final', tokens, h, bytes);
  trace.free('final', layerInput, 'embeds');
  // Decoding: every step, DynamicLayer.update concatenates one more token onto each layer's keys
  // and values, a fresh copy one token longer than the block it replaces, which is freed after.
  const perToken = (kvBytes: number): number => kvBytes / input.promptTokens;
  for (let step = 1; step <= DECODE_STEPS_TRACED; step++) {
    for (let layer = 0; layer < architecture.layers; layer++) {
      const kvBytes = input.layerKvBytes[layer] ?? 0;
      const grown = (kvBytes + step * perToken(kvBytes)) / 2;
      for (const part of ['keys', 'values']) {
        const name = `kv.${part}.${layer}`;
        trace.alloc(`${name}.next`, grown);
        trace.free(name);
        trace.rename(`${name}.next`, name);
      }
    }
  }
  return {
    peakAllocatedBytes: allocator.peakAllocatedBytes,
    peakReservedBytes: allocator.peakReservedBytes,
  };
}
