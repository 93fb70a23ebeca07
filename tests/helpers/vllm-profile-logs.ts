/**
 * The vLLM 0.19 start-up figures in tests/fixtures/measure/vllm-0.19-h100-profile.json (the logs
 * they come from are named there), as the tests and `npm run accuracy` read them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface LoggedVllmRun {
  /** The checkpoint and flags the logged run served. */
  readonly served: string;
  /** The catalog model with its shapes. */
  readonly model: string;
  readonly gpus: number;
  /** The weights format the plan takes for it. */
  readonly weights: string;
  readonly weightsGib: number;
  readonly peakActivationGib: number;
  readonly nonTorchGib: number;
  /** Why this row is listed but not held to the band. */
  readonly knownGap?: string;
}

export interface LoggedVllmRuns {
  readonly source: string;
  readonly stack: string;
  /** The catalog device the runs used. */
  readonly device: string;
  /** The GPU's total memory as vLLM logged it. */
  readonly totalMemoryGib: number;
  readonly contextTokens: number;
  /** vLLM's default --max-num-seqs there, which the runs kept. */
  readonly maxNumSeqs: number;
  readonly runs: readonly LoggedVllmRun[];
}

export function loadVllmProfileLogs(): LoggedVllmRuns {
  const path = resolve('tests/fixtures/measure/vllm-0.19-h100-profile.json');
  return JSON.parse(readFileSync(path, 'utf8')) as LoggedVllmRuns;
}

/**
 * The KV cache vLLM gives itself at `utilization` by its own accounting of a run's logged parts
 * (vllm/v1/worker/gpu_worker.py determine_available_memory): utilisation × total memory −
 * weights − peak activation − non-torch increase, GiB per GPU.
 */
export function vllmKvGibAt(logs: LoggedVllmRuns, run: LoggedVllmRun, utilization: number): number {
  return (
    utilization * logs.totalMemoryGib - run.weightsGib - run.peakActivationGib - run.nonTorchGib
  );
}
