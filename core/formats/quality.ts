/**
 * Fidelity ranks (higher = closer to the original weights) on one scale for every format,
 * so the best-format search can compare across families. Equal ranks are equally good.
 *
 * How the order is sourced, family by family:
 * - GGUF k-quants and legacy quants: the perplexity increase @ Llama-3-8B that llama.cpp's
 *   quantize lists (tools/quantize/quantize.cpp QUANT_OPTIONS): Q8_0 +0.0026, Q6_K +0.0217,
 *   Q5_K_M +0.0569, Q5_K_S +0.1049, Q5_1 +0.1062, Q5_0 +0.1316, Q4_K_M +0.1754,
 *   Q4_K_S +0.2689, Q4_1 +0.4511, Q4_0 +0.4685, Q3_K_L +0.5562, Q3_K_M +0.6569,
 *   Q3_K_S +1.6321, Q2_K +3.5199.
 * - i-quants placed among them by ln(PPL(Q)/PPL(base)) in the KL-divergence table for
 *   Mistral-7B with one imatrix for all types (Artefact2, "GGUF quantizations overview" gist,
 *   2024-02-27): IQ1_S 0.9235, IQ2_XXS 0.2988, IQ2_XS 0.2046, IQ2_S 0.1722, Q2_K_S 0.1600,
 *   IQ2_M 0.1223, Q2_K 0.1103, IQ3_XXS 0.0589, Q3_K_S 0.0511, IQ3_XS 0.0458, IQ3_S 0.0306,
 *   IQ3_M 0.0268, Q3_K_M 0.0258, Q3_K_L 0.0205, Q4_K_S 0.0081, IQ4_XS 0.0079, IQ4_NL 0.0074.
 *   (quantize.cpp lists Q2_K_S above Q2_K, but measured with an imatrix against a Q2_K
 *   without one; with the same imatrix the gist has Q2_K ahead, as its bigger types imply.)
 *   IQ1_M sits above IQ1_S (same codebook, 1.75 vs 1.5625 bpw, ggml-common.h).
 * - TQ1_0/TQ2_0 are ternary packings for models trained ternary (BitNet b1.58, TriLM;
 *   llama.cpp PR #8151): for any other model they are the least faithful of all.
 * - 16-bit: quantize.cpp lists BF16 at -0.0050 and F16 at +0.0020 ppl @ Mistral-7B.
 * - TF32 stores FP32 but rounds matmul inputs to a 10-bit mantissa (NVIDIA A100 whitepaper).
 * - 8-bit: LLM.int8() keeps 16-bit quality up to 175B (Dettmers et al. 2022, abstract); FP8
 *   E4M3 "typically only minimally degrades inference accuracy" and is more precise than
 *   E5M2 (vLLM docs, Quantized KV Cache); plain per-tensor absmax int8 breaks on the outlier
 *   features that emerge from 6.7B parameters (Dettmers et al. 2022, section 3), so it ranks
 *   below both; GPTQ int8 (groups of 128) ranks just below q8_0 (groups of 32).
 * - 4-bit outside GGUF: AWQ beats GPTQ at INT4 g128 on Llama-2 (Lin et al. 2023, AWQ,
 *   Table 4); both carry fewer bits (4.16 bpw) than Q4_K_S, so they rank just below it.
 *   NF4 beats FP4 and double quantization costs nothing in quality (Dettmers et al. 2023,
 *   QLoRA, section 3 and Table 2). NVFP4 (16-value blocks, FP8 scale) beats MXFP4 (32-value
 *   blocks, power-of-two scale) (NVIDIA, "Introducing NVFP4", 2025). Plain per-tensor int4
 *   collapses on large models (round-to-nearest results, Frantar et al. 2022, GPTQ, Table 3),
 *   so the idealised int4 ranks below every 2-bit GGUF mix.
 * The placement across families (e.g. NF4 next to Q4_0) is a judgment from bits per weight
 * and block granularity where no single table covers both; it is written here to be argued.
 */
export const QUALITY_RANK: Readonly<Record<string, number>> = {
  fp32: 1000,
  tf32: 990,
  bf16: 900,
  fp16: 895,
  q8_0: 850,
  q8_1: 850,
  q8_k: 850,
  gptq_int8: 845,
  llm_int8: 830,
  fp8_e4m3: 820,
  int8: 800,
  fp8_e5m2: 790,
  q6_k: 700,
  q5_k_m: 650,
  q5_k: 650, // llama-quantize alias of Q5_K_M
  q5_k_s: 640,
  q5_1: 630,
  q5_0: 620,
  q4_k_m: 600,
  q4_k: 600, // alias of Q4_K_M
  iq4_nl: 590,
  iq4_xs: 585,
  q4_k_s: 580,
  awq_int4: 575,
  gptq_int4: 565,
  nvfp4: 560,
  q4_1: 550,
  q4_0: 545,
  nf4: 540,
  nf4_dq: 540,
  mxfp4_experts: 535, // experts in mxfp4, everything else bf16
  mxfp4_moe: 530, // experts in mxfp4, everything else q8_0
  mxfp4: 520,
  fp4: 510,
  q3_k_l: 500,
  q3_k_m: 490,
  q3_k: 490, // alias of Q3_K_M
  iq3_m: 480,
  iq3_s: 475,
  iq3_xs: 470,
  q3_k_s: 465,
  iq3_xxs: 455,
  q2_k: 400,
  iq2_m: 390,
  q2_k_s: 380,
  iq2_s: 375, // every tensor iq2_s (2.56 bpw), a little above the IQ2_S file type (mostly iq2_xs)
  iq2_s_mix: 370,
  iq2_xs: 360,
  iq2_xxs: 350,
  int4: 330,
  iq1_m: 220,
  iq1_s: 200,
  tq2_0: 120,
  tq1_0: 110,
};

/** Rank change per halving of the GPTQ/AWQ group size: smaller groups fit the weights closer. */
const RANK_PER_GROUP_HALVING = 2;
/** The group size the catalog's GPTQ/AWQ entries use (AutoGPTQ and AutoAWQ default q_group_size). */
export const DEFAULT_GROUP_SIZE = 128;

/**
 * The rank of a group-wise format at another group size: up for smaller groups, down for
 * larger, kept inside [min, max] so it never passes a neighbour it has no evidence against.
 */
export function groupedRank(baseRank: number, groupSize: number, min: number, max: number): number {
  const halvings = Math.log2(DEFAULT_GROUP_SIZE / groupSize);
  return Math.min(max, Math.max(min, Math.round(baseRank + RANK_PER_GROUP_HALVING * halvings)));
}
