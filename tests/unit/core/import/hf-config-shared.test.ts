import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { parseHfConfig } from '../../../../core/import/hf-config';
import { findModel, MODEL_IDS } from '../../../../core/models/catalog';
import { describeWithShared, readSharedJson, SHARED_DIR } from '../../../helpers/shared';

/**
 * The catalog's hand-transcribed architectures must equal what parseHfConfig reads from the
 * real config.json files in ../shared/data/hf-configs (provenance in SOURCES.md there).
 */
const CONFIG_DIR = 'data/hf-configs';

/** Catalog id → the shared files that hold its config (variants with identical architecture). */
const SHARED_CONFIGS: Readonly<Record<string, readonly string[]>> = {
  'meta-llama/Llama-2-7b-hf': ['meta-llama__Llama-2-7b-hf.json'],
  'meta-llama/Llama-2-13b-hf': ['meta-llama__Llama-2-13b-hf.json'],
  'meta-llama/Llama-2-70b-hf': [
    'meta-llama__Llama-2-70b-hf.json',
    'meta-llama__Llama-2-70b-chat-hf.json',
  ],
  'meta-llama/Meta-Llama-3-8B': ['meta-llama__Meta-Llama-3-8B.json'],
  'meta-llama/Meta-Llama-3-70B': ['meta-llama__Meta-Llama-3-70B.json'],
  'meta-llama/Llama-3.1-8B': ['meta-llama__Llama-3.1-8B.json'],
  'meta-llama/Llama-3.1-70B': ['meta-llama__Llama-3.1-70B.json'],
  'meta-llama/Llama-3.1-405B': ['meta-llama__Llama-3.1-405B.json'],
  // SOURCES.md: the base config differs from the Instruct one only in eos_token_id.
  'meta-llama/Llama-3.2-1B': ['meta-llama__Llama-3.2-1B-Instruct.json'],
  'meta-llama/Llama-3.2-3B': [
    'meta-llama__Llama-3.2-3B.json',
    'meta-llama__Llama-3.2-3B-Instruct.json',
  ],
  // SOURCES.md: the base TinyLlama-1.1B checkpoints share the Chat-v1.0 architecture.
  'TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T': [
    'TinyLlama__TinyLlama-1.1B-Chat-v1.0.json',
  ],
  // SOURCES.md: base SmolLM2-1.7B has the Instruct model's architecture.
  'HuggingFaceTB/SmolLM2-1.7B': ['HuggingFaceTB__SmolLM2-1.7B-Instruct.json'],
  'mistralai/Mistral-7B-v0.1': ['mistralai__Mistral-7B-v0.1.json'],
  'mistralai/Mixtral-8x7B-v0.1': ['mistralai__Mixtral-8x7B-v0.1.json'],
  'mistralai/Mixtral-8x22B-v0.1': ['mistralai__Mixtral-8x22B-v0.1.json'],
  'Qwen/Qwen2.5-0.5B': ['Qwen__Qwen2.5-0.5B.json'],
  'Qwen/Qwen2.5-1.5B': ['Qwen__Qwen2.5-1.5B.json'],
  'Qwen/Qwen2.5-7B': ['Qwen__Qwen2.5-7B.json'],
  'Qwen/Qwen2.5-14B': ['Qwen__Qwen2.5-14B.json'],
  'Qwen/Qwen2.5-32B': ['Qwen__Qwen2.5-32B.json', 'Qwen__Qwen2.5-32B-Instruct.json'],
  'Qwen/Qwen3-8B': ['Qwen__Qwen3-8B.json'],
  'Qwen/Qwen3-30B-A3B': ['Qwen__Qwen3-30B-A3B.json'],
  'Qwen/Qwen3-235B-A22B': ['Qwen__Qwen3-235B-A22B.json'],
  'google/gemma-2-2b': ['google__gemma-2-2b.json'],
  'google/gemma-2-9b': ['google__gemma-2-9b.json'],
  'google/gemma-2-27b': ['google__gemma-2-27b.json'],
  'microsoft/Phi-3-mini-4k-instruct': ['microsoft__Phi-3-mini-4k-instruct.json'],
  'microsoft/phi-4': ['microsoft__phi-4.json'],
  'deepseek-ai/DeepSeek-V3': ['deepseek-ai__DeepSeek-V3.json'],
  'deepseek-ai/DeepSeek-V2-Lite': ['deepseek-ai__DeepSeek-V2-Lite.json'],
  'openai/gpt-oss-20b': ['openai__gpt-oss-20b.json'],
  'openai/gpt-oss-120b': ['openai__gpt-oss-120b.json'],
  'facebook/opt-13b': ['facebook__opt-13b.json'],
  'bigscience/bloom': ['bigscience__bloom.json'],
  // The original RefinedWebModel config and the current transformers-format one (Instruct).
  'tiiuae/falcon-7b': ['tiiuae__falcon-7b__RW-original.json', 'tiiuae__falcon-7b-instruct.json'],
  'tiiuae/falcon-40b': ['tiiuae__falcon-40b.json'],
  'openai-community/gpt2': ['openai-community__gpt2.json'],
};

/**
 * Keys the shared copies lack that the real files have (SOURCES.md): the mlc-llm transcription
 * of DeepSeek-V2-Lite dropped `"q_lora_rank": null`.
 */
const RESTORED_KEYS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'deepseek-ai__DeepSeek-V2-Lite.json': { q_lora_rank: null },
};

/**
 * Shared copies whose torch_dtype is not the catalog model's published one (SOURCES.md): the
 * Meta-Llama-3-70B copy is a float16 re-save of a bfloat16 original; the OPT and BLOOM copies
 * have no torch_dtype; TinyLlama Chat v1.0 is a bf16 fine-tune of the float32 base checkpoint.
 */
const FORMAT_NOT_IN_COPY = new Set([
  'meta-llama__Meta-Llama-3-70B.json',
  'facebook__opt-13b.json',
  'bigscience__bloom.json',
  'TinyLlama__TinyLlama-1.1B-Chat-v1.0.json',
]);

function readConfig(file: string): unknown {
  const json = readSharedJson(`${CONFIG_DIR}/${file}`) as Record<string, unknown>;
  return { ...json, ...RESTORED_KEYS[file] };
}

describeWithShared('catalog architectures equal parseHfConfig(real config.json)', () => {
  const cases = Object.entries(SHARED_CONFIGS).flatMap(([id, files]) =>
    files.map((file) => [id, file] as const),
  );

  it.each(cases)('%s ← %s', (id, file) => {
    const model = findModel(id);
    expect(model?.id, `${id} is in the catalog`).toBe(id);
    const parsed = parseHfConfig(readConfig(file), file);
    expect(parsed.architecture).toEqual(model?.architecture);
    if (!FORMAT_NOT_IN_COPY.has(file)) expect(parsed.publishedFormat).toBe(model?.publishedFormat);
  });

  it('covers every catalog model whose config is in ../shared under its own name', () => {
    const withFile = MODEL_IDS.filter((id) =>
      existsSync(resolve(SHARED_DIR, CONFIG_DIR, `${id.replace('/', '__')}.json`)),
    );
    expect(withFile.filter((id) => !(id in SHARED_CONFIGS))).toEqual([]);
  });

  it('reads the partial DeepSeek-V2-Lite copy as it stands, warning about q_lora_rank', () => {
    const raw = readSharedJson(`${CONFIG_DIR}/deepseek-ai__DeepSeek-V2-Lite.json`);
    const parsed = parseHfConfig(raw, 'deepseek-ai__DeepSeek-V2-Lite.json');
    expect(parsed.architecture.mla?.qLoraRank).toBe(1536);
    expect(parsed.warnings.join(' ')).toContain('q_lora_rank is absent');
  });

  it('reads every Gemma 3 config in ../shared as a text model with the transformers defaults', () => {
    for (const file of [
      'google__gemma-3-4b-it.json',
      'google__gemma-3-27b-it.json',
      'google__gemma-3-12b-pt__mlx-4bit.json',
    ]) {
      const parsed = parseHfConfig(readSharedJson(`${CONFIG_DIR}/${file}`), file);
      expect(parsed.architecture).toMatchObject({
        family: 'gemma3',
        vocabSize: 262208,
        normsPerLayer: 4,
        qkNorm: true,
      });
      expect(parsed.publishedFormat).toBe('bf16');
    }
  });
});
