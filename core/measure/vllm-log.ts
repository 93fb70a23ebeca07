import { HeadroomError } from '../errors';
import {
  lastLine,
  lineError,
  logLines,
  numberOf,
  requireSize,
  TORCH_DTYPE_FORMATS,
  type LogLine,
} from './log-lines';
import type { MeasuredCategory, MeasuredRun, MeasuredSettings } from './types';

/**
 * vLLM start-up logs (`vllm serve …`, `LLM(…)`): what each worker reports while it loads the
 * model, profiles a forward pass, sizes the KV cache and captures CUDA graphs. Lines and their
 * wording, by the file that prints them:
 * - vllm/v1/worker/gpu_model_runner.py: "Model loading took 12.66 GiB memory and 31.6 seconds";
 *   older releases "Loading model weights took 67.7229 GB" (2^30 bytes despite the label);
 *   "Graph capturing finished in 17 secs, took 2.02 GiB"; "Estimated CUDA graph memory: X GiB";
 * - vllm/v1/core/kv_cache_utils.py: "# GPU blocks: 1381", "GPU KV cache size: 178,880 tokens",
 *   "Maximum concurrency for 2048 tokens per request: 10.79x";
 * - vllm/v1/worker/gpu_worker.py: "Available KV cache memory: 8.11 GiB";
 * - vllm/worker/worker.py (V0): "model weights take …; non_torch_memory takes …; PyTorch
 *   activation peak memory takes …; the rest of the memory reserved for KV Cache is …".
 */

/** Per-GPU figures of one worker (tensor-parallel ranks print their own). */
type WorkerFigures = Partial<Record<MeasuredCategory, number>>;

interface VllmState {
  readonly workers: Map<string, WorkerFigures>;
  settings: { -readonly [K in keyof MeasuredSettings]: MeasuredSettings[K] };
  model: string | null;
  gpuBlocks?: number;
  kvTokens?: number;
  concurrency?: number;
  firstLine?: number;
}

/** `(Worker_TP1 pid=106)`, `(VllmWorkerProcess pid=521)`: the worker a line is from. */
function workerOf(text: string): string {
  const match = /\(([A-Za-z_0-9]+) pid=(\d+)\)/.exec(text);
  return match ? `pid ${match[2]}` : 'main';
}

/** A pattern a vLLM line is recognised by, the full form it must then have, and what it gives. */
interface Rule {
  readonly marker: string;
  readonly pattern: RegExp;
  readonly apply: (match: RegExpExecArray, state: VllmState, line: LogLine) => void;
}

const size = requireSize;

function setFigure(
  state: VllmState,
  line: LogLine,
  category: MeasuredCategory,
  bytes: number,
): void {
  const key = workerOf(line.text);
  const figures = state.workers.get(key) ?? {};
  figures[category] = bytes;
  state.workers.set(key, figures);
  state.firstLine ??= line.number;
}

function rules(file: string): readonly Rule[] {
  return [
    {
      marker: 'Model loading took',
      pattern: /Model loading took ([0-9.]+ ?(?:GiB|GB))/,
      apply: (m, s, l) => setFigure(s, l, 'weights', size(m[1]!, l, file)),
    },
    {
      marker: 'Loading model weights took',
      pattern: /Loading model weights took ([0-9.]+ ?(?:GiB|GB))/,
      apply: (m, s, l) => setFigure(s, l, 'weights', size(m[1]!, l, file)),
    },
    {
      marker: 'model weights take',
      pattern:
        /model weights take ([0-9.]+ ?GiB); non_torch_memory takes ([0-9.]+ ?GiB); PyTorch activation peak memory takes ([0-9.]+ ?GiB); the rest of the memory reserved for KV Cache is ([0-9.]+ ?GiB)/,
      apply: (m, s, l) => {
        setFigure(s, l, 'weights', size(m[1]!, l, file));
        setFigure(s, l, 'runtime', size(m[2]!, l, file));
        setFigure(s, l, 'activations', size(m[3]!, l, file));
        setFigure(s, l, 'kvCache', size(m[4]!, l, file));
      },
    },
    {
      marker: 'Available KV cache memory',
      pattern: /Available KV cache memory: ([0-9.]+ ?GiB)/,
      apply: (m, s, l) => setFigure(s, l, 'kvCache', size(m[1]!, l, file)),
    },
    {
      marker: 'Graph capturing finished',
      pattern: /Graph capturing finished in [0-9.]+ secs?, took ([0-9.]+ ?GiB)/,
      apply: (m, s, l) => setFigure(s, l, 'cudaGraphs', size(m[1]!, l, file)),
    },
    {
      marker: 'Estimated CUDA graph memory',
      pattern: /Estimated CUDA graph memory: ([0-9.]+ ?GiB)/,
      apply: (m, s, l) => setFigure(s, l, 'cudaGraphs', size(m[1]!, l, file)),
    },
    {
      marker: '# GPU blocks',
      pattern: /# GPU blocks: ([0-9,]+)/,
      apply: (m, s) => (s.gpuBlocks = numberOf(m[1]!) ?? undefined),
    },
    {
      marker: 'GPU KV cache size',
      pattern: /GPU KV cache size: ([0-9,]+) tokens/,
      apply: (m, s) => (s.kvTokens = numberOf(m[1]!) ?? undefined),
    },
    {
      marker: 'Maximum concurrency for',
      pattern: /Maximum concurrency for ([0-9,]+) tokens per request: ([0-9.]+)x/,
      apply: (m, s) => {
        s.settings.contextTokens = numberOf(m[1]!) ?? undefined;
        s.concurrency = Number(m[2]);
      },
    },
    {
      marker: 'total_gpu_memory',
      pattern: /gpu_memory_utilization \(([0-9.]+)\)/,
      apply: (m, s) => (s.settings.gpuMemoryUtilization = Number(m[1])),
    },
    {
      marker: 'LLM engine',
      pattern: /LLM engine \(v[^)]*\) with config: model='([^']+)'/,
      apply: (m, s, l) => configLine(m[1]!, l.text, s),
    },
    {
      marker: 'vllm serve ',
      pattern: /vllm serve (\S+)/,
      apply: (m, s, l) => serveCommand(m[1]!, l.text, s),
    },
  ];
}

/** `Initializing a V1 LLM engine (v0.8.3) with config: model='…', dtype=…, max_seq_len=…`. */
function configLine(model: string, text: string, state: VllmState): void {
  state.model ??= model;
  const value = (name: string): string | undefined =>
    new RegExp(`[ ,(]${name}=([^,]+)`).exec(text)?.[1];
  const dtype = value('dtype');
  const quantization = value('quantization');
  if (quantization && quantization !== 'None') state.settings.weightsFormat ??= quantization;
  else if (dtype && TORCH_DTYPE_FORMATS[dtype]) {
    state.settings.weightsFormat ??= TORCH_DTYPE_FORMATS[dtype];
  }
  const contextTokens = numberOf(value('max_seq_len') ?? '');
  if (contextTokens !== null) state.settings.contextTokens ??= contextTokens;
  const tp = numberOf(value('tensor_parallel_size') ?? '');
  if (tp !== null) state.settings.tensorParallel = tp;
}

/** `vllm serve MODEL --max-model-len 2048 --gpu-memory-utilization 0.98 --tensor-parallel-size 4`. */
function serveCommand(model: string, text: string, state: VllmState): void {
  state.model ??= model;
  const flag = (name: string): number | null =>
    numberOf(new RegExp(`--${name}[ =]([0-9.,]+)`).exec(text)?.[1] ?? '');
  const context = flag('max-model-len');
  if (context !== null) state.settings.contextTokens ??= context;
  const utilization = flag('gpu-memory-utilization');
  if (utilization !== null) state.settings.gpuMemoryUtilization ??= utilization;
  const tp = flag('tensor-parallel-size') ?? flag('tp');
  if (tp !== null) state.settings.tensorParallel ??= tp;
}

/**
 * Reads a vLLM start-up log.
 *
 * @param text the log (the server's stdout/stderr as captured)
 * @param file its name, for the run's source and for errors
 * @returns one run: per category the bytes all ranks reported together
 * @throws HeadroomError BAD_FILE naming the line a known message did not read as expected, or
 *   the last line when the log stops before vLLM reported any memory figure
 * @example parseVllmLog('… Model loading took 12.66 GiB memory …', 'serve.log').memoryBytes.weights
 */
export function parseVllmLog(text: string, file: string): MeasuredRun {
  const lines = logLines(text);
  const state: VllmState = { workers: new Map(), settings: { mode: 'inference' }, model: null };
  let recognised = false;
  for (const line of lines) {
    for (const rule of rules(file)) {
      if (!line.text.includes(rule.marker)) continue;
      const match = rule.pattern.exec(line.text);
      // The serve command and engine config lines are optional context: a variant is no error.
      if (!match) {
        if (rule.marker === 'vllm serve ' || rule.marker === 'LLM engine') continue;
        throw lineError(
          file,
          line,
          `vLLM's "${rule.marker}" message is not in a form Headroom reads`,
        );
      }
      recognised = true;
      rule.apply(match, state, line);
    }
  }
  if (state.workers.size === 0) {
    if (recognised) {
      const last = lastLine(lines);
      throw lineError(
        file,
        last,
        'the log ends before vLLM reported any memory (model loading, KV cache or CUDA graphs); nothing was imported',
      );
    }
    throw new HeadroomError(
      'BAD_FILE',
      `${file}: no line reads as a vLLM start-up message ("Model loading took …", "Available KV cache memory: …")`,
    );
  }
  return runOf(state, file);
}

function runOf(state: VllmState, file: string): MeasuredRun {
  const notes: string[] = [];
  const totals: Partial<Record<MeasuredCategory, number>> = {};
  for (const figures of state.workers.values()) {
    for (const [category, bytes] of Object.entries(figures) as [MeasuredCategory, number][]) {
      totals[category] = (totals[category] ?? 0) + bytes;
    }
  }
  const tp = state.settings.tensorParallel ?? 1;
  let deviceCount = state.workers.size;
  if (tp > state.workers.size && state.workers.size === 1) {
    // One rank printed; the others hold the same shard sizes (tensor parallel splits evenly).
    for (const category of Object.keys(totals) as MeasuredCategory[]) totals[category]! *= tp;
    deviceCount = tp;
    notes.push(`one rank's figures, times tensor_parallel_size ${tp}`);
  }
  if (state.gpuBlocks !== undefined) notes.push(`${state.gpuBlocks} GPU KV-cache blocks`);
  if (state.kvTokens !== undefined) notes.push(`KV cache holds ${state.kvTokens} tokens`);
  if (state.concurrency !== undefined) {
    notes.push(`${state.concurrency}x requests of ${state.settings.contextTokens} tokens fit`);
  }
  notes.push(
    'vLLM gives the KV cache all memory left under --gpu-memory-utilization, not what the context needs',
  );
  return {
    id: `${file}#${state.firstLine ?? 1}`,
    format: 'vllm-log',
    engine: 'vllm',
    model: state.model,
    device: null,
    deviceCount,
    settings: state.settings,
    memoryBytes: totals,
    speed: {},
    source: { file, line: state.firstLine ?? 1 },
    notes,
  };
}
