import { HeadroomError } from '../../core/errors';
import { SETTING_NAMES, type SettingName } from '../../core/setting-names';

/** The flag that sets each setting core names (core/setting-names.ts): the CLI's "how". */
const SETTING_FLAGS: Readonly<Record<SettingName, string>> = {
  model: '--model',
  params: '--params',
  zeroStage: '--zero',
  fsdp: '--fsdp',
  gradAccum: '--grad-accum',
  tensorParallel: '--tp',
  pipelineParallel: '--pp',
  precision: '--precision',
  launchEngine: '--engine',
  mmproj: '--mmproj',
  quantMethod: '--method',
  quantBits: '--bits',
  quantBlock: '--block',
  quantAxis: '--per',
  quantThreshold: '--threshold',
  quantDoubleQuant: '--double-quant',
};

const SETTINGS = Object.keys(SETTING_NAMES) as SettingName[];

/**
 * A core message with the flags of the settings it names appended, in the order it names them.
 * @example withSettingFlags('set the ZeRO stage to 1, 2 or 3.') // "… (--zero)"
 */
export function withSettingFlags(message: string): string {
  const named = SETTINGS.map((setting) => ({
    setting,
    at: message.indexOf(SETTING_NAMES[setting]),
  }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at);
  if (named.length === 0) return message;
  return `${message} (${named.map(({ setting }) => SETTING_FLAGS[setting]).join(', ')})`;
}

/** A thrown HeadroomError with its message's flags; anything else as it was. */
export function withSettingFlagsOnError(thrown: unknown): unknown {
  if (!(thrown instanceof HeadroomError)) return thrown;
  const message = withSettingFlags(thrown.message);
  return message === thrown.message ? thrown : new HeadroomError(thrown.code, message);
}
