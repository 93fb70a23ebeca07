import { BugError } from '../errors';
import { enumerateTensors, isVisionTensor } from './tensors';
import type { ArchitectureSpec } from './types';

/** Exact parameter counts of an architecture. */
interface ParameterCount {
  /** Every stored parameter, all experts included, tied embeddings once. */
  readonly params: number;
  /**
   * Parameters one token's forward pass uses: every tensor, except that a group of routed
   * experts counts activeExperts/routedExperts of its elements. The token embedding table is
   * counted whole (some model cards, e.g. gpt-oss's, leave it out of their "active" figure).
   */
  readonly activeParams: number;
}

/**
 * Counts the parameters of an architecture by summing the tensors enumerateTensors lists.
 *
 * @param arch the architecture
 * @returns total and per-token active parameter counts, both whole numbers
 * @example countParameters(llama2_7b) // { params: 6738415616, activeParams: 6738415616 }
 */
export function countParameters(arch: ArchitectureSpec): ParameterCount {
  let params = 0;
  let activeParams = 0;
  for (const tensor of enumerateTensors(arch)) {
    params += tensor.elements;
    // A text token never runs the vision tower.
    if (isVisionTensor(tensor)) continue;
    if (tensor.experts > 1) {
      const moe = arch.moe;
      if (!moe)
        throw new BugError(`${arch.family}: expert tensor ${tensor.name} without a MoE spec`);
      // elements = experts × per-expert elements, so this division is exact.
      activeParams += (tensor.elements / tensor.experts) * moe.activeExperts;
    } else {
      activeParams += tensor.elements;
    }
  }
  if (!Number.isSafeInteger(params)) {
    throw new BugError(`${arch.family}: ${params} parameters is past exact integer arithmetic`);
  }
  return { params, activeParams };
}
