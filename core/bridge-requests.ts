/**
 * What the bridge's planning calls ask for: inference and training plan requests (ids and a
 * scenario, as `headroom plan` takes them) and serving plans (`headroom serve-plan`).
 * Re-exported by core/bridge.ts, the bridge's contract.
 */
import type { CustomDeviceRequest } from './devices/custom-device';
import type { EngineId } from './formats/types';
import type { EngineChoice } from './plan/default-engine';
import type { SolveTarget } from './plan/search';
import type { TrainingScenario } from './plan/types';
import type { ServingEngine } from './serving';
import type { ByteUnit } from './units/bytes';

/** What every plan request names: a model and devices by id, and the unit of its answer. */
export interface PlanTargets {
  /** A catalog model id (or a model opened with openModelPath), or absent with `params`. */
  readonly modelId?: string;
  /** A bare parameter count (plan with rules of thumb). */
  readonly params?: number;
  /** Catalog device ids, one entry per device (repeat an id for several of it). */
  readonly deviceIds: readonly string[];
  /**
   * User-defined devices, placed after the catalog ones (repeat an entry for several of it).
   * The Node side turns each into a DeviceSpec with source kind `custom` (core/devices/custom-device.ts).
   */
  readonly customDevices?: readonly CustomDeviceRequest[];
  readonly unit: ByteUnit;
}

/** What the renderer asks to plan: ids only, resolved on the Node side exactly as the CLI does. */
export interface PlanRequest extends PlanTargets {
  /** Inference, as when absent (a training request says `training`). */
  readonly mode?: 'inference';
  readonly weightsFormat?: string;
  /** KV-cache format; absent → the engine's default for these weights (core/memory/kv-cache.ts). */
  readonly kvFormat?: string;
  readonly contextTokens: number;
  readonly batch: number;
  readonly engine: EngineId;
  readonly marginFraction: number;
  /** Layers whose routed experts stay in system RAM (llama.cpp --n-cpu-moe), or all of them. */
  readonly moeOffload?: number | 'all';
  /** llama.cpp `--swa-full`: sliding-window layers keep the whole context (llama.cpp only). */
  readonly swaFull?: boolean;
  /** Data-parallel attention ranks of a mixture-of-experts model (vLLM, SGLang). */
  readonly dataParallel?: number;
  /** Expert parallelism: whole experts per GPU (vLLM, SGLang). */
  readonly expertParallel?: boolean;
  /** Images in each sequence's prompt (`--images`); their tokens join the context. */
  readonly images?: number;
  /**
   * Speculative decoding (`--draft`): a catalog id of a draft model, or `mtp` for the model's
   * own multi-token-prediction layers (vLLM). A draft from a file goes through the CLI only.
   */
  readonly draft?: string;
  /** Tokens the draft proposes per step (`--draft-tokens`). */
  readonly draftTokens?: number;
  /** The host's system RAM (bytes), its bandwidth and cores, for offloaded layers or experts. */
  readonly host?: {
    readonly memoryBytes: number;
    readonly bandwidthBytesPerSecond?: number;
    readonly cores?: number;
  };
  readonly solve?: readonly SolveTarget[];
  /**
   * Also answer "what fits this device group best?" (core/plan/fit-answer.ts) into
   * `solution.fitAnswer`, planning each format with this engine choice (`auto`: each on its own
   * engine); `weightsFormat` is then the model's own format, the one the answer counts GPUs for.
   */
  readonly answer?: { readonly engine: EngineChoice };
}

/**
 * A training plan request over the bridge: the same ids and scenario as `plan --mode training`.
 * Ids only (a model file is opened first, then named by its id), and a unit, as inference asks.
 */
export interface TrainingBridgeRequest extends PlanTargets {
  readonly mode: 'training';
  readonly scenario: TrainingScenario;
  /** Also search what would make it fit (core/plan/training-fit.ts) into `solution.trainingFit`. */
  readonly answer?: boolean;
}

/** Either kind of plan request; inference requests may leave `mode` out. */
export type AnyPlanRequest = PlanRequest | TrainingBridgeRequest;

/** A serving plan to make (`headroom serve-plan`); prices come from Settings. */
export interface ServingBridgeRequest {
  readonly modelId: string;
  readonly engine: ServingEngine;
  readonly weightsFormat?: string;
  readonly kvFormat?: string;
  readonly promptTokens: number;
  readonly promptTokensP90?: number;
  readonly outputTokens: number;
  readonly outputTokensP90?: number;
  /** Requests per second to hold; absent: one setup's capacity and curve only. */
  readonly requestsPerSecond?: number;
  readonly ttftSeconds: number;
  readonly tpotSeconds: number;
  /** `--max-model-len`; absent: p90 prompt + p90 output rounded up to 1024. */
  readonly maxModelLen?: number;
  /** Device types to consider; empty: every catalog GPU. */
  readonly deviceIds: readonly string[];
  /** One setup: replicas of this tensor-parallel size on the one device of deviceIds. */
  readonly gpus?: number;
  /** Most GPUs a setup may use. */
  readonly maxGpus: number;
}
