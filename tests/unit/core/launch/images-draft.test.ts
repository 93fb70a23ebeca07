import { describe, expect, it } from 'vitest';
import type { PlanRequest } from '../../../../core/bridge';
import { launchSettings } from '../../../../core/launch';
import { VLLM_DRAFT_MODEL_SPECULATIVE_TOKENS } from '../../../../core/launch/vllm';
import { requireCatalogDevice } from '../../../../core/plan/lookups';
import { planFromRequest } from '../../../../core/plan/plan-request';
import type { Plan } from '../../../../core/plan/types';
import { LLAMA_SERVER_ARGS, VLLM_SERVE_ARGS } from './documented';
import { optionsOf, shellInvocations } from './shell-argv';

const H100 = 'nvidia-h100-sxm-80gb';

function plan(overrides: Partial<PlanRequest>): Plan {
  return planFromRequest({
    modelId: 'google/gemma-3-27b-pt',
    deviceIds: [H100],
    contextTokens: 4096,
    batch: 2,
    engine: 'vllm',
    marginFraction: 0.05,
    unit: 'GB',
    ...overrides,
  });
}

/** The options of the one command a launch script runs, checked against the documented names. */
function optionsOfLaunch(engine: 'vllm' | 'llama.cpp', planned: Plan): Map<string, string | null> {
  const settings = launchSettings(engine, {
    plan: planned,
    devices: planned.scenario.devices.map(requireCatalogDevice),
    headroomVersion: '0.1.0',
  });
  const program = engine === 'vllm' ? 'vllm' : 'llama-server';
  const [argv] = shellInvocations(settings.text, [program]);
  const options = optionsOf(argv!, engine === 'vllm' ? 2 : 0);
  const documented = engine === 'vllm' ? VLLM_SERVE_ARGS : LLAMA_SERVER_ARGS;
  for (const flag of options.keys()) expect(documented).toContain(flag);
  return options;
}

describe('launch settings for images and speculative decoding', () => {
  it('llama.cpp: --mmproj for images, their tokens in every slot of -c, -md and --draft-max for the draft', () => {
    const options = optionsOfLaunch(
      'llama.cpp',
      plan({
        engine: 'llama.cpp',
        weightsFormat: 'q4_k_m',
        images: 2,
        draft: 'google/gemma-3-1b-pt',
        draftTokens: 8,
      }),
    );
    expect(options.get('--mmproj')).toBe('mmproj-gemma-3-27b-pt-f16.gguf');
    // Two slots of 4096 text tokens and two images of 256 tokens each.
    expect(options.get('-c')).toBe(String((4096 + 2 * 256) * 2));
    expect(options.get('-md')).toBe('gemma-3-1b-pt-Q4_K_M.gguf');
    expect(options.get('--draft-max')).toBe('8');
  });

  it('llama.cpp: the mmproj file the plan read, and nothing multimodal without images', () => {
    const mmproj = { fileName: 'mmproj-model-f16.gguf', weightBytes: 8.5e8, params: 4.2e8 };
    const withFile = planFromRequest({
      modelId: 'google/gemma-3-27b-pt',
      deviceIds: [H100],
      contextTokens: 4096,
      batch: 1,
      engine: 'llama.cpp',
      weightsFormat: 'q4_k_m',
      marginFraction: 0.05,
      unit: 'GB',
      images: 1,
      mmproj,
    });
    expect(optionsOfLaunch('llama.cpp', withFile).get('--mmproj')).toBe('mmproj-model-f16.gguf');
    const textOnly = optionsOfLaunch(
      'llama.cpp',
      plan({ engine: 'llama.cpp', weightsFormat: 'q4_k_m' }),
    );
    expect(textOnly.has('--mmproj')).toBe(false);
    expect(textOnly.has('-md')).toBe(false);
  });

  it('vLLM: the draft model as --speculative-config JSON, 5 tokens unless told (vLLM docs spec_decode)', () => {
    const options = optionsOfLaunch(
      'vllm',
      plan({ modelId: 'meta-llama/Llama-3.1-8B', draft: 'meta-llama/Llama-3.2-1B' }),
    );
    expect(JSON.parse(options.get('--speculative-config')!)).toEqual({
      model: 'meta-llama/Llama-3.2-1B',
      num_speculative_tokens: VLLM_DRAFT_MODEL_SPECULATIVE_TOKENS,
    });
    expect(options.has('--limit-mm-per-prompt')).toBe(false);
  });

  it('vLLM: MTP as method "mtp", the token count only when given', () => {
    const deepseek = {
      modelId: 'deepseek-ai/DeepSeek-V3',
      deviceIds: Array<string>(8).fill('nvidia-h200-sxm-141gb'),
      draft: 'mtp',
    };
    expect(
      JSON.parse(optionsOfLaunch('vllm', plan(deepseek)).get('--speculative-config')!),
    ).toEqual({ method: 'mtp' });
    expect(
      JSON.parse(
        optionsOfLaunch('vllm', plan({ ...deepseek, draftTokens: 2 })).get('--speculative-config')!,
      ),
    ).toEqual({ method: 'mtp', num_speculative_tokens: 2 });
  });

  it('vLLM: the images per prompt the plan counted, 0 for a vision model planned text only', () => {
    const withImages = optionsOfLaunch('vllm', plan({ images: 3 }));
    expect(JSON.parse(withImages.get('--limit-mm-per-prompt')!)).toEqual({ image: 3 });
    expect(withImages.get('--max-model-len')).toBe(String(4096 + 3 * 256));
    const textOnly = optionsOfLaunch('vllm', plan({}));
    expect(JSON.parse(textOnly.get('--limit-mm-per-prompt')!)).toEqual({ image: 0 });
    expect(textOnly.get('--max-model-len')).toBe('4096');
  });

  it('Ollama: image tokens in num_ctx, and a note that it loads no draft', () => {
    const planned = plan({
      engine: 'llama.cpp',
      weightsFormat: 'q4_k_m',
      batch: 1,
      images: 1,
      draft: 'google/gemma-3-1b-pt',
    });
    const settings = launchSettings('ollama', {
      plan: planned,
      devices: planned.scenario.devices.map(requireCatalogDevice),
      headroomVersion: '0.1.0',
    });
    expect(settings.text).toContain(`PARAMETER num_ctx ${4096 + 256}`);
    expect(settings.notes.join(' ')).toContain('Ollama has no draft-model setting');
  });
});
