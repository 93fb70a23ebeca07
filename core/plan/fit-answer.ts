import { getFormat } from '../formats/catalog';
import type { EngineId, NumericFormat } from '../formats/types';
import { engineRunsKvFormat } from '../memory/kv-formats';
import { AUTO_ENGINE, defaultEngine, type EngineChoice } from './default-engine';
import { settingsForEngine } from './engine-settings';
import { planInference, type InferencePlanInput } from './inference-plan';
import { candidateFormats } from './search';
import type { InferencePlan, VerdictStatus } from './types';

/**
 * The answer Compare leads with, per device group (issue 17): the best weights format that
 * fits with the safety margin to spare, a better one that only just fits, and how many GPUs
 * the model's own format would need. Built from the best-format search (formats best quality
 * first, as core/plan/search.ts orders them) and the planner's minimum-devices search.
 */

/** One format as the answer names it. */
interface AnswerFormat {
  readonly formatId: string;
  /** The catalog label without the engine note: `Q4_K_M`, `BF16`, `AWQ INT4 (group 128)`. */
  readonly label: string;
  /** The engine it was planned with (its memory profile). */
  readonly engine: EngineId;
  readonly status: VerdictStatus;
  /** Least headroom over the group's devices (bytes); negative when over. */
  readonly headroomBytes: number;
}

export interface FitAnswer {
  /** Devices in the group. */
  readonly devices: number;
  /** The highest-quality format that fits with the margin to spare; null when none does. */
  readonly best: AnswerFormat | null;
  /** The highest-quality format better than `best` that runs, but inside the margin. */
  readonly tight: AnswerFormat | null;
  /**
   * The model's own format when it does not run on the group: the fewest devices of this kind
   * it needs (null: more than the planner searches).
   */
  readonly reference: (AnswerFormat & { readonly minDevices: number | null }) | null;
}

/** Catalog labels of alias formats: `Q4_K (= Q4_K_M)` (core/formats/catalog-gguf.ts). */
const ALIAS_LABEL = /\(= /;

/** A format's label as the answer line prints it (`Q4_K_M (llama.cpp)` → `Q4_K_M`). */
function answerLabel(format: NumericFormat): string {
  return format.label.replace(/ \(llama\.cpp\)$/, '');
}

/**
 * The formats the answer tries, best quality first: those the engine loads (each format's own
 * engine for `auto`), none better than the model's own format (upcasting BF16 weights to FP32
 * buys nothing).
 */
export function answerCandidates(engine: EngineChoice, referenceFormatId: string): NumericFormat[] {
  const reference = getFormat(referenceFormatId);
  const ceiling = reference?.qualityRank ?? Number.POSITIVE_INFINITY;
  const formats =
    engine === AUTO_ENGINE
      ? candidateFormats('generic').filter((format) => defaultEngine(format.id) !== 'generic')
      : candidateFormats(engine);
  // Aliases (`Q4_K (= Q4_K_M)`, llama-quantize's other spelling) would name one format twice.
  return formats.filter(
    (format) => format.qualityRank <= ceiling && !ALIAS_LABEL.test(format.label),
  );
}

function leastHeadroom(plan: InferencePlan): number {
  return Math.min(...plan.memory.perDevice.map((device) => device.headroom));
}

function answerFormat(format: NumericFormat, plan: InferencePlan): AnswerFormat {
  return {
    formatId: format.id,
    label: answerLabel(format),
    engine: plan.scenario.engine,
    status: plan.verdict.status,
    headroomBytes: leastHeadroom(plan),
  };
}

/**
 * The answer for one device group: plans the candidate formats best first until one fits with
 * the margin to spare; the model's own format (the input's `weightsFormat`) is planned in full
 * for its minimum device count when it does not run on the group.
 * @param input the group's plan input; its `weightsFormat` is the model's own format
 * @param engine a pinned engine, or `auto` (each format on its own engine)
 * @returns null without devices
 */
export function fitAnswer(input: InferencePlanInput, engine: EngineChoice): FitAnswer | null {
  if (input.devices.length === 0) return null;
  const engineFor = (format: NumericFormat) =>
    engine === AUTO_ENGINE ? defaultEngine(format.id) : engine;
  // A format whose engine cannot keep this KV cache format (core/memory/kv-formats.ts) is no answer.
  const runs = (format: NumericFormat) =>
    engineRunsKvFormat(engineFor(format), input.scenario.kvFormat);
  const planWith = (format: NumericFormat, full: boolean): InferencePlan =>
    planInference({
      ...input,
      skipMinDevices: !full,
      scenario: {
        ...settingsForEngine(input.scenario, engineFor(format)),
        weightsFormat: format.id,
      },
    });
  let best: AnswerFormat | null = null;
  let tight: AnswerFormat | null = null;
  for (const format of answerCandidates(engine, input.scenario.weightsFormat)) {
    if (!runs(format)) continue;
    const plan = planWith(format, false);
    if (plan.verdict.status === 'fits') {
      best = answerFormat(format, plan);
      break;
    }
    if (plan.verdict.status === 'tight' && tight === null) tight = answerFormat(format, plan);
  }
  const referenceFormat = getFormat(input.scenario.weightsFormat);
  let reference: FitAnswer['reference'] = null;
  if (referenceFormat && best?.formatId !== referenceFormat.id && runs(referenceFormat)) {
    const plan = planWith(referenceFormat, true);
    if (plan.verdict.status !== 'fits' && plan.verdict.status !== 'tight')
      reference = { ...answerFormat(referenceFormat, plan), minDevices: plan.verdict.minDevices };
  }
  return { devices: input.devices.length, best, tight, reference };
}
