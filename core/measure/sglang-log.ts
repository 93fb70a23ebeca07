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
import {
  LAUNCH_COMMAND,
  launchCommandArgs,
  serverArgs,
  SGLANG_QUANTIZATIONS,
  type SglangArgs,
} from './sglang-args';
import type { MeasuredCategory, MeasuredRun, MeasuredSettings } from './types';

/**
 * SGLang start-up logs (`python -m sglang.launch_server …`): what each rank reports while it
 * loads the weights, allocates the KV pool and captures CUDA graphs. Its "GB" is 2^30 bytes
 * (mem_cache/memory_pool.py `GB = 1024 * 1024 * 1024`, utils get_available_gpu_memory
 * `/ (1 << 30)`). Lines and their wording, under python/sglang/srt/:
 * - model_executor/model_runner.py and model_runner_kv_cache_mixin.py: "Load weight end.
 *   type=LlamaForCausalLM, dtype=torch.bfloat16, avail mem=63.19 GB, mem usage=15.05 GB."
 *   (newer: "Load weight end. elapsed=3.21 s, type=…, [quant=fp8, fmt=e4m3, ]avail mem=…,
 *   mem usage=…"; older releases print no mem usage); "Capture cuda graph end. Time elapsed:
 *   56.90 s. mem usage=6.22 GB. avail mem=5.61 GB." and its "Capture piecewise CUDA graph end. …"
 *   and "Capture target decode CUDA graph end. elapsed=…, mem usage=…" spellings; "Using KV cache
 *   dtype: torch.float8_e4m3fn";
 * - mem_cache/memory_pool.py: "KV Cache is allocated. [dtype: torch.bfloat16, ]#tokens: 413505,
 *   K size: 25.24 GB, V size: 25.24 GB" (MHA pools) or "…, KV size: 43.67 GB" (MLA pools);
 * - managers/scheduler.py (rank 0): "max_total_num_tokens=413505, chunked_prefill_size=8192,
 *   max_prefill_tokens=16384, max_running_requests=4096, context_len=131072[,
 *   available_gpu_mem=…]".
 * Ranks prefix their lines "[2025-04-29 16:19:34 TP0]" or "[… DP1 TP1 EP1]" (none with one GPU).
 * A rank's figures of one category are added up: a speculative draft model loads weights, a KV
 * pool and CUDA graphs of its own, and a sliding-window model's two sub-pools print one line each.
 */

/** Per-GPU figures of one rank. */
type RankFigures = Partial<Record<MeasuredCategory, number>>;

interface SglangState {
  readonly ranks: Map<string, RankFigures>;
  /** Settings by source: the log's own lines outrank server_args, which outranks the command. */
  readonly command: SglangArgs;
  readonly serverArgs: SglangArgs;
  readonly logged: SglangArgs;
  kvTokens?: number;
  maxTotalTokens?: number;
  maxRunningRequests?: number;
  /** "Load weight end" lines without a mem usage (older releases). */
  unsizedWeightLines: number;
  firstLine?: number;
}

/** `[2025-04-29 16:19:34 TP0]`, `[2026-05-07 13:39:14 DP1 TP1 EP1]`, `[23:17:01 TP7]`. */
const RANK_PREFIX = /\[(?:\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2}((?: [A-Z_]+\d+)*)\]/;

/** The rank a line is from; `main` for a line without one (a single-GPU run prints none). */
function rankOf(text: string): string {
  return RANK_PREFIX.exec(text)?.[1]?.trim() || 'main';
}

/** "Capture cuda graph end", "Capture piecewise CUDA graph end", "Capture target decode CUDA …". */
const GRAPH_END = /Capture (?:[a-z]+ )*(?:cuda|CUDA) graph end/;

/** Lines only SGLang prints: how a file is told to be an SGLang log (import.ts). */
export const SGLANG_LINES = new RegExp(
  [
    LAUNCH_COMMAND.source,
    String.raw`server_args=ServerArgs\(`,
    String.raw`Load weight (?:begin|end)\.`,
    String.raw`KV Cache is allocated\.`,
    GRAPH_END.source,
    'max_total_num_tokens=',
  ].join('|'),
);

/** "mem usage=15.05 GB" (negative when a draft model frees more than it loads). */
const MEM_USAGE = /mem usage=(-?)([0-9]+(?:\.[0-9]+)? ?GB)\b/;

/** A pattern a line is recognised by, the full form it must then have, and what it gives. */
interface Rule {
  readonly marker: RegExp;
  readonly pattern: RegExp;
  /** Context lines: a variant Headroom cannot read is skipped, not an error. */
  readonly optional?: boolean;
  readonly apply?: (match: RegExpExecArray, state: SglangState, line: LogLine) => void;
}

function addFigure(state: SglangState, line: LogLine, category: MeasuredCategory, bytes: number) {
  const key = rankOf(line.text);
  const figures = state.ranks.get(key) ?? {};
  figures[category] = (figures[category] ?? 0) + bytes;
  state.ranks.set(key, figures);
  state.firstLine ??= line.number;
}

function rules(file: string): readonly Rule[] {
  const size = (text: string, line: LogLine): number => requireSize(text, line, file);
  /** The line's "mem usage=… GB" into `category`; a mem usage that is not a size is an error. */
  const memUsage = (category: MeasuredCategory) => (state: SglangState, line: LogLine) => {
    if (!line.text.includes('mem usage=')) return false;
    const usage = MEM_USAGE.exec(line.text);
    if (!usage) throw lineError(file, line, `SGLang's mem usage is not a size in GB`);
    const bytes = size(usage[2]!, line);
    addFigure(state, line, category, usage[1] === '-' ? -bytes : bytes);
    return true;
  };
  return [
    {
      marker: /Load weight end\./,
      pattern: /Load weight end\.(.*)$/,
      apply: (m, s, l) => {
        if (!memUsage('weights')(s, l)) s.unsizedWeightLines++;
        const quant = /quant=(\w+)(?:, fmt=(e4m3|e5m2))?/.exec(m[1]!);
        if (quant?.[1] === 'fp8' && quant[2]) s.logged.weightsFormat ??= `fp8_${quant[2]}`;
        else if (quant && SGLANG_QUANTIZATIONS[quant[1]!]) {
          s.logged.weightsFormat ??= SGLANG_QUANTIZATIONS[quant[1]!];
        } else if (quant) s.logged.unknownQuantization ??= quant[1];
      },
    },
    {
      marker: /KV Cache is allocated/,
      pattern:
        /KV Cache is allocated\. (?:dtype: (torch\.\w+), )?#tokens: ([0-9]+), (?:K size: ([0-9.]+ ?GB), V size: ([0-9.]+ ?GB)|KV size: ([0-9.]+ ?GB))/,
      apply: (m, s, l) => {
        const bytes = m[5] ? size(m[5], l) : size(m[3]!, l) + size(m[4]!, l);
        addFigure(s, l, 'kvCache', bytes);
        s.kvTokens ??= Number(m[2]);
        if (m[1] && TORCH_DTYPE_FORMATS[m[1]]) s.logged.kvFormat ??= TORCH_DTYPE_FORMATS[m[1]];
      },
    },
    {
      marker: GRAPH_END,
      pattern: /graph end\./,
      apply: (_m, s, l) => void memUsage('cudaGraphs')(s, l),
    },
    {
      marker: /Using KV cache dtype/,
      pattern: /Using KV cache dtype: (torch\.\w+)/,
      optional: true,
      apply: (m, s) => {
        if (TORCH_DTYPE_FORMATS[m[1]!]) s.logged.kvFormat ??= TORCH_DTYPE_FORMATS[m[1]!];
      },
    },
    {
      marker: /max_total_num_tokens=/,
      pattern: /max_total_num_tokens=([0-9]+)\b/,
      apply: (m, s, l) => {
        if (s.maxTotalTokens !== undefined) return;
        s.maxTotalTokens = Number(m[1]);
        const value = (name: string) =>
          numberOf(new RegExp(`${name}=([0-9]+)`).exec(l.text)?.[1] ?? '');
        s.maxRunningRequests = value('max_running_requests') ?? undefined;
        const context = value('context_len');
        if (context !== null) s.logged.contextTokens = context;
      },
    },
    {
      marker: /server_args=ServerArgs\(/,
      pattern: /server_args=ServerArgs\(.*/,
      optional: true,
      apply: (m, s) => Object.assign(s.serverArgs, serverArgs(m[0])),
    },
    {
      // Start-up milestones with no figure of their own: a log that stops after them is cut short.
      marker: /Load weight begin\.|Memory pool end\.|Capture (?:[a-z]+ )*(?:cuda|CUDA) graph begin/,
      pattern: /./,
    },
  ];
}

/**
 * Reads an SGLang start-up log.
 *
 * @param text the log (the server's stdout/stderr as captured; a launch command in it is read too)
 * @param file its name, for the run's source and for errors
 * @returns one run: per category the bytes all ranks reported together
 * @throws HeadroomError BAD_FILE naming the line a known message did not read as expected, or
 *   the last line when the log stops before SGLang reported any memory figure
 * @example parseSglangLog('… KV Cache is allocated. #tokens: 10000, KV size: 0.65 GB', 'serve.log').memoryBytes.kvCache
 */
export function parseSglangLog(text: string, file: string): MeasuredRun {
  const lines = logLines(text);
  const state: SglangState = {
    ranks: new Map(),
    command: {},
    serverArgs: {},
    logged: {},
    unsizedWeightLines: 0,
  };
  let recognised = false;
  const known = rules(file);
  for (const [index, line] of lines.entries()) {
    if (LAUNCH_COMMAND.test(line.text)) {
      Object.assign(state.command, launchCommandArgs(lines, index));
      recognised = true;
      continue;
    }
    for (const rule of known) {
      if (!rule.marker.test(line.text)) continue;
      const match = rule.pattern.exec(line.text);
      if (!match) {
        if (rule.optional) continue;
        const marker = rule.marker.exec(line.text)![0];
        throw lineError(file, line, `SGLang's "${marker}" message is not in a form Headroom reads`);
      }
      recognised = true;
      rule.apply?.(match, state, line);
      break;
    }
  }
  if (state.ranks.size === 0) {
    if (state.unsizedWeightLines > 0) {
      throw lineError(
        file,
        lastLine(lines),
        `its "Load weight end" lines state no mem usage (an older SGLang) and no KV cache or CUDA graph size follows; nothing was imported`,
      );
    }
    if (recognised) {
      throw lineError(
        file,
        lastLine(lines),
        'the log ends before SGLang reported any memory (weights, KV cache or CUDA graphs); nothing was imported',
      );
    }
    throw new HeadroomError(
      'BAD_FILE',
      `${file}: no line reads as an SGLang start-up message ("Load weight end. … mem usage=…", "KV Cache is allocated. …")`,
    );
  }
  return runOf(state, file);
}

/** The settings of every source, the log's own lines outranking server_args and the command. */
function settingsOf(state: SglangState): {
  settings: MeasuredSettings;
  model: string | null;
  quantization: string | undefined;
} {
  // Each source holds only the fields it states (sglang-args.ts), so a later one overrides.
  const { model, unknownQuantization, ...settings } = {
    ...state.command,
    ...state.serverArgs,
    ...state.logged,
  };
  return {
    settings: { mode: 'inference', ...settings },
    model: model ?? null,
    quantization: unknownQuantization,
  };
}

function runOf(state: SglangState, file: string): MeasuredRun {
  const { settings, model, quantization } = settingsOf(state);
  const notes: string[] = [];
  const ranks = [...state.ranks.values()];
  const tp = settings.tensorParallel ?? 1;
  // One rank printed: the others hold the same shard sizes (tensor parallel splits evenly).
  const deviceCount = ranks.length === 1 && tp > 1 ? tp : ranks.length;
  if (ranks.length === 1 && tp > 1) notes.push(`one rank's figures, times tp_size ${tp}`);
  const totals: Partial<Record<MeasuredCategory, number>> = {};
  const categories = new Set(
    ranks.flatMap((figures) => Object.keys(figures)),
  ) as Set<MeasuredCategory>;
  for (const category of categories) {
    const printed = ranks.filter((figures) => figures[category] !== undefined);
    const sum = printed.reduce((total, figures) => total + figures[category]!, 0);
    totals[category] = Math.round((sum * deviceCount) / Math.max(printed.length, 1));
    if (ranks.length > 1 && printed.length < ranks.length) {
      notes.push(
        `${category}: ${printed.length} of ${ranks.length} ranks printed it; the others are taken to hold as much`,
      );
    }
  }
  if (state.unsizedWeightLines > 0) {
    notes.push(
      `${state.unsizedWeightLines} "Load weight end" line(s) state no mem usage (an older SGLang): those weights are not in the figures`,
    );
  }
  if (quantization) {
    notes.push(`weights quantized with ${quantization}: Headroom has no format id for it`);
  }
  const kvTokens = state.maxTotalTokens ?? state.kvTokens;
  if (kvTokens !== undefined) notes.push(`KV cache holds ${kvTokens} tokens`);
  if (state.maxRunningRequests !== undefined) {
    notes.push(`at most ${state.maxRunningRequests} requests run at once (max_running_requests)`);
  }
  notes.push(
    'SGLang gives the KV cache what --mem-fraction-static leaves after the weights, not what the context needs',
  );
  return {
    id: `${file}#${state.firstLine ?? 1}`,
    format: 'sglang-log',
    engine: 'sglang',
    model,
    device: null,
    deviceCount,
    settings,
    memoryBytes: totals,
    speed: {},
    source: { file, line: state.firstLine ?? 1 },
    notes,
  };
}
