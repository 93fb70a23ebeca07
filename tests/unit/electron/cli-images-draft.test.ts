import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferencePlan } from '../../../core/plan/types';
import { ggufFile, T, type GgufTensorSpec } from '../../helpers/model-file-writers';
import { runHeadroom } from '../../helpers/run-command';
import { tinyLlamaGguf } from '../../helpers/tiny-models';

// Issue 13: `--images`, `--mmproj <file>` and `--draft <model>` through the real CLI.

/**
 * A small mmproj as llama.cpp's converter writes one (general.architecture "clip",
 * clip.projector_type, `v.*` and `mm.*` tensors in f16): Gemma 3's patch embedding and
 * projector shapes, in ggml order (ne[0] first).
 */
const MMPROJ_TENSORS: readonly GgufTensorSpec[] = [
  { name: 'v.patch_embd.weight', dims: [14, 14, 3, 1152], type: 'f16' },
  { name: 'v.post_ln.weight', dims: [1152], type: 'f32' },
  { name: 'mm.input_projection.weight', dims: [5376, 1152], type: 'f16' },
];
/** ggml_nbytes of those tensors: elements × 2 bytes (f16), × 4 (f32). */
const MMPROJ_BYTES = (14 * 14 * 3 * 1152 + 5376 * 1152) * 2 + 1152 * 4;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-cli-mm-'));
  const mmproj = ggufFile(
    [
      ['general.architecture', T.STR, 'clip'],
      ['clip.projector_type', T.STR, 'gemma3'],
    ],
    MMPROJ_TENSORS,
  );
  await writeFile(join(dir, 'mmproj-test-f16.gguf'), mmproj);
  const { kvs, tensors } = tinyLlamaGguf();
  await writeFile(join(dir, 'tiny.gguf'), ggufFile(kvs, tensors));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const GEMMA_ON_LLAMA_CPP = [
  '--model',
  'google/gemma-3-27b-pt',
  '--engine',
  'llama.cpp',
  '--weights',
  'q4_k_m',
  '--device',
  'nvidia-h100-sxm-80gb',
];

describe('headroom plan --images --mmproj --draft', () => {
  it('counts the mmproj file’s tensor bytes and names it in the llama.cpp launch', async () => {
    const mmproj = join(dir, 'mmproj-test-f16.gguf');
    const planned = await runHeadroom([
      'plan',
      ...GEMMA_ON_LLAMA_CPP,
      '--images',
      '2',
      '--mmproj',
      mmproj,
      '--json',
    ]);
    expect(planned.stderr).toBe('');
    const plan = JSON.parse(planned.stdout) as InferencePlan;
    expect(plan.memory.multimodal).toMatchObject({
      images: 2,
      imageTokens: 512,
      visionWeightBytes: MMPROJ_BYTES,
      visionWeightsSource: 'mmproj-file',
    });
    expect(plan.scenario.mmprojFile).toBe('mmproj-test-f16.gguf');

    const launched = await runHeadroom([
      'launch',
      ...GEMMA_ON_LLAMA_CPP,
      '--images',
      '2',
      '--mmproj',
      mmproj,
    ]);
    expect(launched.code).toBe(0);
    expect(launched.stdout).toContain('--mmproj mmproj-test-f16.gguf');
  });

  it('refuses --mmproj without --images, a language model given as the mmproj, and --draft-tokens alone', async () => {
    const alone = await runHeadroom([
      'plan',
      ...GEMMA_ON_LLAMA_CPP,
      '--mmproj',
      join(dir, 'mmproj-test-f16.gguf'),
    ]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('add --images <n>');
    const wrong = await runHeadroom([
      'plan',
      ...GEMMA_ON_LLAMA_CPP,
      '--images',
      '1',
      '--mmproj',
      join(dir, 'tiny.gguf'),
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('not an mmproj file');
    const tokensAlone = await runHeadroom(['plan', ...GEMMA_ON_LLAMA_CPP, '--draft-tokens', '4']);
    expect(tokensAlone.code).toBe(2);
    expect(tokensAlone.stderr).toContain('add --draft <model>');
  });

  it('plans a draft from a GGUF file and launches llama-server with -md <that file>', async () => {
    const draft = join(dir, 'tiny.gguf');
    const args = [
      '--model',
      'meta-llama/Llama-3.1-8B',
      '--engine',
      'llama.cpp',
      '--weights',
      'q4_k_m',
      '--device',
      'nvidia-rtx-4090',
      '--draft',
      draft,
      '--draft-tokens',
      '8',
    ];
    const plan = JSON.parse(
      (await runHeadroom(['plan', ...args, '--json'])).stdout,
    ) as InferencePlan;
    expect(plan.memory.speculative).toMatchObject({
      method: 'draft-model',
      model: draft,
      draftTokens: 8,
    });
    expect(plan.memory.speculative!.weightBytes).toBeGreaterThan(0);
    const launched = await runHeadroom(['launch', ...args]);
    expect(launched.stdout).toContain(`-md ${draft}`);
    expect(launched.stdout).toContain('--draft-max 8');
  });

  it('says the images and the draft on the scenario line of the text plan', async () => {
    const result = await runHeadroom([
      'plan',
      '--model',
      'google/gemma-3-27b-pt',
      '--device',
      'nvidia-h100-sxm-80gb',
      '--engine',
      'vllm',
      '--images',
      '2',
      '--draft',
      'google/gemma-3-1b-pt',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('· 2 images (512 tokens) · draft google/gemma-3-1b-pt');
    expect(result.stdout).toContain('vLLM encoder cache');
  });

  it('refuses --images in training mode', async () => {
    const result = await runHeadroom([
      'plan',
      '--model',
      'google/gemma-3-27b-pt',
      '--mode',
      'training',
      '--images',
      '1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--images only applies to --mode inference');
  });
});
