import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  methodFromOptions,
  parsePastedValues,
  quantJson,
  syntheticTensor,
  vectorInput,
  type QuantInputDescription,
  type SyntheticDistribution,
  type SyntheticSpec,
} from '../../core/quantlab';
import type { MethodOptions } from '../../core/quantlab/method-options';
import { MIN_IN_MEMORY_BLOCK_SIZE } from '../../core/quantlab/methods';
import { DEFAULT_STUDENT_T_DF } from '../../core/quantlab/synthetic';
import { formatInteger } from '../../core/units/numbers';
import { downloadFile } from '../downloads';
import {
  experimentSteps,
  MAX_LAB_VALUES,
  type ExperimentInput,
  type ExperimentResult,
} from '../quantlab/experiment';
import {
  choiceOptions,
  LAB_DEFAULT_BLOCK,
  METHOD_CHOICES,
  type MethodChoice,
} from '../quantlab/method-menu';
import { errorMessage } from './error-message';

/**
 * The seed article's worked example (shared/seeds/004…, "LLMs quantization": absmax int8 of
 * these eight weights gives [28, -12, -101, 28, -73, 19, 56, 127]).
 */
const SEED_EXAMPLE_VALUES: readonly number[] = [1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4];

/**
 * The synthetic tensor the outlier chart sweeps when the input is pasted: 4096 standard normal
 * values (seed 1), the size of the largest block the lab takes (MAX_BLOCK_SIZE).
 */
const OUTLIER_BASE_VALUES = 4096;

export type LabInputKind = 'seed' | 'pasted' | 'synthetic';

/** Lets the browser paint between steps (a macrotask: input and rendering get their turn). */
const yieldToBrowser = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The quantization lab on values held in the page (issue 9): the seed example, pasted numbers
 * or a seeded synthetic tensor of up to a million values, quantized with the chosen methods by
 * core/quantlab, step by step with progress. File scans are the scan store's (Node side).
 */
export const useQuantLabStore = defineStore('quantlab', () => {
  const inputKind = ref<LabInputKind>('seed');
  const pastedText = ref(SEED_EXAMPLE_VALUES.join(', '));
  const distribution = ref<SyntheticDistribution>('normal');
  const count = ref(65_536);
  const seed = ref(1);
  const scale = ref(1);
  const degreesOfFreedom = ref(DEFAULT_STUDENT_T_DF);
  const outlierCount = ref(0);
  const outlierMagnitude = ref(20);
  /** Chosen methods by MethodChoice id, in menu order; the first is shown in detail. */
  const methodIds = ref<readonly string[]>(['absmax-8', 'zeropoint-8', 'blockwise-8', 'nf4']);
  const block = ref(LAB_DEFAULT_BLOCK);
  /** The method the detail view shows (codes, levels, JSON); the first chosen when unset. */
  const detailId = ref<string | null>(null);

  const result = shallowRef<ExperimentResult | null>(null);
  const inputValues = shallowRef<Float32Array | null>(null);
  const error = ref<string | null>(null);
  const running = ref(false);
  /** Share of the steps done, 0–1, while running. */
  const progress = ref(0);
  const revision = ref(0);
  let latestRun = 0;

  const chosenMethods = computed<MethodChoice[]>(() =>
    METHOD_CHOICES.filter((choice) => methodIds.value.includes(choice.id)),
  );
  /** Index of the detailed method among the chosen ones. */
  const detailIndex = computed(() =>
    Math.max(
      0,
      chosenMethods.value.findIndex((choice) => choice.id === detailId.value),
    ),
  );
  const methodOptions = computed<MethodOptions[]>(() =>
    chosenMethods.value.map((choice) => choiceOptions(choice, block.value)),
  );

  function setMethod(id: string, chosen: boolean): void {
    const others = methodIds.value.filter((existing) => existing !== id);
    methodIds.value = chosen
      ? METHOD_CHOICES.map((choice) => choice.id).filter((c) => c === id || others.includes(c))
      : others;
  }

  function syntheticSpec(withOutliers: boolean): SyntheticSpec {
    return {
      distribution: distribution.value,
      count: count.value,
      seed: seed.value,
      scale: scale.value,
      degreesOfFreedom: degreesOfFreedom.value,
      ...(withOutliers && outlierCount.value > 0
        ? { outliers: { count: outlierCount.value, magnitude: outlierMagnitude.value } }
        : {}),
    };
  }

  function inputFloats(): Float32Array {
    if (inputKind.value === 'seed') return Float32Array.from(SEED_EXAMPLE_VALUES);
    if (inputKind.value === 'pasted') return parsePastedValues(pastedText.value, 'Pasted values');
    if (!(count.value >= 1 && count.value <= MAX_LAB_VALUES)) {
      throw new Error(
        `The page quantizes 1 to ${formatInteger(MAX_LAB_VALUES)} values; scan a file for more.`,
      );
    }
    return syntheticTensor(syntheticSpec(true));
  }

  /** The experiment's inputs: the tensor, the specs, and the outlier chart's synthetic base. */
  function experimentInput(): ExperimentInput {
    const values = inputFloats();
    if (values.length > MAX_LAB_VALUES) {
      throw new Error(`At most ${formatInteger(MAX_LAB_VALUES)} values in the page.`);
    }
    const specs = methodOptions.value.map((options) =>
      methodFromOptions(options, MIN_IN_MEMORY_BLOCK_SIZE),
    );
    if (specs.length === 0) throw new Error('Choose at least one method.');
    const synthetic = inputKind.value === 'synthetic';
    return {
      tensor: vectorInput(values),
      specs,
      outlierBase: synthetic
        ? syntheticSpec(false)
        : {
            distribution: 'normal',
            count: OUTLIER_BASE_VALUES,
            seed: 1,
            scale: 1,
            degreesOfFreedom: DEFAULT_STUDENT_T_DF,
          },
      outlierCount: synthetic && outlierCount.value > 0 ? outlierCount.value : 1,
      detailIndex: detailIndex.value,
    };
  }

  /** Runs the experiment; a newer run makes an older one stop at its next step. */
  async function run(): Promise<void> {
    const call = ++latestRun;
    running.value = true;
    progress.value = 0;
    error.value = null;
    try {
      const input = experimentInput();
      const { steps, result: collect } = experimentSteps(input);
      for (const [index, step] of steps.entries()) {
        await yieldToBrowser();
        if (call !== latestRun) return;
        step.run();
        progress.value = (index + 1) / steps.length;
      }
      result.value = collect();
      inputValues.value = input.tensor.values;
    } catch (thrown) {
      if (call !== latestRun) return;
      error.value = errorMessage(thrown);
      result.value = null;
    } finally {
      if (call === latestRun) {
        running.value = false;
        revision.value++;
      }
    }
  }

  /** Shows another method in detail: runs the experiment again with it as the detailed one. */
  function showDetail(id: string): Promise<void> {
    detailId.value = id;
    return run();
  }

  /** Stops a run at its next step. */
  function cancel(): void {
    if (!running.value) return;
    latestRun++;
    running.value = false;
  }

  /** How the JSON export describes the input (schema headroom.quant/v1). */
  const inputDescription = computed<QuantInputDescription>(() => {
    if (inputKind.value !== 'synthetic') return { source: 'values' };
    const spec = syntheticSpec(true);
    return {
      source: 'synthetic',
      spec: `${spec.distribution}:${spec.count}:seed=${spec.seed}:scale=${spec.scale}${spec.distribution === 'student-t' ? `:df=${spec.degreesOfFreedom}` : ''}`,
      ...(spec.outliers ? { outliers: `${spec.outliers.count}:${spec.outliers.magnitude}` } : {}),
    };
  });

  /** The first method's result as `headroom quant --json` writes it. */
  function resultJson(): string | null {
    const primary = result.value?.primary;
    if (!primary) return null;
    return `${JSON.stringify(quantJson(primary, inputDescription.value), null, 2)}\n`;
  }

  function downloadJson(): void {
    const text = resultJson();
    if (text)
      downloadFile(`headroom-quant-${result.value!.primary.method}.json`, 'application/json', text);
  }

  return {
    inputKind,
    pastedText,
    distribution,
    count,
    seed,
    scale,
    degreesOfFreedom,
    outlierCount,
    outlierMagnitude,
    methodIds,
    block,
    detailId,
    detailIndex,
    showDetail,
    chosenMethods,
    methodOptions,
    result,
    inputValues,
    error,
    running,
    progress,
    revision,
    setMethod,
    run,
    cancel,
    resultJson,
    downloadJson,
  };
});
