import { describe, expect, it } from 'vitest';
import { launchSettings } from '../../../../core/launch';
import { findModel } from '../../../../core/models/catalog';
import { requireCatalogDevice, requireFormat } from '../../../../core/plan/lookups';
import { cachedLayout } from '../../../../core/plan/model-memory';
import { planFromRequest } from '../../../../core/plan/plan-request';
import type { InferencePlan } from '../../../../core/plan/types';
import { planCommandLine } from '../../../../core/report/plan-command-line';
import { headroomErrorOf } from '../report/fixtures';
import { SGLANG_SERVER_ARGS } from '../launch/documented';
import { optionsOf, shellInvocations } from '../launch/shell-argv';

/**
 * Issue 13: vLLM expert parallelism and data-parallel attention. Expected figures follow from
 * vLLM's rules (vllm-project/vllm 2026 main):
 * - fused_moe/config.py FusedMoEParallelConfig.make: the MoE layers use all DP × TP GPUs; with
 *   --enable-expert-parallel each GPU holds whole experts, without it a 1/(DP × TP) slice;
 * - fused_moe/expert_map_manager.py determine_expert_map: E // ranks experts each, the first
 *   E % ranks ranks one more (so ranks beyond E hold none);
 * - v1/engine/core.py DPEngineCoreProc: a rank per engine, its own KV cache for its requests;
 *   attention and dense weights split by TP inside a rank, copied on every rank.
 */

const H200 = 'nvidia-h200-sxm-141gb';
const deepseekId = 'deepseek-ai/DeepSeek-V3';

function plan(
  modelId: string,
  gpus: number,
  options: {
    dataParallel?: number;
    expertParallel?: boolean;
    batch?: number;
    context?: number;
    weights?: string;
    engine?: 'vllm' | 'sglang' | 'transformers';
  } = {},
): InferencePlan {
  return planFromRequest({
    modelId,
    deviceIds: Array.from({ length: gpus }, () => H200),
    weightsFormat: options.weights ?? 'fp8_e4m3',
    kvFormat: 'bf16',
    contextTokens: options.context ?? 8192,
    batch: options.batch ?? 1,
    engine: options.engine ?? 'vllm',
    marginFraction: 0.05,
    ...(options.dataParallel !== undefined ? { dataParallel: options.dataParallel } : {}),
    ...(options.expertParallel ? { expertParallel: true } : {}),
    unit: 'GB',
  }) as InferencePlan;
}

const weightsPerGpu = (p: InferencePlan): number => p.memory.perDevice[0]!.breakdown.weights;
const kvPerGpu = (p: InferencePlan): number => p.memory.perDevice[0]!.breakdown.kvCache;

/** Routed-expert bytes of a catalog model in fp8 (its weight layout, independent of placement). */
function routedExpertBytes(modelId: string): number {
  const model = findModel(modelId)!;
  const layout = cachedLayout(model, model.architecture!, requireFormat('fp8_e4m3'));
  return layout.layerExpertBytes.reduce((a, b) => a + b, 0);
}

describe('expert parallelism: whole experts per GPU', () => {
  it('DeepSeek-V3 on 8 GPUs: 256 experts divide evenly, so EP holds what TP holds on each GPU', () => {
    const tp = plan('deepseek-ai/DeepSeek-V3', 8);
    const ep = plan('deepseek-ai/DeepSeek-V3', 8, { expertParallel: true });
    expect(weightsPerGpu(ep)).toBeCloseTo(weightsPerGpu(tp), 0);
  });

  it('Mixtral-8x7B on 16 GPUs: 8 experts for 16 ranks leave one whole expert on the fullest GPU, twice a 1/16 slice', () => {
    const experts = routedExpertBytes('mistralai/Mixtral-8x7B-v0.1');
    const tp = plan('mistralai/Mixtral-8x7B-v0.1', 16);
    const ep = plan('mistralai/Mixtral-8x7B-v0.1', 16, { expertParallel: true });
    // ⌈8 / 16⌉ = 1 expert of 8 against a 1/16 slice of all 8.
    expect(weightsPerGpu(ep) - weightsPerGpu(tp)).toBeCloseTo(experts / 8 - experts / 16, 0);
  });

  it('Qwen3-30B-A3B as 3 ranks × TP 2: 128 experts over 6 GPUs put 22 on the fullest (128 = 2 × 22 + 4 × 21)', () => {
    const experts = routedExpertBytes('Qwen/Qwen3-30B-A3B');
    const dp = plan('Qwen/Qwen3-30B-A3B', 6, { dataParallel: 3 });
    const dpEp = plan('Qwen/Qwen3-30B-A3B', 6, { dataParallel: 3, expertParallel: true });
    expect(weightsPerGpu(dpEp) - weightsPerGpu(dp)).toBeCloseTo(
      (experts * 22) / 128 - experts / 6,
      0,
    );
  });
});

describe('data-parallel attention', () => {
  const deepseek = 'deepseek-ai/DeepSeek-V3';

  it('keeps each rank’s own requests: DP 8 holds ⌈64 / 8⌉ sequences of MLA latent per GPU where TP 8 holds all 64', () => {
    // MLA latent on every TP rank: 61 × (512 + 64) × 2 B = 70 272 B per token.
    const tp = plan(deepseek, 8, { batch: 64, context: 32_768 });
    const dp = plan(deepseek, 8, {
      batch: 64,
      context: 32_768,
      dataParallel: 8,
      expertParallel: true,
    });
    expect(kvPerGpu(tp)).toBe(70_272 * 32_768 * 64);
    expect(kvPerGpu(dp)).toBe(70_272 * 32_768 * 8);
  });

  it('copies attention, dense layers, embeddings and head on every rank: DP 8 adds 7/8 of them per GPU', () => {
    const model = findModel(deepseek)!;
    const layout = cachedLayout(model, model.architecture!, requireFormat('fp8_e4m3'));
    const nonExpert = layout.totalBytes - routedExpertBytes(deepseek);
    const tp = plan(deepseek, 8, { expertParallel: true });
    const dp = plan(deepseek, 8, { dataParallel: 8, expertParallel: true });
    expect(weightsPerGpu(dp) - weightsPerGpu(tp)).toBeCloseTo(nonExpert * (1 - 1 / 8), 0);
  });

  it('proposes the data-parallel split when tensor parallelism does not fit, and that split fits', () => {
    const tp = plan(deepseek, 8, { batch: 64, context: 32_768 });
    expect(tp.verdict.fits).toBe(false);
    const ranks = tp.verdict.dataParallel!;
    expect(tp.verdict.reason).toContain(`--data-parallel-size ${ranks} --enable-expert-parallel`);
    const dp = plan(deepseek, 8, {
      batch: 64,
      context: 32_768,
      dataParallel: ranks,
      expertParallel: true,
    });
    // Fits as the verdict counts it, safety margin included.
    expect(dp.verdict.fits).toBe(true);
    expect(dp.verdict.status).toBe('fits');
  });

  it('writes the vLLM flags: TP per rank, the ranks, EP, and --max-num-seqs per rank', () => {
    const p = plan(deepseek, 8, { batch: 64, dataParallel: 8, expertParallel: true });
    const text = launchSettings('vllm', {
      plan: p,
      devices: p.scenario.devices.map(requireCatalogDevice),
      headroomVersion: '0.1.0',
    }).text;
    expect(text).toMatch(/--tensor-parallel-size 1 \\/);
    expect(text).toMatch(/--data-parallel-size 8 \\/);
    expect(text).toMatch(/--enable-expert-parallel \\/);
    expect(text).toMatch(/--max-num-seqs 8 \\/);
    expect(planCommandLine(p)).toMatch(/--data-parallel 8 --expert-parallel/);
  });

  it('names the vLLM rule it used in the assumptions', () => {
    const p = plan(deepseek, 8, { dataParallel: 8, expertParallel: true });
    const rule = p.assumptions.find((a) => a.name.startsWith('vLLM data-parallel'));
    expect(rule?.value).toMatch(/32 whole experts of 256/);
    expect(rule?.source).toMatch(/determine_expert_map/);
  });
});

describe('what vLLM would refuse', () => {
  it('a dense model, another engine, or ranks that do not divide the GPUs', () => {
    expect(
      headroomErrorOf(
        () =>
          planFromRequest({
            modelId: 'meta-llama/Llama-3.1-70B',
            deviceIds: [H200, H200],
            contextTokens: 8192,
            batch: 1,
            engine: 'vllm',
            marginFraction: 0.05,
            dataParallel: 2,
            unit: 'GB',
          }),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/no routed experts/);
    expect(
      headroomErrorOf(
        () => plan('deepseek-ai/DeepSeek-V3', 8, { expertParallel: true, engine: 'transformers' }),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/the engine must be vllm or sglang/);
    expect(
      headroomErrorOf(
        () => plan('deepseek-ai/DeepSeek-V3', 8, { dataParallel: 3 }),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/8 GPUs do not split into 3/);
  });
});

describe('SGLang DP attention (--dp-size N --enable-dp-attention)', () => {
  it('keeps every KV head on each rank when attention TP is 1: the 98,304 B per token SGLang logged for Qwen3-30B-A3B at DP 4', () => {
    // tests/fixtures/measure/sglang-qwen3-moe-dp4-weights-kv.log (sgl-project/sglang#17392),
    // "[DP0 TP0 EP0] KV Cache is allocated. #tokens: 1029388, K size: 47.12 GB, V size: 47.12 GB":
    // (47.12 + 47.12) × 2^30 / 1,029,389 rows = 98,300 B; dp_attention.py gives each rank
    // tp_size / dp_size = 1 attention GPU, so all 4 KV heads: 48 × 2 × 4 × 128 × 2 B = 98,304.
    const p = plan('Qwen/Qwen3-30B-A3B', 4, {
      engine: 'sglang',
      weights: 'bf16',
      dataParallel: 4,
      expertParallel: true,
      batch: 8,
      context: 4096,
    });
    const perToken = kvPerGpu(p) / (Math.ceil(8 / 4) * 4096);
    const logged = ((47.12 + 47.12) * 2 ** 30) / 1_029_389;
    expect(perToken).toBe(98_304);
    expect(Math.abs(perToken - logged) / logged).toBeLessThan(0.001);
  });

  it('reserves more outside the static pool under DP attention and writes SGLang’s flags', () => {
    const tp = plan(deepseekId, 8, { engine: 'sglang' });
    const dp = plan(deepseekId, 8, { engine: 'sglang', dataParallel: 8, expertParallel: true });
    // server_args.py: + 3 MiB × cuda_graph_max_bs × dp_size (and 1.5 more above 300) with DP
    // attention, and no prefill graphs.
    expect(dp.memory.staticPoolFraction!).toBeLessThan(tp.memory.staticPoolFraction!);
    const text = launchSettings('sglang', {
      plan: dp,
      devices: dp.scenario.devices.map(requireCatalogDevice),
      headroomVersion: '0.1.0',
    }).text;
    const argv = shellInvocations(text, ['python'])[0]!;
    for (const flag of optionsOf(argv, 2).keys()) expect(SGLANG_SERVER_ARGS).toContain(flag);
    expect(text).toMatch(/--tp-size 8 \\/);
    expect(text).toMatch(/--dp-size 8 \\/);
    expect(text).toMatch(/--enable-dp-attention \\/);
    expect(text).toMatch(/--ep-size 8 \\/);
    expect(dp.assumptions.find((a) => a.name.startsWith('SGLang DP attention'))?.source).toMatch(
      /compute_dp_attention_world_info/,
    );
  });
});
