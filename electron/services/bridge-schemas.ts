import { z } from 'zod';
import type {
  AnyPlanRequest,
  BridgeMethod,
  ExportReportRequest,
  HeadroomBridge,
  MeasuredImportRequest,
  PlanRequest,
  ServingBridgeRequest,
  ScanRequest,
  TrainingBridgeRequest,
} from '../../core/bridge';
import {
  BATCH_BOUND,
  CONTEXT_TOKENS_BOUND,
  LORA_RANK_BOUND,
  MARGIN_BOUND,
  MAX_DEVICES,
  MFU_BOUND,
  NODES_BOUND,
  PARALLEL_DEGREE_BOUND,
  PARAMS_BOUND,
  TRAIN_TOKENS_BOUND,
  TRAINING_COUNT_BOUND,
  type NumberBound,
  HOST_RAM_GB_BOUND,
  HOST_RAM_BANDWIDTH_BOUND,
  CPU_CORES_BOUND,
  COUNT_BOUND,
  DEVICE_COUNT_BOUND,
  DRAFT_TOKENS_BOUND,
  IMAGES_BOUND,
} from '../../core/input-bounds';
import { boundProblem } from '../../core/number-input';
import { ENGINE_IDS } from '../../core/memory/engine-profiles';
import { AUTO_ENGINE } from '../../core/plan/default-engine';
import { SOLVE_TARGETS } from '../../core/plan/search';
import {
  CHECKPOINTING_MODES,
  FINETUNE_METHODS,
  FSDP_MODES,
  LORA_TARGETS,
  OFFLOAD_TARGETS,
  OPTIMIZER_IMPLS,
  STATE_DTYPES,
  ZERO_STAGES,
  type TrainingScenario,
} from '../../core/plan/types';
import { OPTIMIZER_IDS, TRAINING_PRECISIONS } from '../../core/training';
import { BYTE_UNITS } from '../../core/units/bytes';
import { LAUNCH_ENGINES } from '../../core/launch/types';
import { CHANNEL_AXES, type MethodOptions } from '../../core/quantlab/method-options';
import { CLI_METHOD_NAMES } from '../../core/quantlab/methods';
import { REPORT_FORMATS } from '../../core/report/types';
import { customDeviceSchema } from './custom-device-schema';
import { SERVING_ENGINES } from '../../core/serving/deployment';
import { LATENCY_TARGET_BOUND, REQUEST_RATE_BOUND } from '../../core/serving/bounds';
import { settingsPatchSchema } from './settings';

/**
 * zod schemas for every bridge call's arguments: a renderer (or anything that reaches browser
 * mode's port) can send any JSON, so nothing reaches a service unchecked. Each schema is the
 * same thing as its core/bridge.ts type: `satisfies` checks it here, and
 * tests/unit/electron/bridge-schema-types.test.ts pins `z.infer` of each to its type exactly
 * (`.readonly()` mirrors the types' `readonly`). The value lists are core's.
 */

const id = z.string().min(1).max(300);

/**
 * A number within one of core's bounds (core/input-bounds.ts), refused with the same words the
 * CLI prints for its flag: one set of bounds for every face (issue 16, D4).
 */
const bounded = (bound: NumberBound) =>
  z.number().superRefine((value, context) => {
    const problem = boundProblem(value, bound);
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
  });

/** What every plan request names (PlanTargets). */
const targets = {
  modelId: id.optional(),
  params: bounded(PARAMS_BOUND).optional(),
  deviceIds: z.array(z.string().min(1).max(100)).max(MAX_DEVICES).readonly(),
  customDevices: z.array(customDeviceSchema).max(MAX_DEVICES).readonly().optional(),
  unit: z.enum(BYTE_UNITS),
};
export const planRequestSchema = z
  .object({
    ...targets,
    mode: z.literal('inference').optional(),
    weightsFormat: z.string().min(1).max(50).optional(),
    kvFormat: z.string().min(1).max(50).optional(),
    contextTokens: bounded(CONTEXT_TOKENS_BOUND),
    batch: bounded(BATCH_BOUND),
    engine: z.enum(ENGINE_IDS),
    marginFraction: bounded(MARGIN_BOUND),
    moeOffload: z.union([z.literal('all'), bounded(COUNT_BOUND)]).optional(),
    swaFull: z.boolean().optional(),
    dataParallel: bounded(PARALLEL_DEGREE_BOUND).optional(),
    expertParallel: z.boolean().optional(),
    images: bounded(IMAGES_BOUND).optional(),
    draft: id.optional(),
    draftTokens: bounded(DRAFT_TOKENS_BOUND).optional(),
    host: z
      .strictObject({
        memoryBytes: z
          .number()
          .positive()
          .max(HOST_RAM_GB_BOUND.max * 1e9),
        bandwidthBytesPerSecond: z
          .number()
          .positive()
          .max(HOST_RAM_BANDWIDTH_BOUND.max * 1e9)
          .optional(),
        cores: bounded(CPU_CORES_BOUND).optional(),
      })
      .readonly()
      .optional(),
    solve: z.array(z.enum(SOLVE_TARGETS)).max(4).readonly().optional(),
    answer: z
      .strictObject({ engine: z.enum([...ENGINE_IDS, AUTO_ENGINE]) })
      .readonly()
      .optional(),
  })
  .strict()
  .readonly() satisfies z.ZodType<PlanRequest>;

export const trainingScenarioSchema = z
  .object({
    mode: z.literal('training'),
    precision: z.enum(TRAINING_PRECISIONS),
    optimizer: z.enum(OPTIMIZER_IDS),
    finetune: z.enum(FINETUNE_METHODS),
    loraRank: bounded(LORA_RANK_BOUND),
    loraTargets: z.array(z.enum(LORA_TARGETS)).min(1).max(LORA_TARGETS.length).readonly(),
    checkpointing: z.enum(CHECKPOINTING_MODES),
    flashAttention: z.boolean(),
    contextTokens: bounded(CONTEXT_TOKENS_BOUND),
    microBatch: bounded(TRAINING_COUNT_BOUND),
    gradAccum: bounded(TRAINING_COUNT_BOUND),
    zeroStage: z.literal(ZERO_STAGES),
    tensorParallel: bounded(PARALLEL_DEGREE_BOUND),
    pipelineParallel: bounded(PARALLEL_DEGREE_BOUND),
    nodes: bounded(NODES_BOUND),
    offload: z.enum(OFFLOAD_TARGETS),
    mfu: bounded(MFU_BOUND).optional(),
    trainTokens: bounded(TRAIN_TOKENS_BOUND).optional(),
    includeActivations: z.boolean(),
    marginFraction: bounded(MARGIN_BOUND),
    optimizerStateDtype: z.enum(STATE_DTYPES).optional(),
    adapterDtype: z.enum(STATE_DTYPES).optional(),
    optimizerImpl: z.enum(OPTIMIZER_IMPLS).optional(),
    fsdp: z.enum(FSDP_MODES).optional(),
    sequenceParallel: z.boolean().optional(),
  })
  .strict()
  .readonly() satisfies z.ZodType<TrainingScenario>;

export const trainingRequestSchema = z
  .object({
    ...targets,
    mode: z.literal('training'),
    scenario: trainingScenarioSchema,
    answer: z.boolean().optional(),
  })
  .strict()
  .readonly() satisfies z.ZodType<TrainingBridgeRequest>;

export const anyPlanRequestSchema = z.union([
  planRequestSchema,
  trainingRequestSchema,
]) satisfies z.ZodType<AnyPlanRequest>;

/**
 * Most plans one planBatch call may ask for: the options matrix (every format × a few device
 * groups) and the explorer's sweep (formats × groups × contexts) stay well under it.
 */
export const MAX_PLANS_PER_BATCH = 2048;

/**
 * A path (or Hub id) to open: what a file dialog, a drop or a typed field gives. Bounded like
 * PATH_MAX on Linux (4096), never a NUL (no filesystem accepts one).
 */
const modelPathSchema = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .refine((text) => !text.includes('\0'), 'a path has no NUL character');

/** Most plans one report holds: every card Compare shows stays well under it. */
const MAX_PLANS_PER_REPORT = 256;

/** A report to export: labelled plan requests of one model, a format, a unit. */
export const exportReportSchema = z
  .object({
    plans: z
      .array(
        z
          .object({ label: z.string().min(1).max(200), request: anyPlanRequestSchema })
          .strict()
          .readonly(),
      )
      .min(1)
      .max(MAX_PLANS_PER_REPORT)
      .readonly(),
    comparison: z
      .object({
        option: z.string().min(1).max(50),
        values: z.array(z.string().min(1).max(100)).min(2).max(MAX_PLANS_PER_REPORT).readonly(),
      })
      .strict()
      .readonly()
      .nullable(),
    format: z.enum(REPORT_FORMATS),
    unit: z.enum(BYTE_UNITS),
    includeMeasured: z.boolean().optional(),
  })
  .strict()
  .readonly() satisfies z.ZodType<ExportReportRequest>;

/** Methods one scan may compare (the lab's method list has 9 names). */
const MAX_SCAN_METHODS = 16;
/** Tensors one scan may name (a checkpoint has a few thousand at most). */
const MAX_SCAN_TENSORS = 100_000;

const methodOptionsSchema = z
  .object({
    method: z.enum(CLI_METHOD_NAMES),
    bits: z.number().int().min(1).max(32).optional(),
    block: z
      .number()
      .int()
      .min(1)
      .max(1 << 20)
      .optional(),
    per: z.enum(CHANNEL_AXES).optional(),
    threshold: z.number().positive().max(1e6).optional(),
    doubleQuant: z.boolean().optional(),
  })
  .strict()
  .readonly() satisfies z.ZodType<MethodOptions>;

export const scanRequestSchema = z
  .object({
    path: modelPathSchema,
    methods: z.array(methodOptionsSchema).min(1).max(MAX_SCAN_METHODS).readonly(),
    tensors: z.array(z.string().min(1).max(1000)).max(MAX_SCAN_TENSORS).readonly().optional(),
    outlierThreshold: z.number().positive().max(1e6).optional(),
  })
  .strict()
  .readonly() satisfies z.ZodType<ScanRequest>;

/** A scan id: what startScan answered (a UUID). */
const scanIdSchema = z.string().min(1).max(100);

/**
 * Files one import may carry, and the text of each: an engine's start-up log is far smaller
 * (`headroom measure import` reads files up to 64 MiB; over the bridge the page sends the text).
 */
const MAX_IMPORT_FILES = 64;
const MAX_IMPORT_TEXT_CHARS = 64 * 1024 * 1024;

const measuredImportSchema = z
  .object({
    files: z
      .array(
        z
          .object({
            name: z.string().min(1).max(1000),
            text: z.string().max(MAX_IMPORT_TEXT_CHARS),
          })
          .strict()
          .readonly(),
      )
      .min(1)
      .max(MAX_IMPORT_FILES)
      .readonly(),
    deviceId: z.string().min(1).max(100).optional(),
    modelRef: id.optional(),
  })
  .strict()
  .readonly() satisfies z.ZodType<MeasuredImportRequest>;

const tokens = bounded(CONTEXT_TOKENS_BOUND);

/** A serving plan to make: the serve-plan command's flags, bounded as they are. */
const servingRequestSchema = z
  .object({
    modelId: id,
    engine: z.enum(SERVING_ENGINES),
    weightsFormat: id.optional(),
    kvFormat: id.optional(),
    promptTokens: tokens,
    promptTokensP90: tokens.optional(),
    outputTokens: tokens,
    outputTokensP90: tokens.optional(),
    requestsPerSecond: bounded(REQUEST_RATE_BOUND).optional(),
    ttftSeconds: bounded(LATENCY_TARGET_BOUND),
    tpotSeconds: bounded(LATENCY_TARGET_BOUND),
    maxModelLen: tokens.optional(),
    deviceIds: z.array(z.string().min(1).max(100)).max(MAX_DEVICES).readonly(),
    gpus: bounded(DEVICE_COUNT_BOUND).optional(),
    maxGpus: bounded(BATCH_BOUND),
  })
  .strict()
  .readonly() satisfies z.ZodType<ServingBridgeRequest>;

/**
 * Argument schemas per method: each one's output is its method's parameter tuple (checked
 * here by `satisfies`, pinned exactly by the type test).
 */
export const ARGUMENT_SCHEMAS = {
  appInfo: z.tuple([]),
  listModels: z.tuple([]),
  listDevices: z.tuple([]),
  listFormats: z.tuple([]),
  plan: z.tuple([planRequestSchema]),
  planBatch: z.tuple([z.array(anyPlanRequestSchema).max(MAX_PLANS_PER_BATCH).readonly()]),
  planTraining: z.tuple([trainingRequestSchema]),
  detectDevices: z.tuple([]),
  refreshDevices: z.tuple([]),
  getSettings: z.tuple([]),
  saveSettings: z.tuple([settingsPatchSchema]),
  openModelPath: z.tuple([modelPathSchema]),
  exportReport: z.tuple([exportReportSchema]),
  saveReport: z.tuple([exportReportSchema]),
  launchSettings: z.tuple([anyPlanRequestSchema, z.enum(LAUNCH_ENGINES)]),
  chooseScanPath: z.tuple([]),
  startScan: z.tuple([scanRequestSchema]),
  scanStatus: z.tuple([scanIdSchema]),
  cancelScan: z.tuple([scanIdSchema]),
  importMeasuredRuns: z.tuple([measuredImportSchema]),
  compareMeasuredRuns: z.tuple([]),
  deriveCorrections: z.tuple([]),
  servePlan: z.tuple([servingRequestSchema]),
} satisfies { readonly [M in BridgeMethod]: z.ZodType<Parameters<HeadroomBridge[M]>> };
