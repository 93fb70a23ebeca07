/**
 * Bits per weight over a whole model: the weights' bytes as planned (every tensor in the type
 * its format's rules give it, scales included) over the parameter count. A GGUF mix differs
 * from its main type's block cost: Q3_K_S, Q3_K_M and Q3_K_L all use Q3_K blocks (3.44 bits)
 * yet keep different tensors wider (llama-quant.cpp), so their files differ in size.
 * @param weightsBytes the plan's `memory.breakdown.weights`
 * @param params the model's parameter count
 * @returns bits per weight, or null without a parameter count
 * @example effectiveBitsPerWeight(16_060_522_496, 8_030_261_248) // 16 (Llama 3 8B in BF16)
 */
export function effectiveBitsPerWeight(weightsBytes: number, params: number): number | null {
  if (!(params > 0)) return null;
  return (weightsBytes * 8) / params;
}
