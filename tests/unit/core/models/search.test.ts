import { describe, expect, it } from 'vitest';
import { modelCatalog } from '../../../../core/models/catalog';
import { closestModelIds, searchModels } from '../../../../core/models/search';

const search = (query: string) => searchModels(query, modelCatalog()).map((model) => model.id);

describe('searchModels (headroom models --search)', () => {
  it('finds Llama 3.1 70B by "llama3.1 70" (issue 13 acceptance)', () => {
    expect(search('llama3.1 70')).toEqual(['meta-llama/Llama-3.1-70B']);
  });

  it('finds the base entry by a full Instruct name, "Llama-3.1-70B-Instruct" (issue 13 acceptance)', () => {
    expect(search('Llama-3.1-70B-Instruct')[0]).toBe('meta-llama/Llama-3.1-70B');
    expect(search('meta-llama/Meta-Llama-3.1-70B-Instruct')[0]).toBe('meta-llama/Llama-3.1-70B');
  });

  it('finds Qwen3 30B-A3B by "qwen3 30b", ignoring case', () => {
    expect(search('qwen3 30b')).toEqual(['Qwen/Qwen3-30B-A3B']);
    expect(search('QWEN3-30B-A3B-Instruct-2507')).toEqual(['Qwen/Qwen3-30B-A3B']);
  });

  it('finds both gpt-oss models by "gpt oss", in catalog order', () => {
    expect(search('gpt oss')).toEqual(['openai/gpt-oss-20b', 'openai/gpt-oss-120b']);
  });

  it('does not let a number stop inside a longer one: "llama 4" is not Llama 3.1 405B', () => {
    expect(search('llama 4')).toEqual([
      'meta-llama/Llama-4-Scout-17B-16E',
      'meta-llama/Llama-4-Maverick-17B-128E',
    ]);
  });

  it.each([
    ['gemma 3 27b it', 'google/gemma-3-27b-pt'],
    ['glm4.5 air', 'zai-org/GLM-4.5-Air'],
    ['kimi k2', 'moonshotai/Kimi-K2-Instruct'],
    ['deepseek r1', 'deepseek-ai/DeepSeek-R1'],
    ['mistral small 24b', 'mistralai/Mistral-Small-24B-Base-2501'],
    ['qwen3 next', 'Qwen/Qwen3-Next-80B-A3B-Instruct'],
    ['phi 4', 'microsoft/phi-4'],
    ['Maverick', 'meta-llama/Llama-4-Maverick-17B-128E'],
  ])('ranks %s first as %s', (query, id) => {
    expect(search(query)[0]).toBe(id);
  });

  it('ranks the exact name before longer ones that contain it', () => {
    expect(search('glm 4.5')).toEqual(['zai-org/GLM-4.5', 'zai-org/GLM-4.5-Air']);
  });

  it('returns the whole catalog for an empty query and nothing for a non-match', () => {
    expect(search('  ')).toHaveLength(modelCatalog().length);
    expect(search('no such model')).toEqual([]);
  });
});

describe('closestModelIds', () => {
  it('suggests the base entry first for a quantized repo the catalog lacks', () => {
    expect(closestModelIds('meta-llama/Llama-3.1-70B-Instruct-AWQ', modelCatalog())[0]).toBe(
      'meta-llama/Llama-3.1-70B',
    );
  });

  it('fills up to three with the nearest by edit distance', () => {
    const ids = closestModelIds('Qwen/Qwen4-8B', modelCatalog());
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBe('Qwen/Qwen3-8B');
  });
});
