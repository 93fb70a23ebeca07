/**
 * The schema of the JSON report (headroom.report/v1) as zod, for scripts and tests that read
 * reports back: the report's own sections exactly (no field more or less), the embedded plans
 * by the headroom.plan/v1 fields every plan carries. `reportJsonSchema()` gives it as JSON
 * Schema (draft 2020-12) for tools in other languages.
 */
import { z } from 'zod';
import { BREAKDOWN_KEYS } from '../../core/report/format';
import { REPORT_SCHEMA } from '../../core/report/types';
import { BYTE_UNITS } from '../../core/units/bytes';

const bytes = z.number().min(0);
/** JSON writes Infinity and NaN as null: rates may be null where they are unbounded. */
const rate = z.number().min(0).nullable();

const breakdown = z.strictObject(
  Object.fromEntries(BREAKDOWN_KEYS.map((key) => [key, bytes])) as Record<
    (typeof BREAKDOWN_KEYS)[number],
    typeof bytes
  >,
);

const devicePlan = z.object({
  device: z.string().min(1),
  name: z.string().min(1),
  capacity: bytes,
  used: bytes,
  headroom: z.number(),
  breakdown,
  layers: z.number().int().min(0),
});

const inferenceThroughput = z.object({
  decodeTokensPerSecond: rate,
  decodeTokensPerSecondPerSequence: rate,
  prefillTokensPerSecond: rate,
  bound: z.enum(['memory-bandwidth', 'compute', 'host']),
  decodeTokensPerSecondRange: z.object({ low: rate, high: rate }).optional(),
});

const trainingThroughput = z.object({
  trainingTokensPerSecond: rate,
  mfu: z.number().positive().optional(),
  secondsToTrain: rate,
  bound: z.literal('compute'),
});

/** The headroom.plan/v1 fields a report's readers rely on. */
const plan = z.object({
  schema: z.literal('headroom.plan/v1'),
  model: z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    source: z.string().min(1),
    params: z.number().int().min(1),
    activeParams: z.number().int().min(1),
    layers: z.number().int().min(1).nullable(),
    kvBytesPerToken: z.number().min(0).nullable(),
  }),
  scenario: z.looseObject({
    mode: z.enum(['inference', 'training']),
    contextTokens: z.number().int().min(1),
    devices: z.array(z.string().min(1)),
  }),
  memory: z.object({ breakdown, total: bytes, perDevice: z.array(devicePlan) }),
  verdict: z.object({
    status: z.enum(['fits', 'tight', 'needs-offload', 'does-not-fit', 'no-device']),
    fits: z.boolean().nullable(),
    minDevices: z.number().int().min(1).nullable(),
    reason: z.string().min(1),
  }),
  throughput: z.union([inferenceThroughput, trainingThroughput]).nullable(),
  accuracy: z.object({
    basis: z.enum(['measured', 'formula']),
    family: z.string().nullable(),
    runs: z.number().int().min(0),
    lowestError: z.number().nullable(),
    highestError: z.number().nullable(),
    summary: z.string().min(1),
  }),
  assumptions: z.array(
    z.object({
      name: z.string().min(1),
      value: z.union([z.string(), z.number()]),
      unit: z.literal('bytes').optional(),
      source: z.string().min(1),
    }),
  ),
  warnings: z.array(z.string()),
});

const reportDevice = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  vendor: z.enum(['nvidia', 'amd', 'apple', 'intel', 'cpu']),
  memoryBytes: bytes,
  memoryFreeBytes: bytes.nullable(),
  bandwidthBytesPerSecond: z.number().positive().nullable(),
  source: z.string().min(1),
});

const detection = z.strictObject({
  gpuVerdict: z.strictObject({
    kind: z.enum(['found', 'none-found', 'undetermined']),
    message: z.string().min(1),
  }),
  probes: z.array(
    z.strictObject({
      name: z.string().min(1),
      status: z.enum(['ok', 'missing', 'timeout', 'failed', 'skipped']),
      ms: z.number().min(0),
      reason: z.string().optional(),
    }),
  ),
  devices: z.array(reportDevice),
  startedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().min(0),
  replayedFrom: z.string().nullable(),
});

const modelSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('catalog'), id: z.string().min(1), config: z.string() }),
  z.strictObject({ kind: z.literal('params'), note: z.string() }),
  z.strictObject({
    kind: z.literal('file'),
    path: z.string().min(1),
    format: z.enum(['config.json', 'safetensors', 'gguf']),
    sizeBytes: bytes.nullable(),
  }),
  z.strictObject({ kind: z.literal('hub'), repo: z.string().min(1) }),
]);

const architecture = z.strictObject({
  family: z.string().min(1),
  layers: z.number().int().min(1),
  hiddenSize: z.number().int().min(1),
  attentionHeads: z.number().int().min(1),
  kvHeads: z.number().int().min(1),
  headDim: z.number().int().min(1),
  intermediateSize: z.number().int().min(0),
  vocabSize: z.number().int().min(1),
  attention: z.enum(['mha', 'gqa', 'mqa', 'mla']),
  maxContextTokens: z.number().int().min(1),
  tiedEmbeddings: z.boolean(),
  experts: z
    .strictObject({ routed: z.number().int().min(1), active: z.number().int().min(1) })
    .nullable(),
});

/** headroom.report/v1. */
export const fitReportSchema = z.strictObject({
  schema: z.literal(REPORT_SCHEMA),
  title: z.string().min(1),
  generatedAt: z.iso.datetime({ offset: true }),
  headroomVersion: z.string().min(1),
  unit: z.enum(BYTE_UNITS),
  model: z.strictObject({
    id: z.string().min(1),
    name: z.string().min(1),
    params: z.number().int().min(1),
    activeParams: z.number().int().min(1),
    publishedFormat: z.string().min(1),
    source: modelSource,
    architecture: architecture.nullable(),
  }),
  hardware: z.strictObject({ detection: detection.nullable(), devices: z.array(reportDevice) }),
  comparison: z
    .strictObject({ option: z.string().min(1), values: z.array(z.string().min(1)).min(2) })
    .nullable(),
  plans: z.array(z.strictObject({ label: z.string().min(1), plan })).min(1),
});

/** The schema as JSON Schema (draft 2020-12), for readers in other languages. */
export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(fitReportSchema) as Record<string, unknown>;
}
