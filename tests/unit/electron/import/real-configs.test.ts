import { readdirSync } from 'node:fs';
import { mkdtemp, mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findModel } from '../../../../core/models/catalog';
import { importModelPath } from '../../../../electron/services/model-files';
import {
  describeWithShared,
  readSharedText,
  SHARED_AVAILABLE,
  SHARED_DIR,
} from '../../../helpers/shared';
import { safetensorsHeader, type SafetensorsSpec } from '../../../helpers/model-file-writers';

/**
 * Real config.json files (../shared/data/hf-configs, provenance in SOURCES.md there) imported
 * through the file pipeline must give the catalog's architecture and exact parameter count (the
 * catalog test ties those counts to the published totals).
 */
const CONFIG_DIR = 'data/hf-configs';
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'headroom-real-configs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/**
 * SOURCES.md in the shared folder: its copy of DeepSeek-V2-Lite's config dropped the file's
 * `"q_lora_rank": null`; restored here as the real file has it.
 */
const RESTORED_KEYS: Readonly<Record<string, Record<string, unknown>>> = {
  'deepseek-ai__DeepSeek-V2-Lite.json': { q_lora_rank: null },
};

/** "meta-llama__Llama-2-7b-hf.json" → the catalog entry for meta-llama/Llama-2-7b-hf, if any. */
/** The catalog entry of a config file's model: its own id only, not a variant resolved to its base. */
function catalogFor(file: string) {
  const id = file.replace(/\.json$/, '').replace('__', '/');
  const found = findModel(id);
  return found?.id === id ? found : undefined;
}

const files = SHARED_AVAILABLE
  ? readdirSync(join(SHARED_DIR, CONFIG_DIR)).filter(
      (file) => file.endsWith('.json') && catalogFor(file),
    )
  : [];

describeWithShared('importing the real config.json of every catalog architecture', () => {
  it('covers llama, mistral, mixtral, qwen2/3/3-moe, gemma2/3, phi3, deepseek, gpt-oss, opt, bloom, falcon, gpt2', () => {
    const families = new Set(files.map((file) => catalogFor(file)!.architecture!.family));
    for (const family of [
      'llama',
      'mistral',
      'mixtral',
      'qwen2',
      'qwen3',
      'qwen3_moe',
      'gemma2',
      'phi3',
      'deepseek_v3',
      'gpt_oss',
      'opt',
      'bloom',
      'falcon',
      'gpt2',
    ]) {
      expect(families, family).toContain(family);
    }
  });

  it.each(files)('%s imports with the catalog architecture and parameter count', async (file) => {
    const dir = join(root, file);
    await mkdir(dir);
    const json = {
      ...(JSON.parse(readSharedText(join(CONFIG_DIR, file))) as object),
      ...RESTORED_KEYS[file],
    };
    await writeFile(join(dir, 'config.json'), JSON.stringify(json));
    const model = await importModelPath(dir);
    const catalog = catalogFor(file)!;
    expect(model.spec.params).toBe(catalog.params);
    expect(model.spec.activeParams).toBe(catalog.activeParams);
    expect(model.spec.architecture).toEqual(catalog.architecture);
  });

  it('reads Llama-2-7B from config.json and sparse fp16 shards: 6 738 415 616 parameters, 2 bytes each', async () => {
    // Tensor names and shapes as in meta-llama/Llama-2-7b-hf's model.safetensors.index.json
    // (transformers LlamaForCausalLM); 6 738 415 616 is the count keras-hub's llama2_7b_en lists.
    const [hidden, ffn, vocab] = [4096, 11008, 32000];
    const tensors: SafetensorsSpec[] = [
      { name: 'model.embed_tokens.weight', dtype: 'F16', shape: [vocab, hidden] },
    ];
    for (let l = 0; l < 32; l++) {
      const p = `model.layers.${l}`;
      for (const proj of ['q', 'k', 'v', 'o'])
        tensors.push({
          name: `${p}.self_attn.${proj}_proj.weight`,
          dtype: 'F16',
          shape: [hidden, hidden],
        });
      tensors.push(
        { name: `${p}.mlp.gate_proj.weight`, dtype: 'F16', shape: [ffn, hidden] },
        { name: `${p}.mlp.up_proj.weight`, dtype: 'F16', shape: [ffn, hidden] },
        { name: `${p}.mlp.down_proj.weight`, dtype: 'F16', shape: [hidden, ffn] },
        { name: `${p}.input_layernorm.weight`, dtype: 'F16', shape: [hidden] },
        { name: `${p}.post_attention_layernorm.weight`, dtype: 'F16', shape: [hidden] },
      );
    }
    tensors.push(
      { name: 'model.norm.weight', dtype: 'F16', shape: [hidden] },
      { name: 'lm_head.weight', dtype: 'F16', shape: [vocab, hidden] },
    );
    const dir = join(root, 'Llama-2-7b-hf');
    await mkdir(dir);
    await writeFile(
      join(dir, 'config.json'),
      readSharedText(join(CONFIG_DIR, 'meta-llama__Llama-2-7b-hf.json')),
    );
    const shards = [tensors.slice(0, 150), tensors.slice(150)];
    const weightMap: Record<string, string> = {};
    for (const [i, part] of shards.entries()) {
      const name = `model-0000${i + 1}-of-00002.safetensors`;
      for (const tensor of part) weightMap[tensor.name] = name;
      const { header, dataBytes } = safetensorsHeader(part);
      await writeFile(join(dir, name), header);
      await truncate(join(dir, name), header.length + dataBytes);
    }
    await writeFile(
      join(dir, 'model.safetensors.index.json'),
      JSON.stringify({ weight_map: weightMap }),
    );
    const model = await importModelPath(dir);
    expect(model.spec.params).toBe(6_738_415_616);
    expect(model.weights?.bytes).toBe(2 * 6_738_415_616);
    expect(model.spec.publishedFormat).toBe('fp16');
    expect(model.warnings).toEqual([]);
  });
});
