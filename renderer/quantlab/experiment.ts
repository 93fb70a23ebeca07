/**
 * The lab's in-memory experiment, cut into steps the page runs one at a time (yielding to the
 * browser between them), so a million values never freeze the UI and progress can be shown.
 * Every number comes from core/quantlab.
 */
import {
  compareMethods,
  errorVsBlockSize,
  errorVsOutlierMagnitude,
  groupLevels,
  histogram,
  quantizeTensor,
  summarize,
  type BlockFamily,
  type BlockSizePoint,
  type Histogram,
  type MethodSummary,
  type OutlierPoint,
  type QuantResult,
  type SyntheticSpec,
  type TensorInput,
} from '../../core/quantlab';
import type { QuantMethodSpec } from '../../core/quantlab/methods';

/** The families of the block-size chart: absmax int8 and int4 over blocks, and NF4. */
export const SWEEP_FAMILIES: readonly { readonly label: string; readonly family: BlockFamily }[] = [
  { label: 'absmax int8', family: { method: 'absmax', bits: 8 } },
  { label: 'absmax int4', family: { method: 'absmax', bits: 4 } },
  { label: 'NF4', family: { method: 'nf4', doubleQuant: false } },
];

/**
 * Outlier magnitudes of the outlier chart: from inside a unit normal's range (|x| ≈ 1–3) to far
 * past LLM.int8()'s threshold of 6 (Dettmers et al. 2022 §3.2), as the seed article's one
 * outlier that stretches the absmax scale.
 */
const OUTLIER_MAGNITUDES: readonly number[] = [2, 4, 8, 16, 32, 64, 128];

/** Most bins of the values histogram (a chart a few hundred pixels wide). */
const MAX_HISTOGRAM_BINS = 80;
/** Fewest bins: even eight values get a readable shape. */
const MIN_HISTOGRAM_BINS = 8;

/**
 * Bins for n values by the square-root choice (√n bins, as Excel and many tools default to;
 * Wikipedia "Histogram", Number of bins and width), kept between 8 and 80.
 */
function histogramBins(n: number): number {
  return Math.min(MAX_HISTOGRAM_BINS, Math.max(MIN_HISTOGRAM_BINS, Math.round(Math.sqrt(n))));
}

/** Most values the page quantizes at once (issue 8 responsiveness: bounded, with progress). */
export const MAX_LAB_VALUES = 1_000_000;

/** Everything the lab shows for one input. */
export interface ExperimentResult {
  /** The detailed method's full result: codes, scales, levels (the seed example's table). */
  readonly primary: QuantResult;
  readonly summaries: readonly MethodSummary[];
  readonly histogram: Histogram;
  /** The levels of the first method's first group (block, row or the tensor). */
  readonly levels: readonly number[];
  readonly blockSweep: readonly { readonly label: string; readonly points: BlockSizePoint[] }[];
  readonly outlierSweep: readonly OutlierPoint[];
}

export interface ExperimentInput {
  readonly tensor: TensorInput;
  readonly specs: readonly QuantMethodSpec[];
  /** The synthetic tensor whose outliers the outlier chart sweeps. */
  readonly outlierBase: SyntheticSpec;
  readonly outlierCount: number;
  /** Which of `specs` the detail view shows (codes, levels, JSON export); 0 when absent. */
  readonly detailIndex?: number;
}

/** A step of work and the share of the whole it stands for. */
interface ExperimentStep {
  readonly label: string;
  run(): void;
}

/**
 * The steps of an experiment and a way to collect their result. Each step does one
 * quantization pass family (at most a few passes over the values).
 */
export function experimentSteps(input: ExperimentInput): {
  readonly steps: readonly ExperimentStep[];
  result(): ExperimentResult;
} {
  const detailIndex = input.detailIndex ?? 0;
  const first = input.specs[detailIndex];
  if (!first) throw new Error('experimentSteps needs the detailed method among its methods');
  const rest = input.specs
    .map((spec, index) => ({ spec, index }))
    .filter(({ index }) => index !== detailIndex);
  let primary: QuantResult | undefined;
  /** By the methods' order, whichever is detailed. */
  const summaries: MethodSummary[] = new Array<MethodSummary>(input.specs.length);
  const blockSweep: { label: string; points: BlockSizePoint[] }[] = [];
  const outlierSweep: OutlierPoint[] = [];
  const steps: ExperimentStep[] = [
    {
      label: 'quantizing',
      run: () => {
        primary = quantizeTensor(input.tensor, first);
        summaries[detailIndex] = summarize(primary);
      },
    },
    ...rest.map(({ spec, index }) => ({
      label: 'comparing methods',
      run: () => void (summaries[index] = compareMethods(input.tensor, [spec])[0]!),
    })),
    ...SWEEP_FAMILIES.map(({ label, family }) => ({
      label: 'sweeping block sizes',
      run: () => void blockSweep.push({ label, points: errorVsBlockSize(input.tensor, family) }),
    })),
    ...OUTLIER_MAGNITUDES.map((magnitude) => ({
      label: 'sweeping outliers',
      run: () =>
        void outlierSweep.push(
          ...errorVsOutlierMagnitude(
            input.outlierBase,
            input.outlierCount,
            [magnitude],
            input.specs,
          ),
        ),
    })),
  ];
  return {
    steps,
    result: () => ({
      primary: primary!,
      summaries,
      histogram: histogram(input.tensor.values, histogramBins(input.tensor.values.length)),
      levels: groupLevels(primary!, 0),
      blockSweep,
      outlierSweep,
    }),
  };
}
