/**
 * An Ollama Modelfile for an inference plan made with `--engine llama.cpp` (Ollama runs
 * llama.cpp's server and passes `num_gpu` to it as `-ngl`: ollama llm/llama_server.go).
 * Instructions and parameters from docs/modelfile.mdx; `num_gpu` from api/types.go (Runner).
 */
import { HeadroomError } from '../errors';
import { provenance } from './common';
import { ggufFileName, llamaCppLayout } from './llama-cpp';
import type { LaunchInput, LaunchSettings } from './types';

/**
 * KV formats Ollama's OLLAMA_KV_CACHE_TYPE takes (docs/faq.mdx: f16, q8_0, q4_0); it is a
 * server-wide variable, so it goes in a comment, not in the Modelfile.
 */
const OLLAMA_KV_CACHE_TYPES: Readonly<Record<string, string>> = {
  fp16: 'f16',
  q8_0: 'q8_0',
  q4_0: 'q4_0',
};

/**
 * The settings: a Modelfile with FROM, `num_ctx` (tokens per sequence: Ollama gives the runner
 * num_ctx × OLLAMA_NUM_PARALLEL, llm/llama_server.go) and `num_gpu` (layers on the GPUs).
 */
export function ollamaSettings(input: LaunchInput): LaunchSettings {
  const layout = llamaCppLayout(input, 'ollama');
  const s = layout.plan.scenario;
  const kvType = OLLAMA_KV_CACHE_TYPES[s.kvFormat];
  if (!kvType) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `Ollama keeps the KV cache in f16, q8_0 or q4_0 (OLLAMA_KV_CACHE_TYPE), not ${s.kvFormat}: plan with --kv fp16, q8_0 or q4_0.`,
    );
  }
  const server: string[] = [];
  if (s.batch > 1) server.push(`OLLAMA_NUM_PARALLEL=${s.batch}`);
  if (kvType !== 'f16') server.push(`OLLAMA_KV_CACHE_TYPE=${kvType}`, 'OLLAMA_FLASH_ATTENTION=1');
  const notes = [...layout.notes];
  const comments = [
    `FROM: the GGUF file of ${layout.plan.model.id} in ${s.weightsFormat.toUpperCase()}.`,
  ];
  if (server.length > 0) {
    const line = `Server-wide, not per model: start the server with ${server.join(' ')} ollama serve`;
    comments.push(line);
    notes.push(line);
  }
  if (layout.tensorSplit) {
    const line = `Ollama splits the ${layout.gpuLayers} GPU layers over the GPUs itself; the plan puts ${layout.tensorSplit.join(', ')} layers on them.`;
    comments.push(line);
    notes.push(line);
  }
  if (layout.plan.memory.speculative) {
    const line = `Ollama has no draft-model setting: the plan counts ${layout.plan.memory.speculative.model} as a draft, Ollama will not load it.`;
    comments.push(line);
    notes.push(line);
  }
  // Image tokens fill the context like text tokens (core/plan/image-tokens.ts).
  const imageTokens = layout.plan.memory.multimodal?.imageTokens ?? 0;
  const text = [
    `# ${provenance(input)}`,
    ...comments.map((comment) => `# ${comment}`),
    `FROM ./${ggufFileName(layout.plan)}`,
    `PARAMETER num_ctx ${s.contextTokens + imageTokens}`,
    `PARAMETER num_gpu ${layout.gpuLayers}`,
    '',
  ].join('\n');
  return { engine: 'ollama', syntax: 'modelfile', fileName: 'Modelfile', text, notes };
}
