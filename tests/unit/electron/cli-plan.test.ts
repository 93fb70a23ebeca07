import { describe, expect, it } from 'vitest';
import type { InferencePlan } from '../../../core/plan/types';
import { runHeadroom } from '../../helpers/run-command';

// The contract of issue 3's CLI: flags, exit codes and JSON field names that scripts rely on.

const parse = (stdout: string): InferencePlan => JSON.parse(stdout) as InferencePlan;

describe('headroom plan (CLI)', () => {
  it('prints exactly one headroom.plan/v1 JSON document with the contract’s fields, in bytes', async () => {
    const result = await runHeadroom([
      'plan',
      '--model',
      'meta-llama/Meta-Llama-3-8B',
      '--device',
      'nvidia-rtx-4090',
      '--weights',
      'q4_k_m',
      '--context',
      '8k',
      '--engine',
      'llama.cpp',
      '--solve',
      'max-context',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const plan = parse(result.stdout);
    expect(plan.schema).toBe('headroom.plan/v1');
    expect(Object.keys(plan.model)).toEqual(
      expect.arrayContaining(['id', 'params', 'activeParams', 'layers', 'kvBytesPerToken']),
    );
    // Llama-3-8B: 128 KiB of fp16 KV per token (config.json: 32 layers × 8 KV heads × 128 dims × 2 × 2 bytes).
    expect(plan.model.kvBytesPerToken).toBe(131_072);
    expect(plan.scenario.contextTokens).toBe(8192);
    expect(Object.keys(plan.memory.breakdown).sort()).toEqual(
      [
        'activations',
        'gradients',
        'kvCache',
        'masterWeights',
        'optimizerStates',
        'overhead',
        'weights',
      ].sort(),
    );
    expect(plan.memory.perDevice[0]).toMatchObject({ device: 'nvidia-rtx-4090' });
    expect(Object.keys(plan.memory.perDevice[0]!)).toEqual(
      expect.arrayContaining(['device', 'capacity', 'used', 'headroom', 'breakdown']),
    );
    expect(Object.keys(plan.verdict)).toEqual(
      expect.arrayContaining(['status', 'fits', 'minDevices', 'reason']),
    );
    expect(Object.keys(plan.throughput!)).toEqual(
      expect.arrayContaining(['decodeTokensPerSecond', 'prefillTokensPerSecond', 'bound']),
    );
    expect(plan.solution?.maxContext).toBe(8192);
    expect(plan.assumptions.every((a) => a.name && a.source)).toBe(true);
  });

  it('exits 1 with --fail-if-no-fit when the model does not fit, 0 without it', async () => {
    const args = [
      'plan',
      '--model',
      'meta-llama/Llama-3.1-70B',
      '--device',
      'nvidia-rtx-4090',
      '--engine',
      'vllm',
      '--json',
    ];
    const failing = await runHeadroom([...args, '--fail-if-no-fit']);
    expect(failing.code).toBe(1);
    expect(parse(failing.stdout).verdict.status).toBe('does-not-fit');
    expect((await runHeadroom(args)).code).toBe(0);
  });

  it('exits 2 with one line naming the nearest ids for an unknown model, device or format', async () => {
    const model = await runHeadroom(['plan', '--model', 'llama-2-7b']);
    expect(model.code).toBe(2);
    expect(model.stderr).toContain('meta-llama/Llama-2-7b-hf');
    const device = await runHeadroom(['plan', '--params', '7B', '--device', 'rtx4090']);
    expect(device.code).toBe(2);
    expect(device.stderr).toContain('nvidia-rtx-4090');
    const format = await runHeadroom(['plan', '--params', '7B', '--weights', 'q4km']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('q4_k_m');
    for (const result of [model, device, format])
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('replicates one device with --gpus and plans on this machine with --device local', async () => {
    const two = parse(
      (
        await runHeadroom([
          'plan',
          '--params',
          '70B',
          '--weights',
          'int4',
          '--device',
          'nvidia-rtx-4090',
          '--gpus',
          '2',
          '--json',
        ])
      ).stdout,
    );
    expect(two.memory.perDevice).toHaveLength(2);
    // A recorded CPU-only machine (tests/fixtures/detect): `local` falls back to its CPU and RAM.
    const replay = {
      ...process.env,
      HEADROOM_DETECT_REPLAY: 'tests/fixtures/detect/linux-x86_64-2core-cpu-only',
    };
    const local = await runHeadroom(
      ['plan', '--model', 'meta-llama/Llama-3.2-1B', '--device', 'local', '--json'],
      replay,
    );
    expect(local.code).toBe(0);
    expect(parse(local.stdout).memory.perDevice[0]!.device).toBe('local:0');
  });

  it('plans Qwen3-Next by its Instruct id with KV on its 12 attention layers only (issue 13)', async () => {
    const result = await runHeadroom([
      'plan',
      '--model',
      'Qwen/Qwen3-Next-80B-A3B-Instruct',
      '--device',
      'nvidia-h200-sxm-141gb',
      '--gpus',
      '2',
      '--engine',
      'vllm',
      '--json',
    ]);
    expect(result.code).toBe(0);
    // config.json: full_attention_interval 4 → 12 of 48 layers attend; 2 KV heads × 256 × 2 × 2 B.
    expect(parse(result.stdout).model.kvBytesPerToken).toBe(12 * 2048);
  });

  it('takes --swa-full for llama.cpp and refuses it, in one line, for another engine', async () => {
    const base = ['plan', '--model', 'google/gemma-3-27b-it', '--device', 'nvidia-rtx-4090'];
    const llama = await runHeadroom([...base, '--engine', 'llama.cpp', '--swa-full', '--json']);
    expect(llama.code).toBe(0);
    expect(parse(llama.stdout).scenario.swaFull).toBe(true);
    const vllm = await runHeadroom([...base, '--engine', 'vllm', '--swa-full']);
    expect(vllm.code).toBe(2);
    expect(vllm.stderr.trim().split('\n')).toHaveLength(1);
    expect(vllm.stderr).toMatch(/--swa-full.*llama\.cpp/);
  });

  it('plans Gemma 3 27B Q4_K_M --swa-full with the KV the workbench checkbox gives', async () => {
    const result = await runHeadroom([
      'plan',
      '--model',
      'google/gemma-3-27b-pt',
      '--device',
      'nvidia-rtx-4090',
      '--weights',
      'q4_k_m',
      '--swa-full',
      '--json',
    ]);
    expect(result.code).toBe(0);
    // 62 layers × 4096 tokens × 8192 B (16 KV heads × 128 × K and V × 2 B): with --swa-full
    // llama_kv_cache_iswa gives the 52 sliding layers the whole context too. The same figure as
    // the workbench's "Full-size SWA cache" card (tests/unit/renderer/scenario-extras.test.ts).
    expect(parse(result.stdout).memory.breakdown.kvCache).toBe(62 * 4096 * 8192);
  });

  it('prints a readable table with units by default', async () => {
    const result = await runHeadroom([
      'plan',
      '--model',
      'meta-llama/Llama-3.1-8B',
      '--device',
      'nvidia-h100-sxm-80gb',
      '--unit',
      'GiB',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/weights\s+14\.96 GiB/);
    expect(result.stdout).toContain('Verdict   FITS');
    expect(result.stdout).toContain('Assumptions');
  });
});

describe('headroom models / devices / formats (CLI)', () => {
  it('lists at least 40 models and 40 devices with their ids and specs as JSON', async () => {
    const models = JSON.parse((await runHeadroom(['models', '--json'])).stdout) as {
      models: { id: string; params: number }[];
    };
    expect(models.models.length).toBeGreaterThanOrEqual(40);
    expect(models.models.find((m) => m.id === 'mistralai/Mistral-7B-v0.1')?.params).toBe(
      7_241_732_096,
    );
    const devices = JSON.parse((await runHeadroom(['devices', '--json'])).stdout) as {
      devices: { id: string; memoryBytes: number }[];
    };
    expect(devices.devices.length).toBeGreaterThanOrEqual(40);
    expect(devices.devices.map((d) => d.id)).toContain('nvidia-h100-sxm-80gb');
  });

  it('filters with --search and lists formats with their bits per weight', async () => {
    const qwen = await runHeadroom(['models', '--search', 'qwen3']);
    expect(qwen.stdout).toContain('Qwen/Qwen3-30B-A3B');
    expect(qwen.stdout).not.toContain('Llama');
    const formats = JSON.parse((await runHeadroom(['formats', '--json'])).stdout) as {
      formats: { id: string; bitsPerWeight: number }[];
    };
    // ggml-common.h block_q4_0: 2-byte scale + 16 bytes of nibbles per 32 weights = 4.5 bits.
    expect(formats.formats.find((f) => f.id === 'q4_0')?.bitsPerWeight).toBe(4.5);
  });
  it('plans with the engine the weights format runs on by default and with --engine auto (issue 17)', async () => {
    const base = ['plan', '--model', 'meta-llama/Meta-Llama-3-8B', '--device', 'nvidia-rtx-4090'];
    const [byDefault, pinned, published] = await Promise.all([
      runHeadroom([...base, '--weights', 'q4_k_m', '--json']),
      runHeadroom([...base, '--weights', 'q4_k_m', '--engine', 'llama.cpp', '--json']),
      runHeadroom([...base, '--engine', 'auto', '--json']),
    ]);
    // GGUF types are what llama.cpp loads; the default is the same plan as pinning llama.cpp.
    expect(parse(byDefault.stdout).scenario.engine).toBe('llama.cpp');
    expect(parse(byDefault.stdout).memory).toEqual(parse(pinned.stdout).memory);
    // Without --weights the model's published bf16 safetensors are what transformers loads.
    expect(parse(published.stdout).scenario).toMatchObject({
      weightsFormat: 'bf16',
      engine: 'transformers',
    });
  });
});
