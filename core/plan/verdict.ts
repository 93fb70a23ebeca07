import { worstCaseUsedBytes, type PlanAccuracy } from '../calibration/accuracy';
import { formatPercent } from '../units/numbers';
import type { DevicePlan, OffloadSplit, Verdict } from './types';

/** Default safety margin: a plan using more than 95 % of usable memory is "tight". */
export const DEFAULT_MARGIN_FRACTION = 0.05;

/** Within the margin everywhere, within capacity everywhere, or over somewhere. */
function fitStatus(
  perDevice: readonly DevicePlan[],
  marginFraction: number,
  accuracy?: PlanAccuracy,
): 'fits' | 'tight' | 'over' {
  let tight = false;
  for (const plan of perDevice) {
    const usable = plan.headroom + plan.used;
    if (plan.headroom < 0) return 'over';
    if (plan.used > usable * (1 - marginFraction)) tight = true;
    // Within the measured error band of this kind of plan: it may not fit after all.
    if (accuracy && worstCaseUsedBytes(plan.used, accuracy) > usable) tight = true;
  }
  return tight ? 'tight' : 'fits';
}

const percent = (fraction: number): string => formatPercent(fraction, { fractionDigits: 0 });

/** Why a plan that fits is tight: the safety margin, the measured error band, or both. */
function tightReason(
  device: DevicePlan,
  marginFraction: number,
  accuracy: PlanAccuracy | undefined,
  formatBytes: (bytes: number) => string,
): string {
  const usable = device.used + device.headroom;
  const inBand = accuracy !== undefined && worstCaseUsedBytes(device.used, accuracy) > usable;
  const inMargin = device.used > usable * (1 - marginFraction);
  const why = [
    ...(inMargin ? [`the ${percent(marginFraction)} safety margin`] : []),
    ...(inBand && accuracy ? [`this kind of plan's measured error (${accuracy.summary})`] : []),
  ].join(' and ');
  return `Fits, but ${device.name} would be within ${why} (${formatBytes(device.headroom)} left): longer prompts or fragmentation may run out of memory.`;
}

/** The verdict in words, from what the placement found. */
export function buildVerdict(input: {
  readonly perDevice: readonly DevicePlan[];
  readonly marginFraction: number;
  readonly offload: OffloadSplit | null;
  readonly offloadPossible: boolean;
  readonly minDevices: number | null;
  readonly formatBytes: (bytes: number) => string;
  /** The plan's measured accuracy: a headroom inside its error band is "tight". */
  readonly accuracy?: PlanAccuracy;
}): Verdict {
  const { perDevice, marginFraction, offload, minDevices, formatBytes } = input;
  if (perDevice.length === 0) {
    return {
      status: 'no-device',
      fits: null,
      minDevices: null,
      reason:
        'No device was given: the plan lists the memory the model needs, without a verdict or speed.',
    };
  }
  const status = offload ? 'over' : fitStatus(perDevice, marginFraction, input.accuracy);
  const tightest = perDevice.reduce((a, b) => (b.headroom < a.headroom ? b : a));
  if (status === 'fits') {
    return {
      status: 'fits',
      fits: true,
      minDevices,
      reason: `Fits with ${formatBytes(tightest.headroom)} to spare on ${tightest.name}.`,
    };
  }
  if (status === 'tight') {
    return {
      status: 'tight',
      fits: true,
      minDevices,
      reason: tightReason(tightest, marginFraction, input.accuracy, formatBytes),
    };
  }
  if (offload && input.offloadPossible) {
    return {
      status: 'needs-offload',
      fits: false,
      minDevices,
      offload,
      reason: `Does not fit on the devices alone: ${offload.deviceLayers} of ${offload.totalLayers} layers fit; the other ${offload.totalLayers - offload.deviceLayers} (${formatBytes(offload.hostBytes)}) would run from system RAM, much slower.`,
    };
  }
  const over = perDevice.filter((plan) => plan.headroom < 0);
  const worst = over.reduce((a, b) => (b.headroom < a.headroom ? b : a), tightest);
  return {
    status: 'does-not-fit',
    fits: false,
    minDevices,
    reason: `Does not fit: ${worst.name} would need ${formatBytes(-worst.headroom)} more than it has${minDevices ? `; ${minDevices} such devices would do` : ''}.`,
  };
}
