/**
 * Words and numbers every human report format shares, so Markdown, HTML and PDF print the same
 * figure the same way, each with its unit.
 */
import type { MemoryBreakdown, Plan, TrainingScenario, VerdictStatus } from '../plan/types';
import { formatBytesNumber, type ByteUnit } from '../units/bytes';
import { formatDuration } from '../units/duration';
import { formatTokensPerSecond } from '../units/numbers';

/** The memory categories in the order reports list and stack them. */
export const BREAKDOWN_KEYS: readonly (keyof MemoryBreakdown)[] = [
  'weights',
  'kvCache',
  'activations',
  'gradients',
  'optimizerStates',
  'masterWeights',
  'overhead',
];

/** The categories a plan uses (non-zero in total or on some device), in report order. */
export function usedCategories(plan: Plan): (keyof MemoryBreakdown)[] {
  return BREAKDOWN_KEYS.filter(
    (key) =>
      plan.memory.breakdown[key] > 0 ||
      plan.memory.perDevice.some((device) => device.breakdown[key] > 0),
  );
}

export const BREAKDOWN_LABELS: Readonly<Record<keyof MemoryBreakdown, string>> = {
  weights: 'Weights',
  kvCache: 'KV cache',
  activations: 'Activations',
  gradients: 'Gradients',
  optimizerStates: 'Optimizer states',
  masterWeights: 'Master weights',
  overhead: 'Runtime overhead',
};

export const VERDICT_LABELS: Readonly<Record<VerdictStatus, string>> = {
  fits: 'Fits',
  tight: 'Tight',
  'needs-offload': 'Needs offload',
  'does-not-fit': 'Does not fit',
  'no-device': 'No device',
};

/** What the unit means, for the line every human format prints once. */
export function unitDefinition(unit: ByteUnit): string {
  return unit === 'GB' ? 'GB = 10^9 bytes' : 'GiB = 2^30 bytes';
}

const FINETUNE_WORDS: Readonly<Record<TrainingScenario['finetune'], string>> = {
  full: 'full fine-tune',
  lora: 'LoRA',
  qlora: 'QLoRA',
};

/** A plan's scenario in one line: what distinguishes it from its neighbours in a comparison. */
export function scenarioLine(plan: Plan): string {
  const scenario = plan.scenario;
  if (scenario.mode === 'inference') {
    return (
      `inference · weights ${scenario.weightsFormat} · KV ${scenario.kvFormat} · ` +
      `${scenario.contextTokens} tokens × batch ${scenario.batch} · engine ${scenario.engine}`
    );
  }
  const method =
    scenario.finetune === 'full'
      ? FINETUNE_WORDS.full
      : `${FINETUNE_WORDS[scenario.finetune]} r=${scenario.loraRank} (${scenario.loraTargets.join(',')})`;
  const sharding = scenario.fsdp ? `FSDP ${scenario.fsdp}` : `ZeRO ${scenario.zeroStage}`;
  const offload = scenario.offload === 'none' ? '' : ` · offload ${scenario.offload}`;
  return (
    `training · ${method} · ${scenario.precision} · ${scenario.optimizer} · ${scenario.contextTokens} tokens · ` +
    `micro-batch ${scenario.microBatch} × ${scenario.gradAccum} · recompute ${scenario.checkpointing} · ` +
    `${sharding} · TP ${scenario.tensorParallel} · PP ${scenario.pipelineParallel}${offload} · ` +
    `${scenario.nodes} node${scenario.nodes === 1 ? '' : 's'}`
  );
}

/** The devices of a plan in words, e.g. "2 × NVIDIA GeForce RTX 4090 24GB". */
export function devicesLine(plan: Plan): string {
  const names = plan.memory.perDevice.map((device) => device.name);
  if (names.length === 0) return 'no device';
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${count} × ${name}`).join(' + ');
}

/** The speed line of a plan: decode and prefill, or training tokens/s and time. */
export function speedLine(plan: Plan): string {
  const throughput = plan.throughput;
  if (!throughput) return 'no speed estimate (no device)';
  if ('decodeTokensPerSecond' in throughput) {
    return (
      `decode ${formatTokensPerSecond(throughput.decodeTokensPerSecond)} tokens/s ` +
      `(${formatTokensPerSecond(throughput.decodeTokensPerSecondPerSequence)} tokens/s per sequence, ` +
      `${throughput.bound} bound) · prefill ${formatTokensPerSecond(throughput.prefillTokensPerSecond)} tokens/s`
    );
  }
  const time =
    throughput.secondsToTrain !== null
      ? ` · ${formatDuration(throughput.secondsToTrain)} to train`
      : '';
  return `training ${formatTokensPerSecond(throughput.trainingTokensPerSecond)} tokens/s (${throughput.bound} bound)${time}`;
}

/** What a plan's searches (`--solve`) found, in one line; null when it asked for none. */
export function solutionLine(plan: Plan): string | null {
  const solution = plan.solution;
  if (!solution) return null;
  const parts: string[] = [];
  if ('maxContext' in solution)
    parts.push(`max context ${solution.maxContext ?? 'none fits'} tokens`);
  if ('maxBatch' in solution) parts.push(`max batch ${solution.maxBatch ?? 'none fits'}`);
  if ('bestFormat' in solution) parts.push(`best format ${solution.bestFormat ?? 'none fits'}`);
  if ('minGpus' in solution) parts.push(`min GPUs ${solution.minGpus ?? 'more than searched'}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** An assumption's value, a byte count printed in the unit. */
export function assumptionValue(assumption: Plan['assumptions'][number], unit: ByteUnit): string {
  return assumption.unit === 'bytes' && typeof assumption.value === 'number'
    ? `${formatBytesNumber(assumption.value, unit)} ${unit}`
    : String(assumption.value);
}
