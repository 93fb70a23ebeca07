import { Command } from 'commander';
import type { PlanRequest } from '../../core/bridge';
import { HeadroomError } from '../../core/errors';
import { findModel, MODEL_IDS, paramsOnlyModel, parseParamCount } from '../../core/models/catalog';
import type { ModelSpec } from '../../core/models/types';
import { resolveEngine } from '../../core/plan/default-engine';
import type { DeviceResolver } from '../../core/plan/lookups';
import { planFromRequest } from '../../core/plan/plan-request';
import type { Plan } from '../../core/plan/types';
import { didYouMean } from '../../core/suggest';
import { planTrainingFromOptions, type TrainingPlanRequest } from '../../core/training';
import type { LocalDevices } from '../services/local-devices';
import { DEVICE_COUNT_BOUND, MAX_DEVICES, PARAMS_BOUND } from '../../core/input-bounds';
import { checkBound } from '../../core/number-input';
import { MTP_DRAFT } from '../../core/plan/draft-choice';
import type { ResolvedPlanRequest } from '../../core/plan/plan-request';
import type { PlanOptions } from './plan-flags';
import { TRAINING_ONLY, trainingScenarioOf } from './training-options';

/** Flags of one mode only: given in the other mode they are an error, not silently ignored. */
const INFERENCE_ONLY = [
  'weights',
  'kv',
  'batch',
  'engine',
  'solve',
  'moeOffload',
  'swaFull',
  'dataParallel',
  'expertParallel',
  'ram',
  'ramBandwidth',
  'cpuCores',
  'images',
  'mmproj',
  'draft',
  'draftTokens',
] as const;

/** Option keys as commander names them, back to the flag a person typed. */
const flagName = (key: string): string =>
  `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/** The device ids: each --device once, or one --device repeated --gpus times. */
function deviceIds(options: PlanOptions): string[] {
  const ids = options.device ?? [];
  if (ids.length > MAX_DEVICES) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${ids.length} --device flags: ${DEVICE_COUNT_BOUND.setting.toLowerCase()} is at most ${MAX_DEVICES} (${DEVICE_COUNT_BOUND.reason}).`,
    );
  }
  if (options.gpus === undefined) return ids;
  if (ids.length !== 1) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      '--gpus <n> multiplies exactly one --device; list mixed devices with several --device flags instead.',
    );
  }
  return Array.from({ length: options.gpus }, () => ids[0]!);
}

/** The model half of a request: a catalog id, a model file or folder, a Hub id, or a bare count. */
async function modelOf(options: PlanOptions): Promise<{ model: ModelSpec } | { params: number }> {
  if (options.model && options.params)
    throw new HeadroomError('BAD_ARGUMENT', 'Give either --model or --params, not both.');
  if (!options.model && !options.params) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'Say which model: --model <Hugging Face id or path> (see headroom models) or --params <count, e.g. 7B>.',
    );
  }
  if (!options.model) return { params: checkBound(parseParamCount(options.params!), PARAMS_BOUND) };
  // A catalog id needs no file reader: model-files (safetensors, GGUF, the Hub) loads on use.
  const catalog = findModel(options.model);
  if (catalog) return { model: catalog };
  try {
    const { resolveModelArgument } = await import('../services/model-files');
    return { model: await resolveModelArgument(options.model) };
  } catch (thrown) {
    // A typo of a catalog id reads like a Hub id or an unknown name: point at the catalog too.
    if (
      thrown instanceof HeadroomError &&
      (thrown.code === 'UNKNOWN_MODEL' || thrown.code === 'NOT_AVAILABLE') &&
      !thrown.message.includes('Did you mean')
    ) {
      const hint = didYouMean(options.model, MODEL_IDS);
      throw new HeadroomError(thrown.code, `${thrown.message.replace(/\.$/, '')}. ${hint}`.trim());
    }
    throw thrown;
  }
}

/**
 * `--batch n` in training mode means what `--micro-batch n` says (sequences per GPU per step):
 * taken as that, with a note on stderr, unless --micro-batch is given too.
 */
function batchAsMicroBatch(
  options: PlanOptions,
  command: Command,
  note: (text: string) => void = (text) => process.stderr.write(text),
): PlanOptions {
  if (options.mode !== 'training' || command.getOptionValueSource('batch') !== 'cli') {
    return options;
  }
  if (command.getOptionValueSource('microBatch') === 'cli') {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      '--batch and --micro-batch both given in --mode training: give --micro-batch only (sequences per micro-batch per GPU).',
    );
  }
  const microBatch = options.batch;
  note(`note: --batch ${microBatch} in --mode training is read as --micro-batch ${microBatch}\n`);
  // Commander's opts() is its live store: record the move there too, as if typed so.
  command.setOptionValueWithSource('microBatch', microBatch, 'cli');
  command.setOptionValueWithSource('batch', 1, 'default');
  return { ...options, microBatch, batch: 1 };
}

/** Rejects flags that belong to the other mode, naming them. */
function checkModeFlags(options: PlanOptions, command: Command): void {
  const foreign = options.mode === 'training' ? INFERENCE_ONLY : TRAINING_ONLY;
  const given = foreign.filter((key) => command.getOptionValueSource(key) === 'cli');
  if (given.length > 0) {
    const other = options.mode === 'training' ? 'inference' : 'training';
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${given.map(flagName).join(', ')} only appl${given.length === 1 ? 'ies' : 'y'} to --mode ${other}.`,
    );
  }
}

/**
 * The CLI's flags as the same request the UI sends over the bridge; `--engine auto` becomes the
 * engine of the weights format (the model's published one when --weights is absent), as the
 * UI's engine control does.
 */
function planRequest(options: PlanOptions, model: ModelSpec): PlanRequest {
  return {
    deviceIds: deviceIds(options),
    ...(options.weights ? { weightsFormat: options.weights } : {}),
    ...(options.kv ? { kvFormat: options.kv } : {}),
    contextTokens: options.context,
    batch: options.batch,
    engine: resolveEngine(options.engine, options.weights ?? model.publishedFormat),
    marginFraction: options.margin,
    ...(options.moeOffload !== undefined ? { moeOffload: options.moeOffload } : {}),
    ...(options.swaFull ? { swaFull: true } : {}),
    ...(options.dataParallel !== undefined ? { dataParallel: options.dataParallel } : {}),
    ...(options.expertParallel ? { expertParallel: true } : {}),
    ...(options.images !== undefined ? { images: options.images } : {}),
    ...(options.draft !== undefined ? { draft: options.draft } : {}),
    ...(options.draftTokens !== undefined ? { draftTokens: options.draftTokens } : {}),
    ...(options.ram !== undefined
      ? {
          host: {
            memoryBytes: options.ram * 1e9,
            ...(options.ramBandwidth !== undefined
              ? { bandwidthBytesPerSecond: options.ramBandwidth * 1e9 }
              : {}),
            ...(options.cpuCores !== undefined ? { cores: options.cpuCores } : {}),
          },
        }
      : {}),
    ...(options.solve ? { solve: [options.solve] } : {}),
    unit: options.unit,
  };
}

/** `--mode training`: the same ids, and the training scenario; --gpus counts GPUs per node. */
function trainingRequest(options: PlanOptions): TrainingPlanRequest {
  return {
    deviceIds: deviceIds(options),
    scenario: trainingScenarioOf(options),
    unit: options.unit,
  };
}

/**
 * The plan the flags ask for. `--device local` / `local:N` run detection first (this machine's
 * GPUs, or its CPU and RAM where it has none); every other id is a catalog device.
 */
export async function planFromOptions(given: PlanOptions, command: Command): Promise<Plan> {
  const options = batchAsMicroBatch(given, command);
  checkModeFlags(options, command);
  const model = await modelOf(options);
  const { ids, resolve } = await resolveDeviceIds(deviceIds(options));
  const spec = 'model' in model ? model.model : paramsOnlyModel(model.params);
  return options.mode === 'training'
    ? planTrainingFromOptions({ ...trainingRequest(options), ...model, deviceIds: ids }, resolve)
    : planFromRequest(
        { ...planRequest(options, spec), ...model, ...(await sideFiles(options)), deviceIds: ids },
        resolve,
      );
}

/**
 * What `--draft` and `--mmproj` name beyond the catalog, read from files (or the Hub): a draft
 * model file and the mmproj header. Catalog drafts and `mtp` resolve in core.
 */
async function sideFiles(
  options: PlanOptions,
): Promise<Pick<ResolvedPlanRequest, 'draftModel' | 'mmproj'>> {
  if (options.mmproj !== undefined && !options.images) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      '--mmproj <file> is the vision projector for images: add --images <n> (images per prompt).',
    );
  }
  if (options.draftTokens !== undefined && options.draft === undefined) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `--draft-tokens sets how far a draft looks ahead: add --draft <model> (or --draft ${MTP_DRAFT}).`,
    );
  }
  let draftModel: ModelSpec | undefined;
  if (options.draft !== undefined && options.draft !== MTP_DRAFT && !findModel(options.draft)) {
    const resolved = await modelOf({ ...options, model: options.draft, params: undefined });
    if ('model' in resolved) draftModel = resolved.model;
  }
  let mmproj;
  if (options.mmproj !== undefined) {
    const { readMmprojFile } = await import('../services/mmproj-file');
    mmproj = await readMmprojFile(options.mmproj);
  }
  return { ...(draftModel ? { draftModel } : {}), ...(mmproj ? { mmproj } : {}) };
}

/** Catalog ids as they are; `local` / `local:N` load detection (and run it) only when given. */
async function resolveDeviceIds(
  ids: readonly string[],
): Promise<{ readonly ids: readonly string[]; readonly resolve?: DeviceResolver }> {
  if (!ids.some((id) => id === 'local' || id.startsWith('local:'))) return { ids };
  const { createLocalDevices, resolveLocalIds } = await import('../services/local-devices');
  return resolveLocalIds(ids, createLocalDevices());
}

/** The plans of `planVariants`, with the one model they are all about. */
interface PlanVariants {
  readonly model: ModelSpec;
  readonly plans: readonly Plan[];
}

/**
 * One plan per variant of the flags (`report --compare weights=bf16,q8_0` makes one variant per
 * value): each variant overrides some options as if they had been typed. A variant that sets
 * `mode` plans with that mode's flags and leaves the other mode's aside (comparing inference
 * with training); otherwise flags of the other mode are an error, the variant's keys included.
 * The model is read once (a file or the Hub) and `local` detects this machine once, for all.
 */
export async function planVariants(
  options: PlanOptions,
  command: Command,
  variants: readonly Partial<PlanOptions>[],
  local: LocalDevices,
): Promise<PlanVariants> {
  options = batchAsMicroBatch(options, command);
  const resolved = await modelOf(options);
  const model = 'model' in resolved ? resolved.model : paramsOnlyModel(resolved.params);
  const plans: Plan[] = [];
  for (const variant of variants) {
    const merged: PlanOptions = { ...options, ...variant };
    if (variant.mode === undefined) {
      checkModeFlags(merged, command);
      const foreign: readonly string[] =
        merged.mode === 'training' ? INFERENCE_ONLY : TRAINING_ONLY;
      const misplaced = Object.keys(variant).filter((key) => foreign.includes(key));
      if (misplaced.length > 0) {
        throw new HeadroomError(
          'BAD_ARGUMENT',
          `${misplaced.map(flagName).join(', ')} cannot vary in --mode ${merged.mode}: it only applies to the other mode.`,
        );
      }
    }
    const { resolveLocalIds } = await import('../services/local-devices');
    const { ids, resolve } = await resolveLocalIds(deviceIds(merged), local);
    plans.push(
      merged.mode === 'training'
        ? planTrainingFromOptions({ ...trainingRequest(merged), model, deviceIds: ids }, resolve)
        : planFromRequest(
            { ...planRequest(merged, model), model, ...(await sideFiles(merged)), deviceIds: ids },
            resolve,
          ),
    );
  }
  return { model, plans };
}
