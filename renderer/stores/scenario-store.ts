import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { AUTO_ENGINE, type EngineChoice } from '../../core/plan/default-engine';
import { DEFAULT_MARGIN_FRACTION } from '../../core/plan/verdict';
import { useModelStore } from './model-store';

/** KV cache in fp16: the default of `headroom plan --kv` (electron/cli/plan-command.ts). */
const DEFAULT_KV_FORMAT = 'fp16';
/** 4096 tokens: the default of `headroom plan --context`. */
export const DEFAULT_CONTEXT_TOKENS = 4096;
/** One sequence: the default of `headroom plan --batch`. */
const DEFAULT_BATCH = 1;
/**
 * The engine follows each card's weights format (core/plan/default-engine.ts: GGUF → llama.cpp,
 * AWQ/GPTQ/FP8 → vLLM, else transformers) until the user pins one (issue 17).
 */
const DEFAULT_ENGINE: EngineChoice = AUTO_ENGINE;
/**
 * Formats compared beside the model's published one on the first screen: llama.cpp's 8-bit
 * Q8_0 and 4-bit Q4_K_M. llama-quantize's option table (tools/quantize/quantize.cpp,
 * QUANT_OPTIONS) rates them on Llama-3-8B at +0.0026 and +0.1754 perplexity: the near-lossless
 * and the common 4-bit choice, so the first screen shows what quantization buys.
 */
export const DEFAULT_EXTRA_FORMATS: readonly string[] = ['q8_0', 'q4_k_m'];
/** Where routed experts live: all on the devices (null), the first N layers' or all in RAM. */
type MoeOffloadChoice = number | 'all' | null;
/**
 * How vLLM or SGLang spreads a mixture-of-experts model over a group's GPUs: tensor
 * parallelism, expert parallelism (`--expert-parallel`), or one data-parallel attention rank per
 * GPU with expert parallelism (`--data-parallel N --expert-parallel`).
 */
export type MoeParallel = 'tensor' | 'expert' | 'data';

/** Most weights formats compared side by side (a row of cards per device group). */
export const MAX_COMPARED_FORMATS = 6;

/** The scenario every view plans: formats, context, batch, engine and safety margin. */
export const useScenarioStore = defineStore('scenario', () => {
  const weightsFormats = ref<string[]>([]);
  const kvFormat = ref(DEFAULT_KV_FORMAT);
  const contextTokens = ref(DEFAULT_CONTEXT_TOKENS);
  const batch = ref(DEFAULT_BATCH);
  const engine = ref<EngineChoice>(DEFAULT_ENGINE);
  const marginFraction = ref(DEFAULT_MARGIN_FRACTION);
  /** `headroom plan --moe-offload`: applies to llama.cpp cards only. */
  const moeOffload = ref<MoeOffloadChoice>(null);
  /** `--images`: images in each prompt; 0 = text only. */
  const images = ref(0);
  /** `--draft`: a catalog id, `mtp`, or '' for none. */
  const draft = ref('');
  /** `--swa-full`: llama.cpp's sliding-window layers keep the whole context; llama.cpp cards only. */
  const swaFull = ref(false);
  /** vLLM and SGLang cards of MoE models on several GPUs: `--expert-parallel`, `--data-parallel`. */
  const moeParallel = ref<MoeParallel>('tensor');
  // A dense model has no experts to place: whichever view is open, its cards plan with tensor
  // parallelism (core refuses the other layouts for it).
  const model = useModelStore();
  watch(
    () => model.spec?.architecture?.moe !== undefined,
    (moe) => {
      if (!moe) moeParallel.value = 'tensor';
    },
  );

  /** Sets the formats compared, dropping repeats and keeping at most MAX_COMPARED_FORMATS. */
  function setWeightsFormats(ids: readonly string[]): void {
    weightsFormats.value = [...new Set(ids)].slice(0, MAX_COMPARED_FORMATS);
  }

  function addWeightsFormat(id: string): void {
    if (!weightsFormats.value.includes(id)) setWeightsFormats([...weightsFormats.value, id]);
  }

  function removeWeightsFormat(id: string): void {
    weightsFormats.value = weightsFormats.value.filter((format) => format !== id);
  }

  function setContextTokens(tokens: number): void {
    if (Number.isInteger(tokens) && tokens >= 1) contextTokens.value = tokens;
  }

  function setBatch(sequences: number): void {
    if (Number.isInteger(sequences) && sequences >= 1) batch.value = sequences;
  }

  function setImages(count: number): void {
    if (Number.isInteger(count) && count >= 0) images.value = count;
  }

  function setMoeOffload(choice: MoeOffloadChoice): void {
    if (choice === null || choice === 'all' || (Number.isInteger(choice) && choice >= 1)) {
      moeOffload.value = choice;
    }
  }

  return {
    weightsFormats,
    kvFormat,
    contextTokens,
    batch,
    engine,
    marginFraction,
    moeOffload,
    images,
    draft,
    swaFull,
    moeParallel,
    setWeightsFormats,
    addWeightsFormat,
    removeWeightsFormat,
    setContextTokens,
    setBatch,
    setImages,
    setMoeOffload,
  };
});
