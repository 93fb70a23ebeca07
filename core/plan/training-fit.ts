import { planTraining, type TrainingPlanInput } from '../training';
import { trainingInputFromRequest, type TrainingPlanRequest } from '../training/from-options';
import { MAX_GPUS_SEARCHED, MIN_SEQUENCE_SEARCHED } from './answer-lines';
import type { DeviceResolver } from './lookups';
import type { Plan, TrainingScenario } from './types';

/**
 * What would make a training plan fit (issue 17): the fewest of the usual levers, found by
 * planning, not guessed. The levers are tried cheapest first (what costs speed before what
 * changes the job): full activation checkpointing, micro-batch 1, ZeRO stage 3 across the
 * node's GPUs, a paged 8-bit optimizer, shorter sequences (down to 512 tokens), then more GPUs
 * of the same kind (sharded with ZeRO-3). Once a set fits, each lever is dropped again where the plan still fits
 * without it, so the answer names only what is needed.
 */

/** One change to the training recipe and how the answer names it. */
interface TrainingChange {
  readonly kind: 'checkpointing' | 'micro-batch' | 'optimizer' | 'zero-stage' | 'sequence' | 'gpus';
  /** e.g. `full checkpointing`, `2k sequence`, `paged 8-bit AdamW`, `ZeRO-3`, `4 GPUs`. */
  readonly label: string;
}

export interface TrainingFit {
  /** The plan already fits (or is tight) as set: nothing to change. */
  readonly fitsAsIs: boolean;
  /** The changes that make it fit; empty when it fits as is or when nothing found does. */
  readonly changes: readonly TrainingChange[];
  /** Whether `changes` make it fit; false when even all levers together do not. */
  readonly found: boolean;
  /** The GPUs (of the first kind) the plan with the changes runs on. */
  readonly gpus: number;
}

type Candidate = { readonly scenario: TrainingScenario; readonly gpus: number };
type Lever = {
  readonly kind: TrainingChange['kind'];
  /** The scenario field the lever sets (undone by restoring it). */
  readonly field: keyof TrainingScenario;
  /** The change applied to a candidate, or null when it changes nothing there. */
  apply(candidate: Candidate): { candidate: Candidate; label: string } | null;
};

function tokensLabel(tokens: number): string {
  return tokens % 1024 === 0 ? `${tokens / 1024}k` : String(tokens);
}

const LEVERS: readonly Lever[] = [
  {
    kind: 'checkpointing',
    field: 'checkpointing',
    apply: (c) =>
      c.scenario.checkpointing === 'full'
        ? null
        : {
            candidate: { ...c, scenario: { ...c.scenario, checkpointing: 'full' } },
            label: 'full checkpointing',
          },
  },
  {
    kind: 'micro-batch',
    field: 'microBatch',
    apply: (c) =>
      c.scenario.microBatch <= 1
        ? null
        : {
            candidate: {
              ...c,
              // The same tokens per step: what the micro-batch gave up, accumulation takes.
              scenario: {
                ...c.scenario,
                microBatch: 1,
                gradAccum: c.scenario.gradAccum * c.scenario.microBatch,
              },
            },
            label: 'micro-batch 1',
          },
  },
  {
    kind: 'zero-stage',
    field: 'zeroStage',
    apply: (c) =>
      c.gpus < 2 || c.scenario.zeroStage === 3 || c.scenario.tensorParallel > 1
        ? null
        : {
            candidate: { ...c, scenario: { ...c.scenario, zeroStage: 3 } },
            label: 'ZeRO-3',
          },
  },
  {
    kind: 'optimizer',
    field: 'optimizer',
    apply: (c) =>
      c.scenario.optimizer === 'paged-adamw-8bit' ||
      c.scenario.optimizer === 'adamw-8bit' ||
      c.scenario.optimizer === 'sgd'
        ? null
        : {
            candidate: { ...c, scenario: { ...c.scenario, optimizer: 'paged-adamw-8bit' } },
            label: 'paged 8-bit AdamW',
          },
  },
];

/**
 * What would make a training plan fit on its devices.
 * @param input the plan input as the user set it
 * @returns the changes, or `fitsAsIs`; null without devices (nothing to fit on)
 * @example trainingFit(qlora70bOnA6000).changes.map((c) => c.label) // ['full checkpointing', '2k sequence']
 */
export function trainingFit(input: TrainingPlanInput): TrainingFit | null {
  const first = input.devices[0];
  if (!first) return null;
  const runs = (candidate: Candidate): boolean => {
    const plan = planTraining({
      ...input,
      devices: Array.from({ length: candidate.gpus }, () => first),
      scenario: candidate.scenario,
      skipMinDevices: true,
    });
    return plan.verdict.fits === true;
  };
  const start: Candidate = { scenario: input.scenario, gpus: input.devices.length };
  if (runs(start)) return { fitsAsIs: true, changes: [], found: true, gpus: start.gpus };

  // Levers one after another, keeping each, until the plan fits.
  let current = start;
  const applied: {
    kind: TrainingChange['kind'];
    label: string;
    undo: (c: Candidate) => Candidate;
  }[] = [];
  const step = (
    next: Candidate,
    kind: TrainingChange['kind'],
    label: string,
    field: keyof TrainingScenario | 'gpus',
  ): boolean => {
    const before = current;
    current = next;
    applied.push({
      kind,
      label,
      undo: (c) =>
        field === 'gpus'
          ? { ...c, gpus: before.gpus }
          : field === 'microBatch'
            ? {
                ...c,
                scenario: {
                  ...c.scenario,
                  microBatch: before.scenario.microBatch,
                  gradAccum: before.scenario.gradAccum,
                },
              }
            : { ...c, scenario: { ...c.scenario, [field]: before.scenario[field] } },
    });
    return runs(current);
  };
  let fits = false;
  for (const lever of LEVERS) {
    const change = lever.apply(current);
    if (change && step(change.candidate, lever.kind, change.label, lever.field)) {
      fits = true;
      break;
    }
  }
  // Shorter sequences: halve down to the shortest searched.
  if (!fits) {
    let tokens = current.scenario.contextTokens;
    const original = tokens;
    while (!fits && tokens / 2 >= MIN_SEQUENCE_SEARCHED) {
      tokens = Math.floor(tokens / 2);
      const candidate = { ...current, scenario: { ...current.scenario, contextTokens: tokens } };
      if (runs(candidate)) {
        fits = true;
        current = { ...current, scenario: { ...current.scenario, contextTokens: original } };
        step(candidate, 'sequence', `${tokensLabel(tokens)} sequence`, 'contextTokens');
      }
    }
  }
  // More GPUs of the same kind, with ZeRO-3 sharding across them.
  if (!fits) {
    for (let gpus = current.gpus * 2; gpus <= MAX_GPUS_SEARCHED && !fits; gpus *= 2) {
      const candidate: Candidate = {
        gpus,
        scenario:
          current.scenario.tensorParallel > 1
            ? current.scenario
            : { ...current.scenario, zeroStage: 3 },
      };
      if (runs(candidate)) {
        fits = true;
        step(
          candidate,
          'gpus',
          candidate.scenario.zeroStage === current.scenario.zeroStage
            ? `${gpus} GPUs`
            : `${gpus} GPUs with ZeRO-3`,
          'gpus',
        );
      }
    }
  }
  if (!fits) return { fitsAsIs: false, changes: [], found: false, gpus: start.gpus };

  // Drop what is not needed: undo each change (latest first) where it still fits without it.
  const kept = [...applied];
  for (let i = kept.length - 2; i >= 0; i--) {
    const without = kept[i]!.undo(current);
    if (runs(without)) {
      current = without;
      kept.splice(i, 1);
    }
  }
  return {
    fitsAsIs: false,
    changes: kept.map(({ kind, label }) => ({ kind, label })),
    found: true,
    gpus: current.gpus,
  };
}

/**
 * The training plan for a request by ids (as `plan --mode training`), with what would make it
 * fit in `solution.trainingFit` when `answer` asks for it.
 */
export function planTrainingRequest(
  request: TrainingPlanRequest & { readonly answer?: boolean },
  resolveDevice?: DeviceResolver,
): Plan {
  const input = trainingInputFromRequest(request, resolveDevice);
  const plan = planTraining(input);
  return request.answer ? { ...plan, solution: { trainingFit: trainingFit(input) } } : plan;
}
