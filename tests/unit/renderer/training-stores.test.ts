import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TrainingScenario } from '../../../core/plan/types';
import { planTrainingFromOptions, trainingScenario } from '../../../core/training';
import { validateTrainingScenario } from '../../../core/training';
import { installBridge } from '../../../renderer/bridge/current';
import { useCompareStore } from '../../../renderer/stores/compare-store';
import { useScenarioStore } from '../../../renderer/stores/scenario-store';
import { useSettingsStore } from '../../../renderer/stores/settings-store';
import { startWorkbench } from '../../../renderer/stores/startup';
import {
  DEFAULT_TRAIN_TOKENS,
  offloadsAllowed,
  SHARDING_LABELS,
  useTrainingStore,
  type Sharding,
} from '../../../renderer/stores/training-store';
import { testBridge } from './test-bridge';

/** What `headroom plan --mode training --model meta-llama/Llama-3.1-8B --device nvidia-rtx-4090` plans, given the same flags. */
function cliTraining(
  overrides: Partial<Omit<TrainingScenario, 'mode'>>,
  deviceIds = ['nvidia-rtx-4090'],
) {
  return planTrainingFromOptions({
    modelId: 'meta-llama/Llama-3.1-8B',
    deviceIds,
    scenario: trainingScenario({ trainTokens: DEFAULT_TRAIN_TOKENS, ...overrides }),
    unit: 'GiB',
  });
}

async function trainingCell() {
  const compare = useCompareStore();
  await compare.refresh();
  const cell = compare.cells.find((entry) => entry.key.kind === 'training');
  if (!cell) throw new Error('no training card');
  if (!cell.outcome.ok) throw new Error(cell.outcome.error.message);
  return cell.outcome.value;
}

describe('the training card of Compare', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    installBridge(testBridge());
    await startWorkbench();
  });

  it('plans what `plan --mode training` plans for the same flags (core defaults, 1B tokens)', async () => {
    expect(await trainingCell()).toEqual(cliTraining({}));
  });

  it('re-plans with every control: QLoRA r16 on q,k,v,o, full recompute, micro-batch 4, 8k context', async () => {
    const training = useTrainingStore();
    training.update({ finetune: 'qlora', loraRank: 16, checkpointing: 'full', microBatch: 4 });
    training.toggleLoraTarget('k', true);
    training.toggleLoraTarget('o', true);
    useScenarioStore().setContextTokens(8192);
    expect(await trainingCell()).toEqual(
      cliTraining({
        finetune: 'qlora',
        loraRank: 16,
        loraTargets: ['q', 'v', 'k', 'o'],
        checkpointing: 'full',
        microBatch: 4,
        contextTokens: 8192,
      }),
    );
  });

  it('plans FSDP FULL_SHARD with optimizer offload across a group as --fsdp full --offload optimizer', async () => {
    const training = useTrainingStore();
    training.setSharding('fsdp-full');
    training.update({ offload: 'optimizer' });
    expect(training.sharding).toBe('fsdp-full');
    const plan = await trainingCell();
    expect(plan).toEqual(cliTraining({ fsdp: 'full', zeroStage: 3, offload: 'optimizer' }));
  });

  it('hides training when the toggle is off, and keeps the inference cards', async () => {
    useSettingsStore().setShowTraining(false);
    const compare = useCompareStore();
    await compare.refresh();
    expect(compare.cells.map((cell) => cell.key.kind)).toEqual([
      'inference',
      'inference',
      'inference',
    ]);
  });
});

describe('the sharding and offload controls', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('offer exactly the offloads core accepts for each sharding choice', () => {
    const training = useTrainingStore();
    for (const sharding of Object.keys(SHARDING_LABELS) as Sharding[]) {
      training.setSharding(sharding);
      for (const offload of ['none', 'optimizer', 'optimizer+params'] as const) {
        const scenario = { ...training.scenario, offload };
        const allowed = offloadsAllowed(training.scenario.zeroStage).includes(offload);
        // validateTrainingScenario is what `plan --mode training` checks flags with.
        if (allowed) expect(() => validateTrainingScenario(scenario)).not.toThrow();
        else expect(() => validateTrainingScenario(scenario), `${sharding} ${offload}`).toThrow();
      }
    }
  });

  it('drops an offload the new sharding no longer allows', () => {
    const training = useTrainingStore();
    training.setSharding('zero-3');
    training.update({ offload: 'optimizer+params' });
    training.setSharding('zero-2');
    expect(training.scenario.offload).toBe('none');
    expect(() => validateTrainingScenario(training.scenario)).not.toThrow();
  });
});
