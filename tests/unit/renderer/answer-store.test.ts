import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { fitAnswer } from '../../../core/plan/fit-answer';
import { planInputFromRequest } from '../../../core/plan/plan-request';
import { trainingFit } from '../../../core/plan/training-fit';
import { trainingInputFromRequest } from '../../../core/training/from-options';
import { installBridge } from '../../../renderer/bridge/current';
import { useAnswerStore } from '../../../renderer/stores/answer-store';
import { useSettingsStore } from '../../../renderer/stores/settings-store';
import { useTrainingStore } from '../../../renderer/stores/training-store';
import { startWorkbench } from '../../../renderer/stores/startup';
import { testBridge } from './test-bridge';

describe('the answer lines of Compare', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    installBridge(testBridge());
  });

  it('answers per device group with the core searches, through the bridge as the CLI plans', async () => {
    await startWorkbench();
    const answers = useAnswerStore();
    await answers.refresh();
    const [first] = answers.answers;
    expect(first!.error).toBeNull();
    expect(first!.inference).toEqual(
      fitAnswer(
        planInputFromRequest({
          modelId: 'meta-llama/Llama-3.1-8B',
          deviceIds: ['nvidia-rtx-4090'],
          weightsFormat: 'bf16',
          kvFormat: 'fp16',
          contextTokens: 4096,
          batch: 1,
          engine: 'transformers',
          marginFraction: 0.05,
          unit: 'GiB',
        }),
        'auto',
      ),
    );
    expect(first!.training).toEqual(
      trainingFit(
        trainingInputFromRequest({
          modelId: 'meta-llama/Llama-3.1-8B',
          deviceIds: ['nvidia-rtx-4090'],
          scenario: { ...useTrainingStore().scenario, contextTokens: 4096, marginFraction: 0.05 },
          unit: 'GiB',
        }),
      ),
    );
  });

  it('asks no training answer while training is hidden', async () => {
    await startWorkbench();
    useSettingsStore().setShowTraining(false);
    const answers = useAnswerStore();
    expect(answers.entries.map((entry) => entry.key.kind)).toEqual(['inference']);
  });
});
