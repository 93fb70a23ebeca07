import { describe, expect, it } from 'vitest';
import type { PlanRequest } from '../../../../core/bridge';
import { fitAnswerLine } from '../../../../core/plan/answer-lines';
import { answerCandidates, fitAnswer } from '../../../../core/plan/fit-answer';
import { planFromRequest, planInputFromRequest } from '../../../../core/plan/plan-request';
import { BYTES_PER_GIB } from '../../../../core/units/bytes';

const QWEN_32B_ON_4090: PlanRequest = {
  modelId: 'Qwen/Qwen2.5-32B',
  deviceIds: ['nvidia-rtx-4090'],
  contextTokens: 4096,
  batch: 1,
  engine: 'generic',
  kvFormat: 'fp16',
  marginFraction: 0.05,
  unit: 'GiB',
};

describe('the answer line of Compare', () => {
  it('finds the best format of Qwen2.5-32B on an RTX 4090 by planning, each on its own engine', () => {
    const answer = fitAnswer(planInputFromRequest(QWEN_32B_ON_4090), 'auto')!;
    // The answer is the plan the card of that format shows: same engine, same headroom.
    const best = answer.best!;
    const plan = planFromRequest({
      ...QWEN_32B_ON_4090,
      weightsFormat: best.formatId,
      engine: best.engine,
    });
    expect(plan.verdict.status).toBe('fits');
    expect(best.headroomBytes).toBe(plan.memory.perDevice[0]!.headroom);
    // 32 B parameters at ~4.9 bits are ~19 GB: Q4_K_M is the best GGUF mix that leaves room.
    expect(best.formatId).toBe('q4_k_m');
    expect(best.engine).toBe('llama.cpp');
    // BF16 (64 GB) needs more 24 GiB cards: the planner's own minimum.
    const bf16 = planFromRequest({
      ...QWEN_32B_ON_4090,
      weightsFormat: 'bf16',
      engine: 'transformers',
    });
    expect(answer.reference).toMatchObject({
      formatId: 'bf16',
      minDevices: bf16.verdict.minDevices,
    });
    expect(answer.reference!.minDevices!).toBeGreaterThan(1);
  });

  it('reads as the issue asks: best format, spare memory, the tight one, GPUs for BF16', () => {
    const line = fitAnswerLine(
      {
        devices: 1,
        best: {
          formatId: 'q4_k_m',
          label: 'Q4_K_M',
          engine: 'llama.cpp',
          status: 'fits',
          headroomBytes: 3.3 * BYTES_PER_GIB,
        },
        tight: {
          formatId: 'q5_k_m',
          label: 'Q5_K_M',
          engine: 'llama.cpp',
          status: 'tight',
          headroomBytes: 0.5 * BYTES_PER_GIB,
        },
        reference: {
          formatId: 'bf16',
          label: 'BF16',
          engine: 'transformers',
          status: 'does-not-fit',
          headroomBytes: -40 * BYTES_PER_GIB,
          minDevices: 2,
        },
      },
      'NVIDIA GeForce RTX 4090 24GB',
      'GiB',
    );
    expect(line).toBe(
      'Best that fits on NVIDIA GeForce RTX 4090 24GB with llama.cpp: Q4_K_M — 3.3 GiB spare; Q5_K_M tight; needs 2 GPUs for BF16',
    );
  });

  it('names no format better than the model’s own, nor an alias twice', () => {
    const ids = answerCandidates('auto', 'bf16').map((format) => format.id);
    expect(ids[0]).toBe('bf16');
    expect(ids).not.toContain('fp32');
    expect(ids).toContain('q4_k_m');
    expect(ids).not.toContain('q4_k');
    expect(
      answerCandidates('llama.cpp', 'bf16').every((f) => f.engines.includes('llama.cpp')),
    ).toBe(true);
  });

  it('answers null without a device, and says when nothing fits', () => {
    expect(
      fitAnswer(planInputFromRequest({ ...QWEN_32B_ON_4090, deviceIds: [] }), 'auto'),
    ).toBeNull();
    const answer = fitAnswer(
      planInputFromRequest({ ...QWEN_32B_ON_4090, modelId: 'meta-llama/Llama-3.1-405B' }),
      'vllm',
    )!;
    expect(answer.best).toBeNull();
    expect(fitAnswerLine(answer, 'RTX 4090', 'GiB')).toMatch(/^Nothing fits on RTX 4090/);
  });
});
