import type { MemoryBreakdown, Plan, TrainingScenario } from '../../core/plan/types';
import { formatBytes, type ByteUnit } from '../../core/units/bytes';
import { formatDuration } from '../../core/units/duration';
import { formatParams, formatTokensPerSecond } from '../../core/units/numbers';
import { withSettingFlags } from './setting-flags';
import { renderTable } from './table';

const BREAKDOWN_LABELS: Readonly<Record<keyof MemoryBreakdown, string>> = {
  weights: 'weights',
  kvCache: 'KV cache',
  activations: 'activations',
  gradients: 'gradients',
  optimizerStates: 'optimizer states',
  masterWeights: 'master weights',
  overhead: 'runtime overhead',
};

const STATUS_WORDS: Readonly<Record<Plan['verdict']['status'], string>> = {
  fits: 'FITS',
  tight: 'TIGHT',
  'needs-offload': 'NEEDS OFFLOAD',
  'does-not-fit': 'DOES NOT FIT',
  'no-device': 'NO DEVICE GIVEN',
};

const FINETUNE_WORDS: Readonly<Record<TrainingScenario['finetune'], string>> = {
  full: 'full fine-tune',
  lora: 'LoRA',
  qlora: 'QLoRA',
};

/** Images and a draft, when the plan has them: ` · 2 images (512 tokens) · draft <id>`. */
function scenarioExtras(plan: Plan): string {
  if (plan.scenario.mode !== 'inference') return '';
  const multimodal = plan.memory.multimodal;
  const draft = plan.memory.speculative;
  return [
    multimodal && multimodal.images > 0
      ? ` · ${multimodal.images} image${multimodal.images === 1 ? '' : 's'} (${multimodal.imageTokens} tokens)`
      : '',
    draft ? ` · draft ${draft.method === 'mtp' ? 'MTP layers' : draft.model}` : '',
  ].join('');
}

/** A training scenario in one line: method, recipe, batch shape, parallelism. */
function trainingScenarioLine(scenario: TrainingScenario, gpusPerNode: number): string {
  const method =
    scenario.finetune === 'full'
      ? FINETUNE_WORDS.full
      : `${FINETUNE_WORDS[scenario.finetune]} r=${scenario.loraRank} (${scenario.loraTargets.join(',')})`;
  const sharding = scenario.fsdp ? `FSDP ${scenario.fsdp}` : `ZeRO ${scenario.zeroStage}`;
  const offload = scenario.offload === 'none' ? '' : ` · offload ${scenario.offload}`;
  const nodes =
    gpusPerNode === 0
      ? 'no GPU given'
      : `${scenario.nodes} node${scenario.nodes > 1 ? 's' : ''} × ${gpusPerNode} GPU${gpusPerNode === 1 ? '' : 's'}`;
  return (
    `Scenario  training · ${method} · ${scenario.precision} · ${scenario.optimizer} · context ${scenario.contextTokens} · ` +
    `micro-batch ${scenario.microBatch} × ${scenario.gradAccum} accumulated · recompute ${scenario.checkpointing} · ` +
    `${sharding} · TP ${scenario.tensorParallel} · PP ${scenario.pipelineParallel}${offload} · ${nodes}` +
    (scenario.includeActivations ? '' : ' · model states only')
  );
}

/** The plan as a person reads it in a terminal: every figure with its unit. */
export function renderPlan(plan: Plan, unit: ByteUnit): string {
  const bytes = (value: number): string => formatBytes(value, unit);
  const lines: string[] = [];
  const { model, scenario } = plan;
  const params = `${formatParams(model.params)} params${model.activeParams !== model.params ? ` (${formatParams(model.activeParams)} active)` : ''}`;
  const kv =
    model.kvBytesPerToken !== null
      ? ` · KV ${(model.kvBytesPerToken / 1024).toFixed(0)} KiB/token`
      : '';
  lines.push(
    `Model     ${model.name} [${model.id}] · ${params}${model.layers !== null ? ` · ${model.layers} layers` : ''}${kv}`,
  );
  if (scenario.mode === 'inference') {
    lines.push(
      `Scenario  inference · weights ${scenario.weightsFormat} · KV ${scenario.kvFormat} · context ${scenario.contextTokens} · batch ${scenario.batch} · engine ${scenario.engine}${scenarioExtras(plan)}`,
    );
  } else {
    lines.push(trainingScenarioLine(scenario, scenario.devices.length));
  }
  lines.push('');
  const breakdownRows = (Object.keys(BREAKDOWN_LABELS) as (keyof MemoryBreakdown)[])
    .filter((key) => plan.memory.breakdown[key] > 0)
    .map((key) => [BREAKDOWN_LABELS[key], bytes(plan.memory.breakdown[key])]);
  breakdownRows.push(['total', bytes(plan.memory.total)]);
  lines.push(renderTable(['memory', `size (${unit})`], breakdownRows, [1]));

  if (plan.memory.perDevice.length > 0) {
    lines.push('');
    lines.push(
      renderTable(
        ['#', 'device', 'capacity', 'used', 'headroom', 'layers'],
        plan.memory.perDevice.map((device, index) => [
          String(index),
          device.name,
          bytes(device.capacity),
          bytes(device.used),
          bytes(device.headroom),
          String(device.layers),
        ]),
        [2, 3, 4, 5],
      ),
    );
  }
  lines.push('');
  const minDevices =
    plan.verdict.minDevices !== null
      ? ` (minimum devices of this kind: ${plan.verdict.minDevices})`
      : '';
  lines.push(`Verdict   ${STATUS_WORDS[plan.verdict.status]}: ${plan.verdict.reason}${minDevices}`);
  lines.push(`Accuracy  ${plan.accuracy.summary}`);
  if (
    plan.throughput &&
    'decodeTokensPerSecond' in plan.throughput &&
    scenario.mode === 'inference'
  ) {
    const t = plan.throughput;
    const perSequence =
      scenario.batch > 1
        ? ` (${formatTokensPerSecond(t.decodeTokensPerSecondPerSequence)} per sequence)`
        : '';
    lines.push(
      `Speed     decode ≈ ${formatTokensPerSecond(t.decodeTokensPerSecond)} tokens/s${perSequence}, ${t.bound} bound · prefill ≈ ${formatTokensPerSecond(t.prefillTokensPerSecond)} tokens/s`,
    );
  }
  if (
    plan.throughput &&
    'trainingTokensPerSecond' in plan.throughput &&
    scenario.mode === 'training'
  ) {
    const t = plan.throughput;
    const time =
      t.secondsToTrain !== null && scenario.trainTokens !== undefined
        ? ` · ${scenario.trainTokens.toExponential(2)} tokens in ${formatDuration(t.secondsToTrain)}`
        : '';
    lines.push(
      `Speed     training ≈ ${formatTokensPerSecond(t.trainingTokensPerSecond)} tokens/s, ${t.bound} bound at MFU ${(t.mfu ?? scenario.mfu ?? 0).toFixed(2)}${scenario.mfu === undefined ? ' (estimated)' : ''}${time}`,
    );
  }
  if (plan.solution) {
    const s = plan.solution;
    const parts: string[] = [];
    if ('maxContext' in s) parts.push(`max context ${s.maxContext ?? 'none fits'}`);
    if ('maxBatch' in s) parts.push(`max batch ${s.maxBatch ?? 'none fits'}`);
    if ('bestFormat' in s) parts.push(`best format ${s.bestFormat ?? 'none fits'}`);
    if ('minGpus' in s) parts.push(`min GPUs ${s.minGpus ?? `more than searched`}`);
    lines.push(`Solution  ${parts.join(' · ')}`);
  }
  for (const warning of plan.warnings) lines.push(`Warning   ${withSettingFlags(warning)}`);
  lines.push('');
  lines.push('Assumptions');
  for (const assumption of plan.assumptions) {
    const value =
      assumption.unit === 'bytes' && typeof assumption.value === 'number'
        ? bytes(assumption.value)
        : String(assumption.value);
    lines.push(`  · ${assumption.name}: ${value} — ${assumption.source}`);
  }
  return lines.join('\n');
}
