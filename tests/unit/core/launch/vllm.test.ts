import { describe, expect, it } from 'vitest';
import type { DeviceSpec } from '../../../../core/devices/types';
import { launchSettings } from '../../../../core/launch';
import { VLLM_GPU_MEMORY_UTILIZATION } from '../../../../core/memory/engine-profiles';
import { requireCatalogDevice } from '../../../../core/plan/lookups';
import { planFromRequest } from '../../../../core/plan/plan-request';
import type { Plan } from '../../../../core/plan/types';
import {
  headroomErrorOf,
  inferencePlan,
  LLAMA3_8B,
  RTX_4090,
  trainingPlan,
} from '../report/fixtures';
import {
  VLLM_DTYPES,
  VLLM_KV_CACHE_DTYPES,
  VLLM_QUANTIZATION_METHODS,
  VLLM_SERVE_ARGS,
} from './documented';
import { optionsOf, shellInvocations } from './shell-argv';

const A100 = 'nvidia-a100-sxm-80gb';

function vllm(
  plan: Plan,
  devices: readonly DeviceSpec[] = plan.scenario.devices.map(requireCatalogDevice),
) {
  const settings = launchSettings('vllm', { plan, devices, headroomVersion: '0.1.0' });
  const invocations = shellInvocations(settings.text, ['vllm']);
  expect(invocations).toHaveLength(1);
  const argv = invocations[0]!;
  expect(argv.slice(0, 2)).toEqual(['vllm', 'serve']);
  const options = optionsOf(argv, 2);
  for (const flag of options.keys()) expect(VLLM_SERVE_ARGS).toContain(flag);
  return { settings, model: argv[2], options };
}

describe('vLLM launch settings (vllm serve)', () => {
  it('serves Llama 3 8B on two A100s: tensor parallel 2, the context, the batch, the memory share', () => {
    const plan = inferencePlan({ devices: [A100, A100], engine: 'vllm', batch: 16 });
    const { settings, model, options } = vllm(plan);
    expect(settings.syntax).toBe('shell');
    expect(model).toBe(LLAMA3_8B);
    expect(options.get('--tensor-parallel-size')).toBe('2');
    expect(options.get('--max-model-len')).toBe('8192');
    expect(options.get('--max-num-seqs')).toBe('16');
    // vllm/config/cache.py: gpu_memory_utilization = 0.9, the share the plan budgeted.
    expect(options.get('--gpu-memory-utilization')).toBe('0.9');
    expect(Number(options.get('--gpu-memory-utilization'))).toBe(VLLM_GPU_MEMORY_UTILIZATION);
    expect(VLLM_DTYPES).toContain(options.get('--dtype'));
    expect(options.get('--dtype')).toBe('bfloat16');
    // Left to vLLM: no quantization for bf16 weights, the KV cache in the model's dtype.
    expect(options.has('--quantization')).toBe(false);
    expect(options.has('--kv-cache-dtype')).toBe(false);
    expect(options.has('--pipeline-parallel-size')).toBe(false);
  });

  it('names the plan it came from in its first line', () => {
    const plan = inferencePlan({ devices: [A100], engine: 'vllm' });
    const firstLine = vllm(plan).settings.text.split('\n')[0]!;
    expect(firstLine).toMatch(/^# Headroom 0\.1\.0 launch settings for the plan `headroom plan /);
    expect(firstLine).toContain(`--model ${LLAMA3_8B} --device ${A100} --weights bf16`);
    expect(firstLine).toContain('--engine vllm');
  });

  it('asks for vLLM’s own quantization method for each format', () => {
    const method = (weights: string): string | null | undefined =>
      vllm(inferencePlan({ devices: [A100], engine: 'vllm', weights })).options.get(
        '--quantization',
      );
    expect(method('fp8_e4m3')).toBe('fp8');
    expect(method('awq_int4')).toBe('awq');
    expect(method('gptq_int4')).toBe('gptq');
    expect(method('nf4')).toBe('bitsandbytes');
    expect(method('nvfp4')).toBe('modelopt_fp4');
    for (const weights of ['fp8_e4m3', 'awq_int4', 'gptq_int8', 'nf4_dq', 'mxfp4', 'int8']) {
      expect(VLLM_QUANTIZATION_METHODS).toContain(method(weights));
    }
    // A pre-quantized checkpoint is needed for AWQ: the file says so.
    const awq = vllm(inferencePlan({ devices: [A100], engine: 'vllm', weights: 'awq_int4' }));
    expect(awq.settings.text).toMatch(
      /# --quantization awq loads a checkpoint already in awq_int4/,
    );
    expect(awq.settings.notes.join('\n')).toContain('awq');
  });

  it('keeps an fp8 KV cache in fp8', () => {
    const { options } = vllm(inferencePlan({ devices: [A100], engine: 'vllm', kv: 'fp8_e4m3' }));
    expect(options.get('--kv-cache-dtype')).toBe('fp8_e4m3');
    expect(VLLM_KV_CACHE_DTYPES).toContain(options.get('--kv-cache-dtype'));
  });

  it('scales the memory share to free memory on a detected GPU (vLLM reserves share × total)', () => {
    const a100 = requireCatalogDevice(A100);
    const busy: DeviceSpec = {
      ...a100,
      id: 'local:0',
      memoryFreeBytes: 60 * 2 ** 30,
      source: { kind: 'detected', tool: 'nvidia-smi' },
    };
    const plan = planFromRequest(
      {
        modelId: LLAMA3_8B,
        deviceIds: ['local:0'],
        kvFormat: 'fp16',
        contextTokens: 8192,
        batch: 1,
        engine: 'vllm',
        marginFraction: 0.05,
        unit: 'GB',
      },
      () => busy,
    );
    // 0.9 of the 60 GiB free is 0.675 of the 80 GiB total; rounded down to 0.67.
    expect(vllm(plan, [busy]).options.get('--gpu-memory-utilization')).toBe('0.67');
  });

  it('refuses what vLLM cannot run as planned, saying what to change', () => {
    const devices = [requireCatalogDevice(RTX_4090)];
    const refuse = (plan: Plan): string =>
      headroomErrorOf(
        () => launchSettings('vllm', { plan, devices, headroomVersion: '0.1.0' }),
        'BAD_ARGUMENT',
      );
    // The plan itself refuses a KV format vLLM cannot run (core/memory/kv-formats.ts).
    expect(
      headroomErrorOf(
        () => inferencePlan({ devices: [RTX_4090], engine: 'vllm', kv: 'q8_0' }),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/vllm cannot keep the KV cache in q8_0: it runs .*fp8_e4m3/);
    expect(
      refuse(inferencePlan({ devices: [RTX_4090], engine: 'vllm', weights: 'q4_k_m' })),
    ).toMatch(/no quantization method for q4_k_m/);
    expect(refuse(inferencePlan({ devices: [RTX_4090], engine: 'llama.cpp' }))).toMatch(
      /--engine vllm/,
    );
    expect(refuse(trainingPlan([RTX_4090]))).toMatch(/inference plan/);
    const cpu = inferencePlan({ devices: ['cpu-generic'], engine: 'vllm' });
    expect(
      headroomErrorOf(
        () =>
          launchSettings('vllm', {
            plan: cpu,
            devices: [requireCatalogDevice('cpu-generic')],
            headroomVersion: '0.1.0',
          }),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/GPUs/);
  });
});
