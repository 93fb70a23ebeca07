/**
 * The one interface the renderer uses. Implemented by the Electron preload (IPC) and by
 * browser mode's client (a WebSocket, HTTP until it opens); both carry the same types and the
 * same errors. Types, and the value lists and defaults beside them that the zod schemas
 * (electron/services/bridge-schemas.ts, pinned to these types by
 * tests/unit/electron/bridge-schema-types.test.ts) and the UI read. The requests and answers
 * live in modules by meaning (bridge-requests, -settings, -reports, -scans, -measure, -wire),
 * re-exported here: every face imports the contract from this one module.
 */
import type {
  MeasuredComparison,
  MeasuredImportRequest,
  MeasuredImportResult,
} from './bridge-measure';
import type { ExportedReport, ExportReportRequest, SavedReport } from './bridge-reports';
import type {
  AnyPlanRequest,
  PlanRequest,
  ServingBridgeRequest,
  TrainingBridgeRequest,
} from './bridge-requests';
import type { ScanRequest, ScanStatus } from './bridge-scans';
import type { Settings, SettingsPatch } from './bridge-settings';
import type { DeviceSpec } from './devices/types';
import type { Envelope } from './errors';
import type { EngineId, FormatFamily } from './formats/types';
import type { LaunchEngine, LaunchSettings } from './launch/types';
import type { MemoryCorrection } from './measure/corrections';
import type { ModelSpec } from './models/types';
import type { Plan } from './plan/types';
import type { ServingPlan } from './serving';

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

export * from './bridge-measure';
export * from './bridge-reports';
export * from './bridge-requests';
export * from './bridge-scans';
export * from './bridge-settings';
export * from './bridge-wire';
