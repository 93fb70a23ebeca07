import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parse, parseDocument } from 'yaml';
import { launchSettings, type LaunchEngine } from '../../../../core/launch';
import { yamlDocument, yamlScalar } from '../../../../core/launch/yaml-text';
import { requireCatalogDevice } from '../../../../core/plan/lookups';
import type { Plan, TrainingScenario } from '../../../../core/plan/types';
import { headroomErrorOf, inferencePlan, RTX_4090, trainingPlan } from '../report/fixtures';
import {
  ACCELERATE_CONFIG_KEYS,
  ACCELERATE_FSDP_KEYS,
  DEEPSPEED_KEYS,
  DEEPSPEED_OFFLOAD_KEYS,
  FSDP_SHARDING_STRATEGIES,
  TORCHRUN_ARGS,
} from './documented';
import { optionsOf, shellInvocations } from './shell-argv';

const H100 = 'nvidia-h100-sxm-80gb';
const EIGHT_H100 = Array.from({ length: 8 }, () => H100);

function settingsOf(engine: LaunchEngine, plan: Plan) {
  return launchSettings(engine, {
    plan,
    devices: plan.scenario.devices.map(requireCatalogDevice),
    headroomVersion: '0.1.0',
  });
}

type Json = Record<string, unknown>;

/** The DeepSpeed config parsed as JSON, every key checked against config-json.md. */
function deepspeed(scenario: Partial<Omit<TrainingScenario, 'mode'>>, devices = EIGHT_H100) {
  const settings = settingsOf('deepspeed', trainingPlan(devices, scenario));
  expect(settings.syntax).toBe('json');
  const config = JSON.parse(settings.text) as Json;
  for (const [key, value] of Object.entries(config)) {
    if (key === 'comment') continue;
    expect(Object.keys(DEEPSPEED_KEYS)).toContain(key);
    const allowed = DEEPSPEED_KEYS[key];
    if (allowed) for (const sub of Object.keys(value as Json)) expect(allowed).toContain(sub);
  }
  const zero = config['zero_optimization'] as Json;
  for (const offload of ['offload_optimizer', 'offload_param']) {
    if (zero[offload]) {
      for (const key of Object.keys(zero[offload] as Json))
        expect(DEEPSPEED_OFFLOAD_KEYS).toContain(key);
    }
  }
  return { settings, config, zero };
}

/** The accelerate config as PyYAML (YAML 1.1) reads it, keys checked against accelerate's. */
function accelerate(plan: Plan) {
  const settings = settingsOf('fsdp', plan);
  expect(settings.syntax).toBe('yaml');
  const config = parse(settings.text, { version: '1.1' }) as Json;
  for (const key of Object.keys(config)) expect(ACCELERATE_CONFIG_KEYS).toContain(key);
  const fsdp = config['fsdp_config'] as Json;
  for (const key of Object.keys(fsdp)) expect(ACCELERATE_FSDP_KEYS).toContain(key);
  expect(FSDP_SHARDING_STRATEGIES).toContain(fsdp['fsdp_sharding_strategy']);
  return { settings, config, fsdp };
}

describe('DeepSpeed launch settings (ds_config.json)', () => {
  it('sets ZeRO-3 with optimizer offload, bf16, and the batch shape of the plan', () => {
    const { config, zero } = deepspeed({
      zeroStage: 3,
      offload: 'optimizer',
      microBatch: 2,
      gradAccum: 8,
    });
    expect(config['train_micro_batch_size_per_gpu']).toBe(2);
    expect(config['gradient_accumulation_steps']).toBe(8);
    // train_batch_size is left to DeepSpeed: micro × accumulation × GPUs (config-json.md note).
    expect(config).not.toHaveProperty('train_batch_size');
    expect(zero).toEqual({ stage: 3, offload_optimizer: { device: 'cpu' } });
    // Mixed precision = bf16 mode, fp32 master weights inside ZeRO.
    expect(config['bf16']).toEqual({ enabled: true });
  });

  it('names the plan in a top-level comment key and leaves the rest to DeepSpeed', () => {
    const { config } = deepspeed({ zeroStage: 1 });
    expect(config['comment']).toMatch(
      /^Headroom 0\.1\.0 launch settings for the plan `headroom plan /,
    );
    expect(config['comment']).toContain('--zero 1');
    expect(Object.keys(config).sort()).toEqual(
      [
        'bf16',
        'comment',
        'gradient_accumulation_steps',
        'train_micro_batch_size_per_gpu',
        'zero_optimization',
      ].sort(),
    );
  });

  it('maps each precision recipe to its DeepSpeed section', () => {
    expect(deepspeed({ precision: 'fp32' }).config).not.toHaveProperty('bf16');
    expect(deepspeed({ precision: 'amp' }).config['torch_autocast']).toEqual({
      enabled: true,
      dtype: 'float16',
    });
    // Pure bf16: master weights and moments in bf16 (config-json.md bf16 support matrix: ZeRO 1–3).
    expect(deepspeed({ precision: 'bf16', zeroStage: 2 }).config['bf16']).toEqual({
      enabled: true,
      bf16_master_weights_and_grads: true,
      bf16_optimizer_states: true,
    });
    expect(
      headroomErrorOf(() => deepspeed({ precision: 'bf16', zeroStage: 0 }), 'BAD_ARGUMENT'),
    ).toMatch(/ZeRO stage 1, 2 or 3/);
    expect(
      headroomErrorOf(
        () => deepspeed({ precision: 'bf16', zeroStage: 2, optimizerStateDtype: 'fp32' }),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/ZeRO-Offload/);
  });

  it('offloads parameters under ZeRO-3 and sets AutoTP for tensor parallelism', () => {
    expect(deepspeed({ zeroStage: 3, offload: 'optimizer+params' }).zero).toEqual({
      stage: 3,
      offload_optimizer: { device: 'cpu' },
      offload_param: { device: 'cpu' },
    });
    expect(deepspeed({ zeroStage: 1, tensorParallel: 2 }).config['tensor_parallel']).toEqual({
      autotp_size: 2,
    });
  });

  it('refuses an FSDP plan and an inference plan', () => {
    expect(
      headroomErrorOf(
        () => settingsOf('deepspeed', trainingPlan(EIGHT_H100, { fsdp: 'full' })),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/set the launch engine to fsdp/);
    expect(
      headroomErrorOf(
        () => settingsOf('deepspeed', inferencePlan({ devices: [RTX_4090] })),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/--mode training/);
  });
});

describe('accelerate FSDP launch settings (YAML)', () => {
  it('shards fully over two nodes of eight GPUs with recompute and bf16', () => {
    const plan = trainingPlan(EIGHT_H100, { fsdp: 'full', nodes: 2, checkpointing: 'full' });
    const { settings, config, fsdp } = accelerate(plan);
    expect(config['distributed_type']).toBe('FSDP');
    expect(config['mixed_precision']).toBe('bf16');
    expect(config['num_machines']).toBe(2);
    // accelerate's num_processes counts every process: utils/launch.py divides it by num_machines.
    expect(config['num_processes']).toBe(16);
    expect(fsdp).toEqual({
      fsdp_sharding_strategy: 'FULL_SHARD',
      fsdp_offload_params: false,
      fsdp_activation_checkpointing: true,
    });
    // Left to accelerate: compute_environment defaults to LOCAL_MACHINE (config_args.py).
    expect(config).not.toHaveProperty('compute_environment');
    // The comment lines before the first key, as the yaml parser attaches them to that key.
    const contents = parseDocument(settings.text).contents;
    const comment =
      isMap(contents) && isScalar(contents.items[0]?.key)
        ? contents.items[0].key.commentBefore
        : '';
    expect(comment).toMatch(
      /Headroom 0\.1\.0 launch settings for the plan `headroom plan .*--fsdp full/,
    );
    expect(comment).toContain('machine_rank');
  });

  it('writes "no" so that PyYAML reads a string, not false (YAML 1.1 booleans)', () => {
    const { config } = accelerate(
      trainingPlan([H100, H100], { fsdp: 'grad-op', precision: 'fp32' }),
    );
    expect(config['mixed_precision']).toBe('no');
    expect((config['fsdp_config'] as Json)['fsdp_sharding_strategy']).toBe('SHARD_GRAD_OP');
    expect(yamlScalar('no')).toBe('"no"');
    expect(yamlScalar('On')).toBe('"On"');
    expect(yamlScalar('FULL_SHARD')).toBe('FULL_SHARD');
    expect(yamlScalar('a: b # c')).toBe('"a: b # c"');
    expect(parse(yamlDocument({ text: 'a: b # c', n: 2, yes: true }), { version: '1.1' })).toEqual({
      text: 'a: b # c',
      n: 2,
      yes: true,
    });
  });

  it('offloads parameters with fsdp_offload_params, and refuses what FSDP cannot express', () => {
    const { fsdp } = accelerate(
      trainingPlan([H100, H100], { fsdp: 'full', offload: 'optimizer+params' }),
    );
    expect(fsdp['fsdp_offload_params']).toBe(true);
    const refuse = (scenario: Partial<Omit<TrainingScenario, 'mode'>>): string =>
      headroomErrorOf(
        () => settingsOf('fsdp', trainingPlan([H100, H100], scenario)),
        'BAD_ARGUMENT',
      );
    expect(refuse({ zeroStage: 3 })).toMatch(/set FSDP sharding to full/);
    expect(refuse({ fsdp: 'full', offload: 'optimizer' })).toMatch(/optimizer\+params/);
    expect(refuse({ fsdp: 'full', tensorParallel: 2 })).toMatch(/the tensor-parallel degree/);
  });
});

describe('torchrun launch settings', () => {
  it('starts one process per GPU on each node', () => {
    const settings = settingsOf('torchrun', trainingPlan(EIGHT_H100, { nodes: 2, zeroStage: 3 }));
    const invocations = shellInvocations(settings.text, ['torchrun']);
    expect(invocations).toHaveLength(1);
    const argv = invocations[0]!;
    expect(argv.at(-1)).toBe('train.py');
    const options = optionsOf(argv.slice(0, -1), 0);
    for (const flag of options.keys()) expect(TORCHRUN_ARGS).toContain(flag);
    expect(options.get('--nnodes')).toBe('2');
    expect(options.get('--nproc-per-node')).toBe('8');
    expect(settings.text).toMatch(/^# .*--rdzv-endpoint=HOST:PORT/m);
    expect(settings.notes.some((note) => note.includes('micro-batch 1 per GPU'))).toBe(true);
  });

  it('refuses an inference plan and a plan without GPUs', () => {
    expect(
      headroomErrorOf(
        () => settingsOf('torchrun', inferencePlan({ devices: [RTX_4090] })),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/--mode training/);
  });
});
