/**
 * The one interface the renderer uses. Implemented by the Electron preload (IPC) and by the
 * HTTP client of browser mode; both carry the same types and the same errors. Types, and the
 * value lists and defaults beside them that the zod schemas (electron/services/bridge-schemas.ts,
 * pinned to these types by tests/unit/electron/bridge-schema-types.test.ts) and the UI read.
 */
import type { CustomDeviceRequest } from './devices/custom-device';
import type { DeviceSpec } from './devices/types';
import type { Envelope, SerializedError } from './errors';
import type { EngineId, FormatFamily } from './formats/types';
import type { LaunchEngine, LaunchSettings } from './launch/types';
import type { CategoryComparison } from './measure/compare';
import type { MemoryCorrection } from './measure/corrections';
import type { MeasureEngine, MeasureFormat } from './measure/types';
import type { ModelSpec } from './models/types';
import type { EngineChoice } from './plan/default-engine';
import type { SolveTarget } from './plan/search';
import type { Plan } from './plan/types';
import type { MethodOptions } from './quantlab/method-options';
import type { JsonMetrics } from './quantlab/quant-json';
import type { ScanMethodResult, ScanRow } from './quantlab/scan';
import type { ServingEngine, ServingPlan } from './serving';
import type { ReportComparison, ReportFormat } from './report/types';
import type { TrainingScenario } from './plan/types';
import type { ByteUnit } from './units/bytes';

/** Which face is serving the renderer. */
export type Face = 'desktop' | 'browser';

export interface AppInfo {
  readonly name: 'Headroom';
  readonly version: string;
  readonly face: Face;
  /** `process.platform` of the machine doing detection and file access. */
  readonly platform: string;
}

/** A format as listed to the UI (its per-tensor rule stays on the Node side). */
export interface FormatSummary {
  readonly id: string;
  readonly label: string;
  readonly family: FormatFamily;
  readonly bitsPerWeight: number;
  readonly kvCapable: boolean;
  readonly qualityRank: number;
  readonly engines: readonly EngineId[];
}

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

/** How one detection tool fared (the probes of `headroom detect`). */
interface ProbeSummary {
  readonly name: string;
  readonly status: 'ok' | 'missing' | 'timeout' | 'failed' | 'skipped';
  readonly ms: number;
  readonly reason?: string;
}

/** This machine's devices as detection found them; ids `local:N` plan like catalog ids. */
export interface DetectionReport {
  readonly devices: readonly DeviceSpec[];
  readonly probes: readonly ProbeSummary[];
  /** "found", "none-found" (no GPU here) or "undetermined" (could not tell), in words too. */
  readonly gpuVerdict: {
    readonly kind: 'found' | 'none-found' | 'undetermined';
    readonly message: string;
  };
  readonly startedAt: string;
  readonly durationMs: number;
  /** Set when the devices come from a recording (HEADROOM_DETECT_REPLAY / --replay). */
  readonly replayedFrom?: string;
}

/** The colour themes the user may ask for: the OS's, or always light or dark. */
export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

/** A model as the settings remember it (a file by its path: it is read again on start). */
export type SavedModel =
  | { readonly kind: 'catalog'; readonly id: string }
  | { readonly kind: 'params'; readonly params: number }
  | { readonly kind: 'file'; readonly path: string };

/**
 * A device group as the settings remember it. Detected devices are remembered by name: their
 * `local:N` ids belong to one detection, and the next start may number them differently.
 */
export type SavedDeviceGroup =
  | { readonly source: 'catalog'; readonly id: string; readonly count: number }
  | { readonly source: 'detected'; readonly name: string; readonly count: number }
  | { readonly source: 'custom'; readonly spec: CustomDeviceRequest; readonly count: number };

/** What the workbench remembers between runs (electron/services/settings.ts keeps it). */
export interface Settings {
  readonly unit: ByteUnit;
  readonly theme: ThemePreference;
  /** Compare shows a training card beside the inference cards of each device group. */
  readonly showTraining: boolean;
  /** The model planned last; null before the user has chosen one. */
  readonly lastModel: SavedModel | null;
  /** Models planned lately, most recent first, no repeats. */
  readonly recentModels: readonly SavedModel[];
  /** The device groups planned last; null before the user has chosen any. */
  readonly lastDevices: readonly SavedDeviceGroup[] | null;
  /**
   * Plans apply this machine's corrections from measured runs (issue 18) where one matches their
   * device and engine; off, a plan is exactly what the model computes.
   */
  readonly applyCorrections: boolean;
  /**
   * The user's own prices per GPU-hour by catalog device id (USD), for serving plans (issue 19).
   * Empty by default: no built-in price pretends to be current.
   */
  readonly servingPricesUsdPerHour: Readonly<Record<string, number>>;
}

/**
 * Before the user has changed anything: GiB, as nvidia-smi and VRAM sizes speak (issue 17; GB a
 * toggle, DESIGN.md Units), the OS's theme, training shown, plans uncorrected (issue 18), and no
 * GPU prices (issue 19: no built-in price pretends to be current).
 */
export const DEFAULT_SETTINGS: Settings = {
  unit: 'GiB',
  theme: 'system',
  showTraining: true,
  lastModel: null,
  recentModels: [],
  lastDevices: null,
  applyCorrections: false,
  servingPricesUsdPerHour: {},
};

/** Some settings to change; a new `lastModel` also moves to the front of `recentModels`. */
export type SettingsPatch = Partial<Settings>;

/** One plan of an exported report: the request (planned again on the Node side) and its name. */
export interface ReportPlanRequest {
  /** `weights=q4_k_m` when the plans differ in one option (as `headroom report --compare`). */
  readonly label: string;
  readonly request: AnyPlanRequest;
}

/** A fit report to export: the plans the UI shows, of one model, in one format. */
export interface ExportReportRequest {
  readonly plans: readonly ReportPlanRequest[];
  /** The option the plans differ in, when it is one; null for a mixed set. */
  readonly comparison: ReportComparison | null;
  readonly format: ReportFormat;
  readonly unit: ByteUnit;
  /**
   * Add the stored measured runs against their plans (plan vs measured), as
   * `headroom report --measured` does; corrected when Settings.applyCorrections is on. Not for
   * CSV, which holds one table.
   */
  readonly includeMeasured?: boolean;
}

/** An exported report, ready to download: text, or base64 for the (binary) PDF. */
export type ExportedReport = {
  /** A file name to offer, e.g. `headroom-report-llama-3.1-8b.md`. */
  readonly fileName: string;
  readonly format: ReportFormat;
  readonly mimeType: string;
} & (
  | { readonly encoding: 'text'; readonly text: string }
  | { readonly encoding: 'base64'; readonly base64: string }
);

/** A report the desktop app saved where the user chose (atomically). */
export interface SavedReport {
  readonly path: string;
  readonly bytes: number;
  readonly format: ReportFormat;
}

/** A whole-file quantization scan to start (issue 9): a safetensors file, index or folder. */
export interface ScanRequest {
  readonly path: string;
  /** The methods as the CLI's flags name them (`--method nf4 --block 64`). */
  readonly methods: readonly MethodOptions[];
  /** Tensor names; every F32/F16/BF16 tensor when absent or empty. */
  readonly tensors?: readonly string[];
  /** |x| at or above which a value counts as an outlier (default 6.0). */
  readonly outlierThreshold?: number;
}

/** A scan row as it crosses the bridge: an infinite SNR (no error) is null, as JSON writes it. */
export type WireScanRow = Omit<ScanRow, 'results'> & {
  readonly results: readonly (Omit<ScanMethodResult, 'metrics'> & {
    readonly metrics: JsonMetrics;
  })[];
};

/** A finished scan: one row per tensor, the totals per method, and what was skipped. */
export interface ScanResult {
  readonly path: string;
  readonly files: readonly string[];
  readonly outlierThreshold: number;
  readonly rows: readonly WireScanRow[];
  readonly skipped: readonly {
    readonly name: string;
    readonly dtype: string;
    readonly reason: string;
  }[];
  readonly totals: readonly {
    readonly label: string;
    readonly metrics: JsonMetrics;
    readonly storedBytes: number;
  }[];
  readonly workers: number;
  readonly bytesRead: number;
}

/** Where a scan stands; ask again with scanStatus until it is no longer running. */
export type ScanStatus =
  | {
      readonly state: 'running';
      /** `opening`: reading headers; `stats`: the first pass; `scan`: the error scan. */
      readonly pass: 'opening' | 'stats' | 'scan';
      readonly bytesDone: number;
      readonly bytesTotal: number;
      /** Milliseconds since the scan started: with the bytes, its rate and time left (core/quantlab/scan-progress). */
      readonly elapsedMs: number;
    }
  | { readonly state: 'done'; readonly result: ScanResult }
  | { readonly state: 'failed'; readonly error: SerializedError }
  | { readonly state: 'cancelled' };

/** A measured-run file as the page read it (dropped or chosen): its name and its text. */
export interface MeasuredFileUpload {
  readonly name: string;
  readonly text: string;
}

/** Files to import as measured runs (`headroom measure import`): all or nothing. */
export interface MeasuredImportRequest {
  readonly files: readonly MeasuredFileUpload[];
  /** The catalog device the runs ran on (default: the GPU the log names). */
  readonly deviceId?: string;
  /** The model to plan with (catalog id) when the log names none. */
  readonly modelRef?: string;
}

export interface MeasuredImportResult {
  /** Runs read from the files. */
  readonly imported: number;
  /** Runs stored in all after the import. */
  readonly stored: number;
}

/** One stored run re-planned with its own settings, as `headroom measure compare --json` says it. */
export interface MeasuredRunComparison {
  readonly id: string;
  /** A short name: the measure_gpu.py run id, else `file:line`. */
  readonly name: string;
  readonly format: MeasureFormat;
  readonly engine: MeasureEngine;
  readonly model: string | null;
  readonly deviceId: string | null;
  readonly importedAt: string;
  /** Why the run could not be planned (no device, no model…); null when it was. */
  readonly skipped: string | null;
  /** The plan's accuracy line ("corrected by N runs on this machine …" when corrected). */
  readonly accuracy: string | null;
  readonly categories: readonly CategoryComparison[];
}

/** The stored runs against their plans, and the corrections this machine has. */
export interface MeasuredComparison {
  /** Whether the plans were corrected (Settings.applyCorrections). */
  readonly corrected: boolean;
  readonly corrections: readonly MemoryCorrection[];
  readonly runs: readonly MeasuredRunComparison[];
}

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

export interface HeadroomBridge {
  appInfo(): Promise<AppInfo>;
  listModels(): Promise<readonly ModelSpec[]>;
  listDevices(): Promise<readonly DeviceSpec[]>;
  listFormats(): Promise<readonly FormatSummary[]>;
  plan(request: PlanRequest): Promise<Plan>;
  /**
   * Many plans in one call (the options matrix, the context sweep of the explorer): one
   * envelope per request, in order, so one bad request fails only its own cell.
   */
  planBatch(requests: readonly AnyPlanRequest[]): Promise<readonly Envelope<Plan>[]>;
  planTraining(request: TrainingBridgeRequest): Promise<Plan>;
  /** Detects this machine's devices (cached after the first call while the app runs). */
  detectDevices(): Promise<DetectionReport>;
  /** Re-reads free memory only; static facts stay cached. */
  refreshDevices(): Promise<DetectionReport>;
  /** The saved settings (defaults where there are none, or where the file was unreadable). */
  getSettings(): Promise<Settings>;
  /** Merges a patch into the saved settings, writes them atomically, and answers the result. */
  saveSettings(patch: SettingsPatch): Promise<Settings>;
  /**
   * Reads a model from a file or folder (config.json, safetensors, GGUF; headers only), or a
   * Hugging Face repo id where the Hub is reachable. Plan requests may then name it by the
   * spec's id, as they name catalog models.
   */
  openModelPath(path: string): Promise<ModelSpec>;
  /**
   * A fit report of the plans, built on the Node side (the model file's size, this machine's
   * detection, the time) and rendered in a format, for the page to download.
   */
  exportReport(request: ExportReportRequest): Promise<ExportedReport>;
  /**
   * Desktop only: asks where to save the report (a native dialog) and writes it atomically;
   * null when the user cancels. Browser mode answers NOT_AVAILABLE (it downloads instead).
   */
  saveReport(request: ExportReportRequest): Promise<SavedReport | null>;
  /**
   * The settings that run a plan on an engine (`headroom launch`): an inference request is
   * planned again with the engine's memory profile (vLLM, llama.cpp) as the CLI does.
   */
  launchSettings(request: AnyPlanRequest, engine: LaunchEngine): Promise<LaunchSettings>;
  /** Desktop only: a safetensors file chosen in a native dialog, or null when cancelled. */
  chooseScanPath(): Promise<string | null>;
  /** Starts a whole-file quantization scan in worker threads; poll scanStatus with its id. */
  startScan(request: ScanRequest): Promise<{ readonly scanId: string }>;
  scanStatus(scanId: string): Promise<ScanStatus>;
  /** Stops a running scan (its workers end); answers the scan's status after. */
  cancelScan(scanId: string): Promise<ScanStatus>;
  /** Reads measured-run files and stores their runs (nothing is stored when one file fails). */
  importMeasuredRuns(request: MeasuredImportRequest): Promise<MeasuredImportResult>;
  /** The stored runs re-planned and compared, corrected when Settings.applyCorrections is on. */
  compareMeasuredRuns(): Promise<MeasuredComparison>;
  /** Derives this machine's corrections from the stored runs and stores them. */
  deriveCorrections(): Promise<readonly MemoryCorrection[]>;
  /** A serving plan (headroom.serving/v1) with the user's prices from the settings. */
  servePlan(request: ServingBridgeRequest): Promise<ServingPlan>;
}

/** Method names of the bridge: the only calls a renderer can make. */
export type BridgeMethod = keyof HeadroomBridge;

/**
 * The bridge's method names as a value, for the faces that build a bridge from calls by name
 * (renderer/bridge/unwrap.ts); a type test pins it to BridgeMethod, every name once.
 */
export const BRIDGE_METHODS = [
  'appInfo',
  'listModels',
  'listDevices',
  'listFormats',
  'plan',
  'planBatch',
  'planTraining',
  'detectDevices',
  'refreshDevices',
  'getSettings',
  'saveSettings',
  'openModelPath',
  'exportReport',
  'saveReport',
  'launchSettings',
  'chooseScanPath',
  'startScan',
  'scanStatus',
  'cancelScan',
  'importMeasuredRuns',
  'compareMeasuredRuns',
  'deriveCorrections',
  'servePlan',
] as const satisfies readonly BridgeMethod[];

/**
 * Browser mode's WebSocket for bridge calls, beside `POST /api/<method>`: the same methods and
 * envelopes, one connection for all of them (electron/services/bridge-socket.ts).
 */
export const BRIDGE_SOCKET_PATH = '/api/socket';

/** One call on the bridge socket; its reply carries the same id. */
export interface BridgeSocketCall {
  readonly id: number;
  readonly method: string;
  readonly args: unknown;
}

/** The answer to one call: null id when the message itself could not be read. */
export interface BridgeSocketReply {
  readonly id: number | null;
  readonly envelope: Envelope<unknown>;
}

/** What the desktop's menu asks the page to do (sent from the main process). */
export type AppCommand =
  | { readonly kind: 'open-model-path'; readonly path: string }
  | { readonly kind: 'set-theme'; readonly theme: ThemePreference }
  /** File → Export report…: open the Export panel. */
  | { readonly kind: 'export-report' }
  /** File → Import Measured Run…: the files the user chose, read by the main process. */
  | { readonly kind: 'import-measured-files'; readonly files: readonly MeasuredFileUpload[] };

/**
 * What only the desktop preload offers beside the bridge: the menu's commands, and the path
 * of a file or folder dropped on the window (a browser page cannot know it).
 */
export interface DesktopShell {
  /** Calls `listener` with each menu command; the returned function stops listening. */
  onCommand(listener: (command: AppCommand) => void): () => void;
  /** The filesystem path of a dropped file or folder (a DOM File; Electron's webUtils). */
  pathForFile(file: object): string;
}

/**
 * The bridge as the preload exposes it: each call answers an envelope instead of throwing,
 * because Electron's contextBridge copies only an error's message (a HeadroomError's code
 * would be lost). The renderer unwraps it back into a HeadroomBridge.
 */
export type EnvelopedBridge = {
  readonly [M in BridgeMethod]: (
    ...args: Parameters<HeadroomBridge[M]>
  ) => Promise<Envelope<Awaited<ReturnType<HeadroomBridge[M]>>>>;
};

/** `window.headroom` in the desktop app: the enveloped bridge, and the desktop shell. */
export type PreloadApi = EnvelopedBridge & { readonly desktop: DesktopShell };
