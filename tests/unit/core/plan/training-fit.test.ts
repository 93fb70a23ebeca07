import { describe, expect, it } from 'vitest';
import { trainingFitLine } from '../../../../core/plan/answer-lines';
import { trainingFit } from '../../../../core/plan/training-fit';
import { planTraining } from '../../../../core/training';
import { trainingInputFromRequest } from '../../../../core/training/from-options';
import { trainingScenario } from '../../../../core/training/scenario';

const inputFor = (
  modelId: string,
  deviceIds: string[],
  scenario: Parameters<typeof trainingScenario>[0],
) =>
  trainingInputFromRequest({
    modelId,
    deviceIds,
    scenario: trainingScenario(scenario),
    unit: 'GiB',
  });

describe('what would make training fit', () => {
  it('QLoRA 70B on one 48 GB card: full checkpointing + 2k sequence (issue 17, found by trial and error there)', () => {
    const input = inputFor('meta-llama/Llama-3.1-70B', ['nvidia-rtx-a6000'], {
      finetune: 'qlora',
      contextTokens: 4096,
    });
    expect(planTraining(input).verdict.fits).toBe(false);
    const fit = trainingFit(input)!;
    expect(trainingFitLine(fit)).toBe('Fits with: full checkpointing + 2k sequence');
    // The changes it names do make the plan fit, and neither alone does.
    const changed = { ...input.scenario, checkpointing: 'full' as const, contextTokens: 2048 };
    expect(planTraining({ ...input, scenario: changed }).verdict.fits).toBe(true);
    expect(
      planTraining({ ...input, scenario: { ...changed, contextTokens: 4096 } }).verdict.fits,
    ).toBe(false);
  });

  it('adds GPUs with ZeRO-3 when no recipe change is enough (8B full fine-tune on one RTX 4090)', () => {
    const fit = trainingFit(inputFor('meta-llama/Llama-3.1-8B', ['nvidia-rtx-4090'], {}))!;
    expect(fit.found).toBe(true);
    expect(fit.gpus).toBeGreaterThan(1);
    expect(fit.changes.at(-1)!.label).toBe(`${fit.gpus} GPUs with ZeRO-3`);
  });

  it('says it fits as set, and null without a device', () => {
    const fit = trainingFit(
      inputFor('meta-llama/Llama-3.1-8B', ['nvidia-a100-sxm-80gb'], { finetune: 'lora' }),
    )!;
    expect(fit.fitsAsIs).toBe(true);
    expect(trainingFitLine(fit)).toBe('Fits as set');
    expect(trainingFit(inputFor('meta-llama/Llama-3.1-8B', [], {}))).toBeNull();
  });
});
