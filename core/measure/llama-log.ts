import { HeadroomError } from '../errors';
import { getFormat } from '../formats/catalog';
import { lastLine, lineError, logLines, requireSize, type LogLine } from './log-lines';
import type { MeasuredCategory, MeasuredRun, MeasuredSettings } from './types';

/**
 * llama.cpp logs (llama-cli, llama-server, and the runner inside Ollama): the buffers it
 * allocates per backend device while loading. Wording by source file and release:
 * - src/llama-model.cpp load_tensors (older: llm_load_tensors): "offloaded 31/31 layers to GPU",
 *   "CUDA0 model buffer size = 7317.71 MiB" (older: "CUDA0 buffer size = …");
 * - src/llama-kv-cache*.cpp (older: llama_kv_cache_init): "CUDA0 KV buffer size = 180.00 MiB";
 * - src/llama-context.cpp (older: llama_new_context_with_model): "n_ctx = 4096", "n_seq_max = 8",
 *   "CUDA0 compute buffer size = 105.00 MiB", "CUDA_Host output buffer size = 0.19 MiB".
 * Sizes are MiB (`/ 1024.0 / 1024.0`). CPU, CPU_Mapped, CPU_REPACK and CUDA_Host buffers are in
 * system RAM; every other buffer (CUDA0, ROCm0, Metal, Vulkan0, SYCL0 …) is on a GPU.
 */

const HOST_BUFFERS = /^(CPU|CPU_Mapped|CPU_REPACK|CUDA_Host|ROCm_Host|AMX|CPU_AARCH64)$/i;

interface LlamaState {
  /** bytes per (device, category): a buffer printed twice is the same buffer. */
  readonly gpu: Map<string, number>;
  readonly gpuDevices: Set<string>;
  readonly host: Map<string, number>;
  settings: { -readonly [K in keyof MeasuredSettings]: MeasuredSettings[K] };
  model: string | null;
  device: string | null;
  firstLine?: number;
  sawWeights: boolean;
  sawContext: boolean;
}

/** GGUF file-type names as print_info writes them ("Q4_K - Medium") as format ids (q4_k_m). */
export function ggufFileTypeId(text: string): string | null {
  const match = /^([A-Z0-9_]+?)(?:\s*-\s*(Small|Medium|Large|Extra Small|Extra Large))?$/i.exec(
    text.trim(),
  );
  if (!match) return null;
  const suffix: Readonly<Record<string, string>> = {
    small: '_s',
    medium: '_m',
    large: '_l',
    'extra small': '_xs',
    'extra large': '_xl',
  };
  const id = `${match[1]!.toLowerCase()}${match[2] ? suffix[match[2].toLowerCase()] : ''}`;
  return getFormat(id)?.id ?? null;
}

const BUFFER = /(\S+)\s+(model |KV |compute |output )?buffer size\s*=\s*([0-9.]+ MiB)/;

function buffer(line: LogLine, state: LlamaState, file: string): void {
  const match = BUFFER.exec(line.text);
  if (!match) throw lineError(file, line, 'a llama.cpp buffer size Headroom cannot read');
  const [, device, kind, size] = match;
  const bytes = requireSize(size!, line, file);
  const category: MeasuredCategory =
    kind === 'KV '
      ? 'kvCache'
      : kind === 'compute ' || kind === 'output '
        ? 'activations'
        : 'weights';
  // "ggml ctx size" and the graph's meta buffers are bookkeeping, not device memory.
  if (category === 'weights' && !/load_tensors|llm_load_tensors/.test(line.text)) return;
  const key = `${device}|${kind ?? 'model '}`;
  state.firstLine ??= line.number;
  if (category === 'weights') state.sawWeights = true;
  else state.sawContext = true;
  if (HOST_BUFFERS.test(device!)) {
    state.host.set(key, bytes);
    return;
  }
  state.gpu.set(`${category}|${key}`, bytes);
  state.gpuDevices.add(device!);
}

function contextField(line: LogLine, state: LlamaState): void {
  const match = /\b(n_ctx|n_ctx_per_seq|n_seq_max)\s*=\s*([0-9]+)/.exec(line.text);
  if (!match) return;
  const value = Number(match[2]);
  if (match[1] === 'n_seq_max') state.settings.batch = value;
  else if (match[1] === 'n_ctx_per_seq') state.settings.contextTokens = value;
  else if (state.settings.contextTokens === undefined || state.settings.batch === undefined) {
    state.settings.contextTokens = value;
  }
}

/**
 * Reads a llama.cpp log (llama-cli, llama-server, Ollama's runner).
 *
 * @returns one run: GPU buffers per category summed over the devices, CPU-side buffers apart
 * @throws HeadroomError BAD_FILE naming a buffer or offload line it cannot read, or the last
 *   line when the log stops after the weights and before the context's buffers
 * @example parseLlamaLog(text, 'server.log').memoryBytes.kvCache
 */
export function parseLlamaLog(text: string, file: string): MeasuredRun {
  const lines = logLines(text);
  const state: LlamaState = {
    gpu: new Map(),
    gpuDevices: new Set(),
    host: new Map(),
    settings: { mode: 'inference' },
    model: null,
    device: null,
    sawWeights: false,
    sawContext: false,
  };
  for (const line of lines) {
    const text = line.text;
    if (text.includes('buffer size =') || text.includes('buffer size=')) buffer(line, state, file);
    else if (/offloaded .* layers to GPU/.test(text)) {
      const match = /offloaded (\d+)\/(\d+) layers to GPU/.exec(text);
      if (!match) throw lineError(file, line, 'an offload line Headroom cannot read');
      state.settings.gpuLayers = Number(match[1]);
      state.settings.totalLayers = Number(match[2]);
    } else if (
      /(llama_context|llama_init_from_model|llama_new_context_with_model): n_/.test(text)
    ) {
      contextField(line, state);
    } else if (/(file type|model ftype)\s*=/.test(text)) {
      const id = ggufFileTypeId(text.split('=')[1] ?? '');
      if (id) state.settings.weightsFormat = id;
    } else if (/KV self size|type_k = '/.test(text)) {
      const kv = /K \(([a-z0-9_]+)\)/.exec(text)?.[1] ?? /type_k = '([a-z0-9_]+)'/.exec(text)?.[1];
      const id = kv ? getFormat(kv)?.id : undefined;
      if (id) state.settings.kvFormat = id;
    } else if (/loaded meta data with .* from (\S+)/.test(text)) {
      state.model ??= /from (\S+)/.exec(text)?.[1] ?? null;
    } else if (/^\s*(?:.*:\s+)?Device \d+: (.+?), compute capability/.test(text)) {
      state.device ??= /Device \d+: (.+?), compute capability/.exec(text)?.[1] ?? null;
    }
  }
  if (!state.sawWeights && !state.sawContext) {
    throw new HeadroomError(
      'BAD_FILE',
      `${file}: no line reads as a llama.cpp buffer ("CUDA0 model buffer size = … MiB")`,
    );
  }
  if (!state.sawContext) {
    throw lineError(
      file,
      lastLine(lines),
      'the log ends after the weights, before llama.cpp allocated the KV cache and compute buffers; nothing was imported',
    );
  }
  const memory: Partial<Record<MeasuredCategory, number>> = {};
  for (const [key, bytes] of state.gpu) {
    const category = key.split('|')[0] as MeasuredCategory;
    memory[category] = (memory[category] ?? 0) + bytes;
  }
  const gpuTotal = [...state.gpu.values()].reduce((sum, bytes) => sum + bytes, 0);
  if (gpuTotal > 0) memory.total = gpuTotal;
  const hostBytes = [...state.host.values()].reduce((sum, bytes) => sum + bytes, 0);
  const line = state.firstLine ?? 1;
  return {
    id: `${file}#${line}`,
    format: 'llama-log',
    engine: 'llama.cpp',
    model: state.model,
    device: state.device,
    deviceCount: Math.max(1, state.gpuDevices.size),
    settings: state.settings,
    memoryBytes: memory,
    ...(hostBytes > 0 ? { hostMemoryBytes: hostBytes } : {}),
    speed: {},
    source: { file, line },
    notes: [
      'total = the buffers llama.cpp allocated on the GPUs; the CUDA context and cuBLAS add a few hundred MiB that the log does not print',
    ],
  };
}
