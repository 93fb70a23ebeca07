import type { ThroughputBound } from '../plan/types';
import { stepThroughput, type Deployment } from './deployment';
import { sequencesInBlocks, sequencesInPool } from './kv-capacity';
import { concurrencyOf } from './littles-law';

/**
 * Latency under load for one replica, from core/perf's roofline of a forward step.
 *
 * - A decode step of c sequences reads the weights once and each sequence's KV, and computes
 *   c tokens: D(c) = max(memory, compute) (core/perf/throughput.ts).
 * - Chunked prefill (vLLM; llama.cpp batches prompts with decodes the same way) puts prompt
 *   tokens into the same steps. Prompt tokens are compute: at λ requests/s of P tokens they take
 *   the share ρ = λ × P × t_p of the compute, t_p the compute time per prompt token. A mixed
 *   step is the roofline of both: S = max(D(c), c × t_d / (1 − ρ)), t_d the compute per decode
 *   token; so prompts ride free while decode is memory-bound. TPOT = S.
 * - TTFT = half a step (arriving mid-step) + the wait behind earlier prompts (M/D/1,
 *   Pollaczek–Khinchine: ρ / (2(1 − ρ)) × P × t_p) + the prompt's own chunks, each at most
 *   `max_num_batched_tokens` − c tokens beside the c decodes.
 * - Little's law ties them: concurrency = λ × (TTFT + (O − 1) × TPOT).
 */

export { LLAMA_CPP_BATCH_TOKENS } from '../memory/engine-kv';

/** Prompt and output lengths of the requests: the mean, and the 90th percentile. */
export interface RequestShape {
  readonly promptTokens: number;
  readonly outputTokens: number;
  /** The 90th percentile prompt, for the TTFT target (absent: the mean). */
  readonly promptTokensP90?: number;
  /** The 90th percentile output (absent: the mean). */
  readonly outputTokensP90?: number;
}

/** One point of a replica under steady load. */
export interface LoadPoint {
  /** Requests in flight (Little's law). */
  readonly concurrency: number;
  readonly requestsPerSecond: number;
  /** Time to first token for the mean prompt and the p90 prompt. */
  readonly ttftSeconds: number;
  readonly ttftP90Seconds: number;
  /** Time per output token. */
  readonly tpotSeconds: number;
  /** Arrival to last token for the mean request. */
  readonly secondsInSystem: number;
  /** Generated tokens per second, the whole replica. */
  readonly outputTokensPerSecond: number;
  /** Prompt and generated tokens per second. */
  readonly totalTokensPerSecond: number;
  /** Share of the compute prompt tokens take. */
  readonly prefillUtilization: number;
  readonly bound: ThroughputBound;
}

/** Tokens one request holds on average while it is in flight: its prompt and half its output. */
export function meanHeldTokens(shape: RequestShape): number {
  return shape.promptTokens + shape.outputTokens / 2;
}

/**
 * The most requests the KV cache holds at once for these lengths (vLLM blocks, SGLang's token
 * pool, llama.cpp slots).
 */
export function kvConcurrencyLimit(deployment: Deployment, shape: RequestShape): number {
  const capacity = deployment.capacity;
  switch (capacity.engine) {
    case 'llama.cpp':
      return capacity.slots;
    case 'sglang':
      return sequencesInPool(capacity, meanHeldTokens(shape));
    case 'vllm':
      return sequencesInBlocks(capacity.numGpuBlocks, capacity.blockTokens, meanHeldTokens(shape));
  }
}

/** What one concurrency costs per step, independent of the arrival rate. */
interface StepCosts {
  /** Decode step of `c` sequences alone. */
  readonly decodeSeconds: number;
  /** Compute seconds per decode token and per prompt token. */
  readonly decodeComputePerToken: number;
  readonly promptComputePerToken: number;
  readonly bound: ThroughputBound;
}

function stepCosts(deployment: Deployment, concurrency: number, shape: RequestShape): StepCosts {
  const batch = Math.max(concurrency, 1e-9);
  const decode = stepThroughput(deployment, batch, meanHeldTokens(shape));
  const prompt = stepThroughput(deployment, 1, shape.promptTokens / 2);
  return {
    decodeSeconds: batch / decode.decodeTokensPerSecond,
    decodeComputePerToken: 1 / decode.prefillTokensPerSecond,
    promptComputePerToken: 1 / prompt.prefillTokensPerSecond,
    bound: decode.bound,
  };
}

/** Seconds to prefill a prompt of `tokens` in chunks beside `concurrency` decodes. */
function prefillSeconds(
  costs: StepCosts,
  concurrency: number,
  tokens: number,
  budget: number,
): number {
  const chunk = Math.max(1, budget - Math.ceil(concurrency));
  const full = Math.floor(tokens / chunk);
  const rest = tokens - full * chunk;
  const decodeCompute = concurrency * costs.decodeComputePerToken;
  const stepOf = (prompt: number) =>
    Math.max(costs.decodeSeconds, decodeCompute + prompt * costs.promptComputePerToken);
  return full * stepOf(chunk) + (rest > 0 ? stepOf(rest) : 0);
}

function pointAt(
  deployment: Deployment,
  shape: RequestShape,
  concurrency: number,
  requestsPerSecond: number,
  costs: StepCosts,
): LoadPoint | null {
  const rho = requestsPerSecond * shape.promptTokens * costs.promptComputePerToken;
  if (rho >= 1) return null;
  const step = Math.max(
    costs.decodeSeconds,
    (concurrency * costs.decodeComputePerToken) / (1 - rho),
  );
  const budget = deployment.stepTokens;
  const wait = (rho / (2 * (1 - rho))) * shape.promptTokens * costs.promptComputePerToken;
  const ttftOf = (tokens: number) =>
    step / 2 + wait + prefillSeconds(costs, concurrency, tokens, budget);
  const ttft = ttftOf(shape.promptTokens);
  const secondsInSystem = ttft + Math.max(0, shape.outputTokens - 1) * step;
  return {
    concurrency,
    requestsPerSecond,
    ttftSeconds: ttft,
    ttftP90Seconds: ttftOf(shape.promptTokensP90 ?? shape.promptTokens),
    tpotSeconds: step,
    secondsInSystem,
    outputTokensPerSecond: requestsPerSecond * shape.outputTokens,
    totalTokensPerSecond: requestsPerSecond * (shape.promptTokens + shape.outputTokens),
    prefillUtilization: rho,
    bound: costs.bound,
  };
}

const BISECTION_STEPS = 40;

/**
 * The steady state at a concurrency: the arrival rate λ with λ × W(λ) = concurrency, W the
 * time in system at that load. Null when no rate keeps that many requests in flight.
 */
export function loadAtConcurrency(
  deployment: Deployment,
  shape: RequestShape,
  concurrency: number,
): LoadPoint | null {
  const costs = stepCosts(deployment, concurrency, shape);
  // λ × W(λ) grows with λ, up to the rate at which prompts alone fill the compute.
  let low = 0;
  let high = 1 / (shape.promptTokens * costs.promptComputePerToken);
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = (low + high) / 2;
    const point = pointAt(deployment, shape, concurrency, mid, costs);
    if (point && concurrencyOf(mid, point.secondsInSystem) < concurrency) low = mid;
    else high = mid;
  }
  return pointAt(deployment, shape, concurrency, low, costs);
}

/**
 * The steady state at an arrival rate: the fewest requests in flight with
 * concurrency = λ × W(concurrency). Null when the replica cannot keep up (prompts fill the
 * compute, or the queue would outgrow what the KV cache holds).
 */
export function loadAtRate(
  deployment: Deployment,
  shape: RequestShape,
  requestsPerSecond: number,
): LoadPoint | null {
  const limit = kvConcurrencyLimit(deployment, shape);
  if (limit < 1 || requestsPerSecond <= 0) return null;
  const excess = (c: number): number | null => {
    const point = pointAt(deployment, shape, c, requestsPerSecond, stepCosts(deployment, c, shape));
    return point ? concurrencyOf(requestsPerSecond, point.secondsInSystem) - c : null;
  };
  // Walk up geometrically to the first concurrency that holds the load, then bisect.
  let previous = 0;
  let found: number | null = null;
  for (let c = Math.min(1, limit); ; c = Math.min(limit, c * 1.5)) {
    const e = excess(c);
    if (e === null) return null;
    if (e <= 0) {
      found = c;
      break;
    }
    if (c >= limit) return null;
    previous = c;
  }
  let low = previous;
  let high = found;
  for (let i = 0; i < BISECTION_STEPS && high - low > 1e-3; i++) {
    const mid = (low + high) / 2;
    const e = excess(mid);
    if (e !== null && e <= 0) high = mid;
    else low = mid;
  }
  return pointAt(deployment, shape, high, requestsPerSecond, stepCosts(deployment, high, shape));
}

/** Latency targets: time to first token (for the p90 prompt) and time per output token. */
export interface LatencyTargets {
  readonly ttftSeconds: number;
  readonly tpotSeconds: number;
}

/** Whether a load point meets the targets. */
function meetsTargets(point: LoadPoint, targets: LatencyTargets): boolean {
  return point.ttftP90Seconds <= targets.ttftSeconds && point.tpotSeconds <= targets.tpotSeconds;
}

/**
 * The highest arrival rate one replica holds within the targets (bisection: latency only grows
 * with load), with its steady state; null when not even a trickle meets them.
 */
export function maxRateWithinTargets(
  deployment: Deployment,
  shape: RequestShape,
  targets: LatencyTargets,
): LoadPoint | null {
  const costs = stepCosts(deployment, 1, shape);
  let low = 0;
  let high = 1 / (shape.promptTokens * costs.promptComputePerToken);
  let best: LoadPoint | null = null;
  for (let i = 0; i < BISECTION_STEPS && high - low > high * 1e-4; i++) {
    const mid = (low + high) / 2;
    const point = loadAtRate(deployment, shape, mid);
    if (point && meetsTargets(point, targets)) {
      low = mid;
      best = point;
    } else high = mid;
  }
  return best;
}

/** Where a target stops holding as requests in flight grow; null when it holds up to the KV limit. */
export interface TargetBreaks {
  readonly ttftConcurrency: number | null;
  readonly tpotConcurrency: number | null;
}

/** Load at every concurrency worth drawing: 1, 2, 3, … then about 8 % steps, up to the KV limit. */
export function loadCurve(deployment: Deployment, shape: RequestShape): LoadPoint[] {
  const limit = kvConcurrencyLimit(deployment, shape);
  const points: LoadPoint[] = [];
  for (let c = 1; c <= limit; c = Math.max(c + 1, Math.round(c * 1.08))) {
    const point = loadAtConcurrency(deployment, shape, c);
    if (point) points.push(point);
  }
  if (limit >= 1 && points.at(-1)?.concurrency !== limit) {
    const last = loadAtConcurrency(deployment, shape, limit);
    if (last) points.push(last);
  }
  return points;
}

/**
 * The first whole concurrency at which each target breaks (latency grows with concurrency, so
 * bisection over 1 … KV limit).
 */
export function targetBreaks(
  deployment: Deployment,
  shape: RequestShape,
  targets: LatencyTargets,
): TargetBreaks {
  const limit = kvConcurrencyLimit(deployment, shape);
  const firstBreak = (broken: (point: LoadPoint) => boolean): number | null => {
    const at = (c: number) => {
      const point = loadAtConcurrency(deployment, shape, c);
      return point === null || broken(point);
    };
    if (limit < 1) return null;
    if (!at(limit)) return null;
    let low = 0;
    let high = limit;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (at(mid)) high = mid;
      else low = mid;
    }
    return high;
  };
  return {
    ttftConcurrency: firstBreak((point) => point.ttftP90Seconds > targets.ttftSeconds),
    tpotConcurrency: firstBreak((point) => point.tpotSeconds > targets.tpotSeconds),
  };
}
