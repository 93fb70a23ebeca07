import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ServingBridgeRequest } from '../../core/bridge';
import type { ServingEngine, ServingPlan } from '../../core/serving';
import { DEFAULT_LATENCY_TARGETS, DEFAULT_MAX_GPUS } from '../../core/serving/bounds';
import { useBridge } from '../bridge/current';
import { errorMessage } from './error-message';
import { useModelStore } from './model-store';
import { useSettingsStore } from './settings-store';

/**
 * The Serving view (issue 19): a workload and latency targets for the workbench's model, the
 * setups that hold it ranked by the user's prices, and one replica's latency under load.
 */
export const useServingStore = defineStore('serving', () => {
  const model = useModelStore();
  const settings = useSettingsStore();

  const engine = ref<ServingEngine>('vllm');
  /** '' : the model's published format. */
  const weightsFormat = ref('');
  /** The question as the start: 20 requests/s of 1k prompt and 300 output tokens. */
  const requestsPerSecond = ref(20);
  const promptTokens = ref(1000);
  /** 0: the same as the mean. */
  const promptTokensP90 = ref(0);
  const outputTokens = ref(300);
  const outputTokensP90 = ref(0);
  const ttftMs = ref(DEFAULT_LATENCY_TARGETS.ttftSeconds * 1000);
  const tpotMs = ref(DEFAULT_LATENCY_TARGETS.tpotSeconds * 1000);
  /** '': search every catalog GPU. */
  const deviceId = ref('');
  /** 0: search the count; else one setup of this tensor-parallel size on deviceId. */
  const gpus = ref(0);
  const maxGpus = ref(DEFAULT_MAX_GPUS);

  const plan = shallowRef<ServingPlan | null>(null);
  const pending = ref(false);
  const error = ref<string | null>(null);
  const revision = ref(0);

  /** The bridge request for the inputs; a message instead when they cannot make one. */
  const entries = computed<ServingBridgeRequest | string>(() => {
    const choice = model.choice;
    if (choice.kind === 'params') {
      return 'Serving plans need a model with its architecture (a catalog model or a config.json), not a bare parameter count.';
    }
    const modelId = choice.kind === 'catalog' ? choice.id : choice.spec.id;
    return {
      modelId,
      engine: engine.value,
      ...(weightsFormat.value ? { weightsFormat: weightsFormat.value } : {}),
      promptTokens: promptTokens.value,
      ...(promptTokensP90.value > 0 ? { promptTokensP90: promptTokensP90.value } : {}),
      outputTokens: outputTokens.value,
      ...(outputTokensP90.value > 0 ? { outputTokensP90: outputTokensP90.value } : {}),
      requestsPerSecond: requestsPerSecond.value,
      ttftSeconds: ttftMs.value / 1000,
      tpotSeconds: tpotMs.value / 1000,
      deviceIds: deviceId.value ? [deviceId.value] : [],
      ...(deviceId.value && gpus.value > 0 ? { gpus: gpus.value } : {}),
      maxGpus: maxGpus.value,
    };
  });

  let latest = 0;

  /** Plans again for the current inputs (the view calls it whenever they change). */
  async function refresh(): Promise<void> {
    const request = entries.value;
    const ticket = ++latest;
    if (typeof request === 'string') {
      plan.value = null;
      error.value = request;
      return;
    }
    pending.value = true;
    try {
      const answer = await useBridge().servePlan(request);
      if (ticket !== latest) return;
      plan.value = answer;
      error.value = null;
      revision.value++;
    } catch (thrown) {
      if (ticket !== latest) return;
      plan.value = null;
      error.value = errorMessage(thrown);
    } finally {
      if (ticket === latest) pending.value = false;
    }
  }

  /** Sets a device's price in the settings (null removes it), then plans again with it. */
  async function setPrice(device: string, usdPerHour: number | null): Promise<void> {
    await settings.setServingPrice(device, usdPerHour);
    await refresh();
  }

  return {
    engine,
    weightsFormat,
    requestsPerSecond,
    promptTokens,
    promptTokensP90,
    outputTokens,
    outputTokensP90,
    ttftMs,
    tpotMs,
    deviceId,
    gpus,
    maxGpus,
    plan,
    pending,
    error,
    revision,
    entries,
    refresh,
    setPrice,
  };
});
