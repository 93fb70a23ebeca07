import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMeasureFormat, parseMeasuredFile } from '../../../../core/measure/import';
import { GIB, MIB } from '../../../../core/measure/types';
import { describeWithShared, SHARED_DIR } from '../../../helpers/shared';

import { failure, fixture, parse } from './fixtures';

describe('vLLM start-up logs', () => {
  it('reads weights and the context of a V1 serve (vllm-project/vllm#12569)', () => {
    // https://github.com/vllm-project/vllm/pull/12569
    const [run] = parse('vllm-v1-llama70b-w8a8.log');
    expect(run!.engine).toBe('vllm');
    expect(run!.model).toBe('neuralmagic/Meta-Llama-3.1-70B-Instruct-quantized.w8a8');
    expect(run!.memoryBytes.weights).toBe(Math.round(67.7229 * GIB));
    expect(run!.settings.contextTokens).toBe(2048);
    expect(run!.settings.gpuMemoryUtilization).toBe(0.98);
    expect(run!.notes).toContain('1381 GPU KV-cache blocks');
    expect(run!.source).toEqual({ file: 'vllm-v1-llama70b-w8a8.log', line: 2 });
  });

  it('sums the V0 profile of each tensor-parallel worker (vllm-project/vllm#14447)', () => {
    // https://github.com/vllm-project/vllm/pull/14447 (two of its workers)
    const [run] = parse('vllm-v0-tp-profile.log');
    expect(run!.deviceCount).toBe(2);
    expect(run!.memoryBytes.weights).toBe(2 * Math.round(21.21 * GIB));
    expect(run!.memoryBytes.runtime).toBe(2 * Math.round(0.2 * GIB));
    expect(run!.memoryBytes.activations).toBe(2 * Math.round(0.37 * GIB));
    expect(run!.memoryBytes.kvCache).toBe(2 * Math.round(1.57 * GIB));
    expect(run!.settings.gpuMemoryUtilization).toBe(0.99);
  });

  it('reads CUDA graph memory and the concurrency line (vllm-project/vllm#14286)', () => {
    // https://github.com/vllm-project/vllm/issues/14286
    const [run] = parse('vllm-v1-llama8b-int8-graphs.log');
    expect(run!.memoryBytes.cudaGraphs).toBe(Math.round(2.02 * GIB));
    expect(run!.settings.contextTokens).toBe(65536);
  });

  it('reads "Model loading took … GiB memory" (vllm-project/vllm#38820)', () => {
    // https://github.com/vllm-project/vllm/issues/38820
    const [run] = parse('vllm-v1-model-loading.log');
    expect(run!.memoryBytes.weights).toBe(Math.round(12.66 * GIB));
  });

  it('scales one rank of a tensor-parallel serve by its size (vllm-project/vllm#21348)', () => {
    // https://github.com/vllm-project/vllm/issues/21348
    const [run] = parse('vllm-v1-qwen3-235b-tp4.log');
    expect(run!.memoryBytes.kvCache).toBe(4 * Math.round(8.11 * GIB));
    expect(run!.deviceCount).toBe(4);
    expect(run!.notes).toContain('KV cache holds 178880 tokens');
  });

  it('names the last line of a log cut before any memory figure (vllm-project/vllm#15960)', () => {
    // https://github.com/vllm-project/vllm/pull/15960
    expect(failure('vllm-truncated.log').message).toMatch(
      /vllm-truncated\.log line 2: the log ends before vLLM reported any memory/,
    );
  });

  it('names a known message it cannot read', () => {
    expect(failure('vllm-bad-line.log').message).toMatch(/line 1: vLLM's "Model loading took"/);
  });
});

describe('llama.cpp logs', () => {
  it('reads a full offload on one GPU (mozilla-ai/llamafile#552)', () => {
    // https://github.com/mozilla-ai/llamafile/pull/552
    const [run] = parse('llama-cli-rtx4080-full-offload.log');
    expect(run!.engine).toBe('llama.cpp');
    expect(run!.device).toBe('NVIDIA GeForce RTX 4080');
    expect(run!.settings).toMatchObject({ gpuLayers: 31, totalLayers: 31, contextTokens: 512 });
    expect(run!.settings.kvFormat).toBe('fp16');
    expect(run!.memoryBytes.weights).toBe(Math.round(7317.71 * MIB));
    expect(run!.memoryBytes.kvCache).toBe(180 * MIB);
    expect(run!.memoryBytes.activations).toBe(105 * MIB);
    expect(run!.memoryBytes.total).toBe(Math.round(7317.71 * MIB) + 180 * MIB + 105 * MIB);
    // CPU buffer (token embeddings) and the CUDA_Host output buffer stay in system RAM.
    expect(run!.hostMemoryBytes).toBe(297 * MIB + Math.round(0.19 * MIB));
  });

  it('sums two GPUs of a partial offload (ggml-org/llama.cpp#8035)', () => {
    // https://github.com/ggml-org/llama.cpp/pull/8035
    const [run] = parse('llama-server-2gpu-partial.log');
    expect(run!.deviceCount).toBe(2);
    expect(run!.settings).toMatchObject({ gpuLayers: 78, totalLayers: 81, contextTokens: 8192 });
    expect(run!.memoryBytes.weights).toBe(Math.round(12633.25 * MIB) + 8652 * MIB);
    expect(run!.memoryBytes.kvCache).toBe(1472 * MIB + 1024 * MIB);
    expect(run!.hostMemoryBytes).toBe(
      Math.round(22994.45 * MIB) + 64 * MIB + Math.round(0.98 * MIB),
    );
  });

  it('names the last line of a log cut after the weights (ggml-org/llama.cpp#9390)', () => {
    // https://github.com/ggml-org/llama.cpp/issues/9390
    expect(failure('llama-server-truncated.log').message).toMatch(
      /line 5: the log ends after the weights/,
    );
  });

  it('names a buffer line it cannot read', () => {
    expect(failure('llama-server-bad-buffer.log').message).toMatch(/line 1: a llama.cpp buffer/);
  });
});

describe('llama-bench', () => {
  it('reads the markdown table: pp and tg of one model are one run (ggml-org/llama.cpp#7199)', () => {
    // https://github.com/ggml-org/llama.cpp/pull/7199
    const runs = parse('llama-bench-7b-q4_0.md');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.speed).toEqual({
      promptTokens: 512,
      promptTokensPerSecond: 4918.36,
      decodeTokens: 128,
      decodeTokensPerSecond: 165.76,
    });
    expect(runs[0]!.settings).toMatchObject({ weightsFormat: 'q4_0', gpuLayers: 99 });
  });

  it('reads -o json: the same run (fields of llama-bench.cpp, ggml-org/llama.cpp#12874)', () => {
    // Values of #7199's table in the JSON shape of https://github.com/ggml-org/llama.cpp/pull/12874
    const runs = parse('llama-bench-7b-q4_0.json');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.speed.promptTokensPerSecond).toBe(4918.36);
    expect(runs[0]!.speed.decodeTokensPerSecond).toBe(165.76);
    expect(runs[0]!.format).toBe('llama-bench-json');
  });

  it('names a row cut short', () => {
    expect(failure('llama-bench-truncated.md').message).toMatch(/line 4: a row of 5 cells/);
  });
});

describe('Ollama server logs', () => {
  it('reads a full offload on one GPU (ollama/ollama#8098)', () => {
    // https://github.com/ollama/ollama/issues/8098
    const [run] = parse('ollama-1gpu-full.log');
    expect(run!.engine).toBe('ollama');
    expect(run!.settings).toMatchObject({ gpuLayers: 29, totalLayers: 29, batch: 4 });
    // --ctx-size 8192 over --parallel 4
    expect(run!.settings.contextTokens).toBe(2048);
    expect(run!.memoryBytes.kvCache).toBe(896 * MIB);
    expect(run!.memoryBytes.total).toBe(Math.round(3.7 * GIB));
  });

  it('sums the allocations of four GPUs (ollama/ollama#9181)', () => {
    // https://github.com/ollama/ollama/issues/9181
    const [run] = parse('ollama-4gpu-partial.log');
    expect(run!.deviceCount).toBe(4);
    expect(run!.settings).toMatchObject({ gpuLayers: 44, totalLayers: 81, contextTokens: 64000 });
    expect(run!.memoryBytes.total).toBe(4 * Math.round(21.8 * GIB));
    expect(run!.memoryBytes.kvCache).toBeUndefined();
  });

  it('names the last line of a log cut before the offload (ollama/ollama#8447)', () => {
    // https://github.com/ollama/ollama/issues/8447
    expect(failure('ollama-truncated.log').message).toMatch(/line 1: the Ollama log ends/);
    expect(failure('ollama-bad-offload.log').message).toMatch(/line 1: an Ollama offload line/);
  });
});

describe('nvidia-smi CSV samples', () => {
  it('takes the peak per GPU (aristocratos/bpytop#26)', () => {
    // https://github.com/aristocratos/bpytop/issues/26
    const [run] = parse('nvidia-smi-2gpu.csv');
    expect(run!.deviceCount).toBe(2);
    expect(run!.device).toBe('GeForce GTX 1080 Ti');
    expect(run!.memoryBytes.total).toBe((2856 + 4) * MIB);
  });

  it('names a sample cut short', () => {
    expect(failure('nvidia-smi-truncated.csv').message).toMatch(/line 3: a sample of 3 fields/);
  });

  it('reads --format=csv,noheader,nounits', () => {
    const [run] = parseMeasuredFile('1200\n3400\n2100\n', 'smi.csv');
    expect(run!.memoryBytes.total).toBe(3400 * MIB);
  });
});

describe('any file', () => {
  it('refuses a file of no known format, naming its first line', () => {
    expect(() => parseMeasuredFile('hello world\n', 'notes.txt')).toThrow(
      /notes\.txt: not a format Headroom reads.*"hello world"/,
    );
  });

  it('tells the formats apart by content', () => {
    expect(detectMeasureFormat(fixture('ollama-1gpu-full.log'))).toBe('ollama-log');
    expect(detectMeasureFormat(fixture('llama-cli-rtx4080-full-offload.log'))).toBe('llama-log');
    expect(detectMeasureFormat(fixture('vllm-v0-tp-profile.log'))).toBe('vllm-log');
  });
});

describeWithShared('measure_gpu.py JSON lines', () => {
  it('reads every inference and training run of the shared H200 set with its peak', () => {
    const file = resolve(SHARED_DIR, 'calibration/h200-2026-12-04/cases.jsonl');
    const runs = parseMeasuredFile(readFileSync(file, 'utf8'), 'cases.jsonl');
    expect(runs.length).toBeGreaterThanOrEqual(16);
    const llama = runs.find((run) => run.calibration?.id === 'inf-llama8b-bf16-c4096-b1')!;
    expect(llama.engine).toBe('transformers');
    expect(llama.device).toBe('NVIDIA H200');
    // docs/accuracy.md: 18.20 GB measured
    expect((llama.memoryBytes.total! / 1e9).toFixed(2)).toBe('18.20');
  });

  it('refuses a file cut mid-line, naming the line', () => {
    const whole = readFileSync(
      resolve(SHARED_DIR, 'calibration/h200-2026-12-04/cases.jsonl'),
      'utf8',
    ).split('\n');
    const text = [...whole.slice(0, 2), whole[2]!.slice(0, 40)].join('\n');
    expect(() => parseMeasuredFile(text, 'cut.jsonl')).toThrow(/line 3/);
  });
});

describe('PyTorch memory printouts of a training script', () => {
  // The fixture is laid out as torch/cuda/memory.py memory_summary prints it; its peaks are the
  // shared H200 run tr-qwen05-amp-adamw-mb4-s1024 (peak_reserved 24123539456 B, peak_alloc
  // 21016086016 B in ../shared/calibration/h200-2026-12-04/cases.jsonl).
  it('reads the peak reserved of the H200 run tr-qwen05-amp-adamw-mb4-s1024', () => {
    const [run] = parse('pytorch-training-memory-summary.log');
    expect(run!.format).toBe('pytorch-memory');
    expect(run!.engine).toBe('pytorch-training');
    expect(run!.settings.mode).toBe('training');
    expect(run!.memoryBytes.total).toBe(24_123_539_456);
    // The max_memory lines start the run.
    expect(run!.source).toEqual({ file: 'pytorch-training-memory-summary.log', line: 4 });
    expect(run!.notes[0]).toMatch(
      /1 memory_summary table\(s\) and 2 max_memory line\(s\); peak allocated 20043 MiB/,
    );
  });

  it("reads the summary's Peak Usage alone: 23006 MiB is the run's 24123539456 bytes", () => {
    const table = fixture('pytorch-training-memory-summary.log')
      .split('\n')
      .filter((line) => !line.startsWith('max_memory'))
      .join('\n');
    const [run] = parseMeasuredFile(table, 'summary.log');
    expect(run!.memoryBytes.total).toBe(23006 * MIB);
    expect(23006 * MIB).toBe(24_123_539_456);
  });

  it('sums the peaks of two devices (one summary each)', () => {
    const table = fixture('pytorch-training-memory-summary.log')
      .split('\n')
      .filter((line) => !line.startsWith('max_memory'))
      .join('\n');
    const [run] = parseMeasuredFile(
      `${table}\n${table.replace('device ID 0', 'device ID 1')}`,
      'two.log',
    );
    expect(run!.deviceCount).toBe(2);
    expect(run!.memoryBytes.total).toBe(2 * 23006 * MIB);
  });

  it('names the line where a summary is cut inside its reserved row', () => {
    expect(failure('pytorch-memory-truncated.log').message).toMatch(
      /pytorch-memory-truncated\.log line 17: its Peak Usage is not a size: "\| GPU reserved memory/,
    );
  });

  it('refuses a max_memory_reserved printed in GB (10^9 or 2^30?), naming the line', () => {
    expect(failure('pytorch-memory-bad-max.log').message).toMatch(
      /line 2: max_memory_reserved is not bytes or a KiB\/MiB\/GiB size/,
    );
  });

  it('reads "torch.cuda.max_memory_reserved(0) = 17.5 GiB"', () => {
    const [run] = parseMeasuredFile('torch.cuda.max_memory_reserved(0) = 17.5 GiB\n', 'p.log');
    expect(run!.memoryBytes.total).toBe(17.5 * GIB);
  });
});
