import { ENGINE_PROFILES } from '../memory/engine-profiles';
import { formatBytes, type ByteUnit } from '../units/bytes';
import type { FitAnswer } from './fit-answer';
import type { TrainingFit } from './training-fit';

/**
 * The answer lines Compare leads with (issue 17), as text: apart from the searches
 * (fit-answer.ts, training-fit.ts) so a face that only prints answers loads no planner.
 */

/** The shortest sequence the training search tries (tokens). */
export const MIN_SEQUENCE_SEARCHED = 512;
/** The most GPUs of one kind the training search adds up to (a large node pair). */
export const MAX_GPUS_SEARCHED = 64;

/**
 * The answer as one line: "Best that fits on <device> with <engine>: Q4_K_M — 3.3 GiB spare;
 * Q5_K_M tight; needs 2 GPUs for BF16".
 * @param answer what fitAnswer found
 * @param deviceLabel the group as the face names it (`2 × NVIDIA H100 80GB HBM3`)
 * @param unit the unit sizes print in
 */
export function fitAnswerLine(answer: FitAnswer, deviceLabel: string, unit: ByteUnit): string {
  const parts: string[] = [];
  const head = answer.best
    ? `Best that fits on ${deviceLabel} with ${ENGINE_PROFILES[answer.best.engine].label}: ${answer.best.label} — ${formatBytes(answer.best.headroomBytes, unit, 1)} spare`
    : answer.tight
      ? `Nothing fits on ${deviceLabel} with the margin to spare`
      : `Nothing fits on ${deviceLabel}`;
  parts.push(head);
  if (answer.tight) parts.push(`${answer.tight.label} tight`);
  if (answer.reference) {
    const { minDevices, label } = answer.reference;
    parts.push(
      minDevices !== null && minDevices > answer.devices
        ? `needs ${minDevices} GPUs for ${label}`
        : `${label} does not fit`,
    );
  }
  return parts.join('; ');
}

/**
 * The training answer as one line: "Fits with: full checkpointing + 2k sequence".
 * @param fit what trainingFit found
 */
export function trainingFitLine(fit: TrainingFit): string {
  if (fit.fitsAsIs) return 'Fits as set';
  if (!fit.found)
    return `Does not fit even with full checkpointing, a paged 8-bit optimizer, ${MIN_SEQUENCE_SEARCHED}-token sequences and ${MAX_GPUS_SEARCHED} GPUs`;
  return `Fits with: ${fit.changes.map((change) => change.label).join(' + ')}`;
}
