import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { AnyPlanRequest } from '../../core/bridge';
import type { FitAnswer } from '../../core/plan/fit-answer';
import type { TrainingFit } from '../../core/plan/training-fit';
import { useDevicesStore } from './devices-store';
import { useModelStore } from './model-store';
import { createPlanBatch } from './plan-batch';
import { planRequestFor, trainingRequestFor } from './plan-requests';
import { useScenarioStore } from './scenario-store';
import { useSettingsStore } from './settings-store';
import { useTrainingStore } from './training-store';

/** One answer of Compare's answer lines: a device group's inference or training answer. */
interface AnswerKey {
  readonly kind: 'inference' | 'training';
  readonly groupKey: string;
}

/** A device group's answers, as the core searches found them (null while none has come back). */
interface GroupAnswers {
  readonly groupKey: string;
  readonly inference: FitAnswer | null;
  readonly training: TrainingFit | null;
  readonly error: string | null;
}

/**
 * The answer lines on top of Compare (issue 17): per device group, the best format that fits
 * (core/plan/fit-answer.ts) and, while training is shown, what would make training fit
 * (core/plan/training-fit.ts); both searched on the Node side, as the CLI would, in one batch.
 */
export const useAnswerStore = defineStore('answers', () => {
  const model = useModelStore();
  const devices = useDevicesStore();
  const scenario = useScenarioStore();
  const settings = useSettingsStore();
  const training = useTrainingStore();
  const batch = createPlanBatch<AnswerKey>();

  /** The model's own format: the one the answer counts GPUs for. */
  const ownFormat = computed(
    () => model.spec?.publishedFormat ?? scenario.weightsFormats[0] ?? 'bf16',
  );

  const entries = computed<{ key: AnswerKey; request: AnyPlanRequest }[]>(() =>
    devices.groups.flatMap((group) => {
      const inference = {
        key: { kind: 'inference', groupKey: group.key } as const,
        request: {
          ...planRequestFor({
            model: model.choice,
            group,
            scenario,
            weightsFormat: ownFormat.value,
            unit: settings.unit,
          }),
          answer: { engine: scenario.engine },
        },
      };
      if (!settings.showTraining) return [inference];
      const trainingEntry = {
        key: { kind: 'training', groupKey: group.key } as const,
        request: {
          ...trainingRequestFor({
            model: model.choice,
            group,
            training: training.scenario,
            contextTokens: scenario.contextTokens,
            marginFraction: scenario.marginFraction,
            unit: settings.unit,
          }),
          answer: true,
        },
      };
      return [inference, trainingEntry];
    }),
  );

  function refresh(): Promise<void> {
    return batch.run(entries.value);
  }

  const answers = computed<GroupAnswers[]>(() =>
    devices.groups.map((group) => {
      const mine = batch.cells.value.filter((cell) => cell.key.groupKey === group.key);
      const failed = mine.find((cell) => !cell.outcome.ok);
      const solution = (kind: AnswerKey['kind']) => {
        const outcome = mine.find((cell) => cell.key.kind === kind)?.outcome;
        return outcome?.ok ? outcome.value.solution : undefined;
      };
      return {
        groupKey: group.key,
        inference: solution('inference')?.fitAnswer ?? null,
        training: solution('training')?.trainingFit ?? null,
        error: failed && !failed.outcome.ok ? failed.outcome.error.message : null,
      };
    }),
  );

  /** The answers of one group. */
  function forGroup(groupKey: string): GroupAnswers | undefined {
    return answers.value.find((answer) => answer.groupKey === groupKey);
  }

  return {
    entries,
    answers,
    forGroup,
    pending: batch.pending,
    revision: batch.revision,
    refresh,
  };
});
