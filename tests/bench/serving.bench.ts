import { bench, describe } from 'vitest';
import { DEVICE_CATALOG, findDevice } from '../../core/devices/catalog';
import { findModel } from '../../core/models/catalog';
import { planServing, type ServingRequest } from '../../core/serving';

// Issue 19 targets: serve-plan answers in < 100 ms for one setup and < 2 s for a search over
// 20 device types × 1-8 GPUs.

const request: Omit<ServingRequest, 'setup' | 'candidates'> = {
  model: findModel('meta-llama/Llama-3.1-8B')!,
  engine: 'vllm',
  shape: { promptTokens: 1000, outputTokens: 300, promptTokensP90: 2000, outputTokensP90: 600 },
  targets: { ttftSeconds: 1, tpotSeconds: 0.05 },
  requestsPerSecond: 20,
  maxGpus: 8,
  headroomVersion: 'bench',
};
const gpus = DEVICE_CATALOG.filter(
  (device) => device.vendor !== 'cpu' && device.vendor !== 'apple',
);
const twenty = gpus.slice(0, 20);

describe('serving plans', () => {
  bench('one setup (Llama-3.1-8B, 20 req/s, 1 × H100 SXM): capacity, curve, breaks, launch', () => {
    planServing({
      ...request,
      setup: { device: findDevice('nvidia-h100-sxm-80gb')!, tensorParallel: 1 },
    });
  });

  bench(
    `search over ${twenty.length} device types × TP 1, 2, 4, 8 × replicas up to 8 GPUs`,
    () => {
      planServing({ ...request, candidates: twenty });
    },
    { iterations: 3, warmupIterations: 1 },
  );
});
