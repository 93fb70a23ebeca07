/**
 * The fit report (issue 7): N plans compared, with the hardware they were made for and the
 * model they are about. Schema `headroom.report/v1`: field names are a contract for scripts; a
 * breaking change bumps the version. Every byte count is a number of bytes; `unit` only says how
 * the human formats (Markdown, HTML, PDF, CSV headers) print them.
 */
import type { DeviceVendor } from '../devices/types';
import type { Plan } from '../plan/types';
import type { ReportMeasured } from './measured-section';
import type { ByteUnit } from '../units/bytes';

export const REPORT_SCHEMA = 'headroom.report/v1';

/** Every format a report is written in; `pdf` is printed from the `html` one on the Node side. */
export const REPORT_FORMATS = ['json', 'csv', 'md', 'html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** The formats core renders to text. */
export type ReportTextFormat = Exclude<ReportFormat, 'pdf'>;

/** How one detection tool fared (the probes of `headroom detect`). */
export interface ReportProbe {
  readonly name: string;
  readonly status: 'ok' | 'missing' | 'timeout' | 'failed' | 'skipped';
  readonly ms: number;
  readonly reason?: string;
}

/** A device as a report lists it: what it offers and where the figures come from. */
export interface ReportDevice {
  readonly id: string;
  readonly name: string;
  readonly vendor: DeviceVendor;
  readonly memoryBytes: number;
  /** Free memory when detected; null for catalog and custom devices. */
  readonly memoryFreeBytes: number | null;
  /** Peak memory bandwidth; null where it is unknown (0 in the device spec). */
  readonly bandwidthBytesPerSecond: number | null;
  /** `catalog: <references>`, `detected by <tool>` or `custom (user-defined)`. */
  readonly source: string;
}

/** What hardware detection found on the machine that made the report. */
export interface ReportDetection {
  readonly gpuVerdict: {
    readonly kind: 'found' | 'none-found' | 'undetermined';
    readonly message: string;
  };
  readonly probes: readonly ReportProbe[];
  readonly devices: readonly ReportDevice[];
  /** ISO 8601 time detection started. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** The recording it was replayed from (`--replay`, HEADROOM_DETECT_REPLAY); null when live. */
  readonly replayedFrom: string | null;
}

export interface ReportHardware {
  /** This machine as detected; null when detection did not run. */
  readonly detection: ReportDetection | null;
  /** Every device the plans run on, each id once, in the order the plans first use them. */
  readonly devices: readonly ReportDevice[];
}

/** Where the model spec came from. */
type ReportModelSource =
  | { readonly kind: 'catalog'; readonly id: string; readonly config: string }
  | { readonly kind: 'params'; readonly note: string }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly format: 'config.json' | 'safetensors' | 'gguf';
      /** Size of the file (all shards) when known. */
      readonly sizeBytes: number | null;
    }
  | { readonly kind: 'hub'; readonly repo: string };

/** The architecture numbers a plan used; null for a bare parameter count. */
export interface ReportArchitecture {
  readonly family: string;
  readonly layers: number;
  readonly hiddenSize: number;
  readonly attentionHeads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly intermediateSize: number;
  readonly vocabSize: number;
  readonly attention: 'mha' | 'gqa' | 'mqa' | 'mla';
  readonly maxContextTokens: number;
  readonly tiedEmbeddings: boolean;
  /** Routed experts and how many each token uses; null for dense models. */
  readonly experts: { readonly routed: number; readonly active: number } | null;
}

export interface ReportModel {
  readonly id: string;
  readonly name: string;
  readonly params: number;
  readonly activeParams: number;
  /** The format the published weights are in. */
  readonly publishedFormat: string;
  readonly source: ReportModelSource;
  readonly architecture: ReportArchitecture | null;
}

/** One option planned with several values (`--compare weights=bf16,q8_0,q4_k_m`). */
export interface ReportComparison {
  /** The option's name as the CLI spells it, without dashes (`weights`, `mode`). */
  readonly option: string;
  readonly values: readonly string[];
}

/** One plan of the report, named for what distinguishes it. */
export interface ReportPlan {
  /** `weights=q4_k_m` in a comparison, `plan` for a single plan. */
  readonly label: string;
  readonly plan: Plan;
}

/** The report document (schema headroom.report/v1). */
export interface FitReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly title: string;
  /** ISO 8601 time the report was made (an input: core reads no clock). */
  readonly generatedAt: string;
  readonly headroomVersion: string;
  /** The unit sizes are printed in by the human formats. */
  readonly unit: ByteUnit;
  readonly model: ReportModel;
  readonly hardware: ReportHardware;
  /** The option compared, or null for a single plan. */
  readonly comparison: ReportComparison | null;
  /** At least one. */
  readonly plans: readonly ReportPlan[];
  /** The user's measured runs against their plans (`report --measured`), when asked for. */
  readonly measured?: ReportMeasured;
}
