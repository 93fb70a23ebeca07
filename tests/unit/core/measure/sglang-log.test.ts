import { describe, expect, it } from 'vitest';
import { detectMeasureFormat, parseMeasuredFile } from '../../../../core/measure/import';
import { GIB } from '../../../../core/measure/types';
import { failure, fixture, parse } from './fixtures';

describe('SGLang start-up logs', () => {
  // SGLang's "GB" is 2^30 bytes (mem_cache/memory_pool.py GB = 1024 * 1024 * 1024).
  it('scales one rank of a tensor-parallel Qwen3 MoE by --tp (vllm-project/vllm#21348)', () => {
    // https://github.com/vllm-project/vllm/issues/21348 (SGLang's KV line and launch command)
    const [run] = parse('sglang-qwen3-235b-tp4-kv.log');
    expect(run!.format).toBe('sglang-log');
    expect(run!.engine).toBe('sglang');
    expect(run!.model).toBe('/path/to/Qwen3-235B-A22B-FP8');
    expect(run!.deviceCount).toBe(4);
    // K size 8.23 GB + V size 8.23 GB on each of 4 ranks
    expect(run!.memoryBytes.kvCache).toBe(4 * 2 * Math.round(8.23 * GIB));
    expect(run!.settings).toMatchObject({ tensorParallel: 4, memFractionStatic: 0.93 });
    expect(run!.notes).toContain("one rank's figures, times tp_size 4");
    expect(run!.notes).toContain('KV cache holds 367404 tokens');
    expect(run!.source).toEqual({ file: 'sglang-qwen3-235b-tp4-kv.log', line: 2 });
  });

  it('sums the weights of four DP-attention ranks, one printed after a progress bar (sgl-project/sglang#17392)', () => {
    // https://github.com/sgl-project/sglang/pull/17392 (the excerpt stops before DP3's KV line)
    const [run] = parse('sglang-qwen3-moe-dp4-weights-kv.log');
    expect(run!.deviceCount).toBe(4);
    expect(run!.memoryBytes.weights).toBe(4 * Math.round(16.39 * GIB));
    // Three ranks printed K 47.12 GB + V 47.12 GB; the fourth is taken to hold as much.
    expect(run!.memoryBytes.kvCache).toBe(4 * 2 * Math.round(47.12 * GIB));
    expect(run!.notes).toContain(
      'kvCache: 3 of 4 ranks printed it; the others are taken to hold as much',
    );
    expect(run!.settings.kvFormat).toBe('bf16');
    expect(run!.notes).toContain('KV cache holds 1029388 tokens');
    expect(run!.source.line).toBe(1);
  });

  it("reads an MLA model's KV size on two ranks and a command continued with \\ (kvcache-ai/ktransformers#1804)", () => {
    // https://github.com/kvcache-ai/ktransformers/issues/1804 (SGLang with kt-kernel: experts on the CPU)
    const [run] = parse('sglang-deepseek-v3-tp2-mla.log');
    expect(run!.model).toBe('/home/models/DeepSeekV3');
    expect(run!.deviceCount).toBe(2);
    expect(run!.settings).toMatchObject({
      tensorParallel: 2,
      memFractionStatic: 0.9,
      kvFormat: 'bf16',
    });
    expect(run!.memoryBytes.kvCache).toBe(2 * Math.round(0.65 * GIB));
    // Only TP0's "Load weight end" is in the issue: TP1 is taken to hold the same 13.06 GB.
    expect(run!.memoryBytes.weights).toBe(2 * Math.round(13.06 * GIB));
    expect(run!.notes).toContain(
      'weights: 1 of 2 ranks printed it; the others are taken to hold as much',
    );
    expect(run!.memoryBytes.cudaGraphs).toBeUndefined();
    expect(run!.source).toEqual({ file: 'sglang-deepseek-v3-tp2-mla.log', line: 22 });
  });

  it('sums the CUDA graphs of two ranks and reads server_args (sgl-project/sglang#12978)', () => {
    // https://github.com/sgl-project/sglang/pull/12978
    const [run] = parse('sglang-qwen3-30b-fp8-tp2-graphs.log');
    expect(run!.model).toBe('/home/admin/Qwen3-30B-A3B-FP8');
    expect(run!.deviceCount).toBe(2);
    expect(run!.settings.tensorParallel).toBe(2);
    expect(run!.memoryBytes).toEqual({
      cudaGraphs: Math.round(1.04 * GIB) + Math.round(1.0 * GIB),
    });
    // context_length=None in server_args: the context is not stated.
    expect(run!.settings.contextTokens).toBeUndefined();
  });

  it("reads the scheduler's context_len and token pool on one GPU (sgl-project/sglang#26473)", () => {
    // https://github.com/sgl-project/sglang/pull/26473
    const [run] = parse('sglang-scheduler-1gpu.log');
    expect(run!.deviceCount).toBe(1);
    expect(run!.memoryBytes.cudaGraphs).toBe(Math.round(0.69 * GIB));
    expect(run!.settings.contextTokens).toBe(40960);
    expect(run!.notes).toContain('KV cache holds 139040 tokens');
    expect(run!.notes).toContain('at most 2048 requests run at once (max_running_requests)');
  });

  it('reads the weights format of a newer "quant=fp8, fmt=e4m3" line (SemiAnalysisAI/InferenceX#2128)', () => {
    // The line quoted in https://github.com/SemiAnalysisAI/InferenceX/issues/2128 (DeepSeek-V4-Pro, one of 8 ranks)
    const [run] = parseMeasuredFile(
      'Load weight end. quant=fp8, fmt=e4m3, avail mem=12.25 GB, mem usage=125.65 GB.',
      'dsv4.log',
    );
    expect(run!.memoryBytes.weights).toBe(Math.round(125.65 * GIB));
    expect(run!.settings.weightsFormat).toBe('fp8_e4m3');
    expect(run!.deviceCount).toBe(1);
  });

  it("takes server_args over the command and the scheduler's context_len over both", () => {
    const log = [
      'python3 -m sglang.launch_server --model-path a/b --tp 2 --mem-fraction-static 0.8 --context-length 4096',
      "[2025-01-29 06:46:29] server_args=ServerArgs(model_path='c/d', kv_cache_dtype='fp8_e4m3', quantization='fp8', context_length=8192, mem_fraction_static=0.85, tp_size=4)",
      '[2025-01-29 06:47:00 TP0] Load weight end. type=X, dtype=torch.bfloat16, avail mem=60.00 GB, mem usage=10.00 GB.',
      '[2025-01-29 06:47:05 TP0] max_total_num_tokens=1000, max_prefill_tokens=16384, max_running_requests=4, context_len=2048',
    ].join('\n');
    const [run] = parseMeasuredFile(log, 'serve.log');
    expect(run!.model).toBe('c/d');
    expect(run!.settings).toMatchObject({
      tensorParallel: 4,
      memFractionStatic: 0.85,
      contextTokens: 2048,
      kvFormat: 'fp8_e4m3',
      weightsFormat: 'fp8_e4m3',
    });
  });

  it('names the last line of a log cut before any memory figure (sgl-project/sglang#15426)', () => {
    // https://github.com/sgl-project/sglang/pull/15426 ("Init torch distributed ends. mem usage=" is no weight)
    expect(failure('sglang-truncated.log').message).toMatch(
      /sglang-truncated\.log line 4: the log ends before SGLang reported any memory/,
    );
  });

  it('names a known message it cannot read', () => {
    expect(failure('sglang-bad-kv.log').message).toMatch(
      /sglang-bad-kv\.log line 1: SGLang's "KV Cache is allocated" message is not in a form Headroom reads/,
    );
    expect(() =>
      parseMeasuredFile(
        '[2025-10-16 09:06:22 TP0] Capture cuda graph end. Time elapsed: 56.90 s. mem usage=n/a GB.',
        'graphs.log',
      ),
    ).toThrow(/graphs\.log line 1: SGLang's mem usage is not a size in GB/);
  });

  it('says when an older SGLang states no weight size (sgl-project/sglang#4161)', () => {
    // Two lines of https://github.com/sgl-project/sglang/issues/4161 (SGLang of March 2025)
    const log = [
      '[2025-03-07 09:25:11 TP0] Load weight end. type=DeepseekV3ForCausalLM, dtype=torch.bfloat16, avail mem=36.51 GB',
      '[2025-03-07 09:25:12 TP0] Memory pool end. avail mem=22.03 GB',
    ].join('\n');
    expect(() => parseMeasuredFile(log, 'old.log')).toThrow(
      /old\.log line 2: its "Load weight end" lines state no mem usage \(an older SGLang\)/,
    );
  });

  it('is told from vLLM though SGLang names vllm (sgl-project/sglang#20758)', () => {
    // Two lines of https://github.com/sgl-project/sglang/pull/20758: SGLang loads vLLM's platform plugins.
    const log = [
      '[2026-03-17 07:16:00] INFO __init__.py:36: Available plugins for group vllm.platform_plugins:',
      '[2026-03-17 07:16:38 TP0] Capture cuda graph end. Time elapsed: 27.41 s. mem usage=0.83 GB. avail mem=10.81 GB.',
    ].join('\n');
    expect(detectMeasureFormat(log)).toBe('sglang-log');
    expect(detectMeasureFormat(fixture('sglang-truncated.log'))).toBe('sglang-log');
    expect(detectMeasureFormat(fixture('vllm-v0-tp-profile.log'))).toBe('vllm-log');
  });
});
