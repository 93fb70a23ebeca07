import { describe, expect, it } from 'vitest';
import { launchSettings } from '../../../../core/launch';
import { requireCatalogDevice } from '../../../../core/plan/lookups';
import { planFromRequest } from '../../../../core/plan/plan-request';
import type { InferencePlan } from '../../../../core/plan/types';
import { headroomErrorOf } from '../report/fixtures';
import {
  SGLANG_DTYPES,
  SGLANG_KV_CACHE_DTYPES,
  SGLANG_QUANTIZATION_METHODS,
  SGLANG_SERVER_ARGS,
} from './documented';
import { optionsOf, shellInvocations } from './shell-argv';

const H100 = 'nvidia-h100-sxm-80gb';

function plan(options: {
  model?: string;
  engine?: 'sglang' | 'vllm';
  gpus?: number;
  weights?: string;
  kv?: string;
}): InferencePlan {
  return planFromRequest({
    modelId: options.model ?? 'meta-llama/Llama-3.1-8B',
    deviceIds: Array.from({ length: options.gpus ?? 1 }, () => H100),
    ...(options.weights ? { weightsFormat: options.weights } : {}),
    ...(options.kv ? { kvFormat: options.kv } : {}),
    contextTokens: 32_768,
    batch: 8,
    engine: options.engine ?? 'sglang',
    marginFraction: 0.05,
    unit: 'GB',
  }) as InferencePlan;
}

function sglang(p: InferencePlan) {
  const settings = launchSettings('sglang', {
    plan: p,
    devices: p.scenario.devices.map(requireCatalogDevice),
    headroomVersion: '0.1.0',
  });
  const invocations = shellInvocations(settings.text, ['python']);
  expect(invocations).toHaveLength(1);
  const argv = invocations[0]!;
  expect(argv.slice(0, 3)).toEqual(['python', '-m', 'sglang.launch_server']);
  const options = optionsOf(argv, 2);
  for (const flag of options.keys()) expect(SGLANG_SERVER_ARGS).toContain(flag);
  return { settings, options };
}

describe('SGLang launch settings (python -m sglang.launch_server)', () => {
  it('serves Llama-3.1-8B on two H100s with the plan’s TP, context, requests and static pool', () => {
    const p = plan({ gpus: 2 });
    const { options, settings } = sglang(p);
    expect(options.get('--model-path')).toBe('meta-llama/Llama-3.1-8B');
    expect(options.get('--tp-size')).toBe('2');
    expect(options.get('--context-length')).toBe('32768');
    expect(options.get('--max-running-requests')).toBe('8');
    // The fraction the plan budgeted is written out, the one its warning names.
    const fraction = options.get('--mem-fraction-static')!;
    expect(p.memory.staticPoolFraction).toBe(Number(fraction));
    expect(p.warnings.join('\n')).toContain(`--mem-fraction-static ${fraction}`);
    expect(SGLANG_DTYPES).toContain(options.get('--dtype'));
    expect(settings.fileName).toBe('sglang-serve.sh');
  });

  it('quantizes FP8 on load and keeps an fp8 KV cache with SGLang’s own names', () => {
    const { options } = sglang(plan({ weights: 'fp8_e4m3', kv: 'fp8_e4m3' }));
    expect(SGLANG_QUANTIZATION_METHODS).toContain(options.get('--quantization'));
    expect(options.get('--quantization')).toBe('fp8');
    expect(SGLANG_KV_CACHE_DTYPES).toContain(options.get('--kv-cache-dtype'));
  });

  it('says a pre-quantized checkpoint is needed for AWQ', () => {
    const { options, settings } = sglang(plan({ weights: 'awq_int4' }));
    expect(options.get('--quantization')).toBe('awq');
    expect(settings.text).toMatch(/checkpoint already in awq_int4/);
  });

  it('refuses a plan made for another engine with what to do', () => {
    const p = plan({ engine: 'vllm' });
    const message = headroomErrorOf(
      () =>
        launchSettings('sglang', {
          plan: p,
          devices: p.scenario.devices.map(requireCatalogDevice),
          headroomVersion: '0.1.0',
        }),
      'BAD_ARGUMENT',
    );
    expect(message).toMatch(/--engine sglang/);
  });
});

describe('SGLang when the activations outgrow its default reserve', () => {
  it('lowers --mem-fraction-static to leave them room, says so, and launches with it', () => {
    // Gemma 3 4B with 8 images in each of 16 prompts: the vision tower's pass over every image
    // needs more than the 1 − fraction SGLang keeps back on a 24 GB card.
    const p = planFromRequest({
      modelId: 'google/gemma-3-4b-it',
      deviceIds: ['nvidia-rtx-4090'],
      contextTokens: 1024,
      batch: 16,
      images: 8,
      engine: 'sglang',
      marginFraction: 0.05,
      unit: 'GB',
    }) as InferencePlan;
    const device = p.memory.perDevice[0]!;
    const fraction = p.memory.staticPoolFraction!;
    const freeBeforeWeights = device.capacity - device.breakdown.overhead;
    // The pool the plan leaves is what that fraction gives SGLang: weights + KV within it.
    expect(device.breakdown.activations).toBeLessThanOrEqual((1 - fraction) * freeBeforeWeights);
    expect(p.warnings.join('\n')).toMatch(/run it with --mem-fraction-static/);
    const { options } = sglang(p);
    expect(Number(options.get('--mem-fraction-static'))).toBe(fraction);
  });
});
