import { HeadroomError } from '../errors';
import { parseLlamaBenchJson, parseLlamaBenchMarkdown } from './llama-bench';
import { parseLlamaLog } from './llama-log';
import { parseMeasureGpuJsonl } from './measure-gpu';
import { parseNvidiaSmiCsv } from './nvidia-smi-csv';
import { parseOllamaLog } from './ollama-log';
import { parsePytorchMemory } from './pytorch-memory';
import { parseSglangLog, SGLANG_LINES } from './sglang-log';
import type { MeasuredRun, MeasureFormat } from './types';
import { parseVllmLog } from './vllm-log';

/** Which parser reads a file: the format is told by what the text holds, not by its name. */
export function detectMeasureFormat(text: string): MeasureFormat | null {
  const trimmed = text.trimStart();
  const firstLine = trimmed.split('\n', 1)[0] ?? '';
  if (trimmed.startsWith('[') && /"avg_ts"|"n_prompt"/.test(text)) return 'llama-bench-json';
  if (trimmed.startsWith('{')) {
    if (/"kind"\s*:/.test(firstLine)) return 'measure-gpu-jsonl';
    if (/"avg_ts"|"n_prompt"/.test(firstLine)) return 'llama-bench-json';
  }
  if (/PyTorch CUDA memory summary, device ID|max_memory_(reserved|allocated)\b/.test(text)) {
    return 'pytorch-memory';
  }
  if (/^\s*\|\s*model\s*\|.*\|\s*t\/s\s*\|/m.test(text)) return 'llama-bench-markdown';
  if (/msg=offload\b|msg="offload to |level=\w+ source=\w+\.go:\d+/.test(text)) return 'ollama-log';
  if (/buffer size\s*=\s*[0-9.]+ MiB|load_tensors:|llama_model_loader:/.test(text)) {
    return 'llama-log';
  }
  // Before vLLM: SGLang imports vLLM's platform plugins and can name vllm in its log.
  if (SGLANG_LINES.test(text)) return 'sglang-log';
  if (
    /vllm|Model loading took|Loading model weights took|Available KV cache memory|# GPU blocks|Maximum concurrency for|LLM engine/.test(
      text,
    ) ||
    /vllm/i.test(text)
  ) {
    return 'vllm-log';
  }
  if (/memory\.used/.test(firstLine) || /^\s*[0-9]+(\s*MiB)?\s*$/.test(firstLine)) {
    return 'nvidia-smi-csv';
  }
  return null;
}

/**
 * Reads one file of any supported format into measured runs. All or nothing: a line a parser
 * does not understand, or a log cut short, is an error naming it, and no run is returned.
 *
 * @param text the file's text
 * @param file its name (kept as each run's source)
 * @throws HeadroomError BAD_FILE naming the line (or the first line, when no format fits)
 * @example parseMeasuredFile(vllmLog, 'serve.log')[0].engine // 'vllm'
 */
export function parseMeasuredFile(text: string, file: string): MeasuredRun[] {
  const format = detectMeasureFormat(text);
  switch (format) {
    case 'vllm-log':
      return [parseVllmLog(text, file)];
    case 'sglang-log':
      return [parseSglangLog(text, file)];
    case 'llama-log':
      return [parseLlamaLog(text, file)];
    case 'llama-bench-markdown':
      return parseLlamaBenchMarkdown(text, file);
    case 'llama-bench-json':
      return parseLlamaBenchJson(text, file);
    case 'ollama-log':
      return [parseOllamaLog(text, file)];
    case 'nvidia-smi-csv':
      return [parseNvidiaSmiCsv(text, file)];
    case 'measure-gpu-jsonl':
      return parseMeasureGpuJsonl(text, file);
    case 'pytorch-memory':
      return [parsePytorchMemory(text, file)];
    case null: {
      const first = text.split('\n').find((line) => line.trim() !== '') ?? '';
      throw new HeadroomError(
        'BAD_FILE',
        `${file}: not a format Headroom reads (vLLM, SGLang, llama.cpp or Ollama log, llama-bench, nvidia-smi CSV, measure_gpu.py JSON lines, torch.cuda.memory_summary()); line 1 reads "${first.trim().slice(0, 120)}"`,
      );
    }
  }
}
