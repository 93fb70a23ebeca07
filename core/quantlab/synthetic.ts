/**
 * Seeded synthetic tensors (normal, Laplace, Student-t, with k outliers of magnitude m) and
 * pasted numbers: the lab's inputs that need no file. Pure: the same spec gives the same values.
 */
import { HeadroomError } from '../errors';
import { Xoshiro128StarStar } from './prng';

/** The distributions of seeded synthetic tensors. */
export const SYNTHETIC_DISTRIBUTIONS = ['normal', 'laplace', 'student-t'] as const;
export type SyntheticDistribution = (typeof SYNTHETIC_DISTRIBUTIONS)[number];

/**
 * Largest tensor the lab holds in memory at once: 2^24 values (64 MiB as float32; the
 * quantized codes and dequantized copy triple it). Larger tensors are streamed from files.
 */
export const MAX_IN_MEMORY_ELEMENTS = 2 ** 24;

/** k values replaced by ±m at seeded positions: the seed articles' outlier scenario. */
export interface OutlierSpec {
  readonly count: number;
  readonly magnitude: number;
}

export interface SyntheticSpec {
  readonly distribution: SyntheticDistribution;
  readonly count: number;
  readonly seed: number;
  /** σ of the normal, b of the Laplace, the scale of the Student-t; default 1. */
  readonly scale: number;
  /** Student-t degrees of freedom (ν > 0); ignored by the others. Default 3. */
  readonly degreesOfFreedom: number;
  readonly outliers?: OutlierSpec;
}

/** Student-t default ν = 3: heavy tails with a finite variance (ν > 2). */
export const DEFAULT_STUDENT_T_DF = 3;

function normalPair(rng: Xoshiro128StarStar): [number, number] {
  // Box–Muller (1958): two independent N(0, 1) from two uniforms.
  const radius = Math.sqrt(-2 * Math.log(rng.nextOpenFloat()));
  const angle = 2 * Math.PI * rng.nextFloat();
  return [radius * Math.cos(angle), radius * Math.sin(angle)];
}

/**
 * Gamma(shape, 1) by Marsaglia & Tsang, "A Simple Method for Generating Gamma Variables"
 * (ACM TOMS 26(3), 2000): d = shape − 1/3, c = 1/√(9d), accept (d·v) when
 * ln U < x²/2 + d − d·v + d·ln v. For shape < 1: Gamma(shape + 1) · U^(1/shape) (same paper).
 */
function gamma(rng: Xoshiro128StarStar, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * rng.nextOpenFloat() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalPair(rng)[0];
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextOpenFloat();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Draws the spec's values into a new Float32Array (outliers last, at distinct positions). */
export function syntheticTensor(spec: SyntheticSpec): Float32Array {
  return syntheticTensorWithOutliers(spec).values;
}

/**
 * The spec's values and where its outliers went. The positions and signs depend on the seed
 * and k only, so a sweep over the magnitude m moves the same outliers.
 */
export function syntheticTensorWithOutliers(spec: SyntheticSpec): {
  readonly values: Float32Array;
  readonly outlierIndices: readonly number[];
} {
  validateSynthetic(spec);
  const rng = Xoshiro128StarStar.fromSeed(spec.seed);
  const values = new Float32Array(spec.count);
  const { scale } = spec;
  if (spec.distribution === 'normal') {
    for (let i = 0; i < spec.count; i += 2) {
      const [a, b] = normalPair(rng);
      values[i] = a * scale;
      if (i + 1 < spec.count) values[i + 1] = b * scale;
    }
  } else if (spec.distribution === 'laplace') {
    // Inverse CDF: x = −b · sgn(u) · ln(1 − 2|u|), u uniform on (−½, ½).
    for (let i = 0; i < spec.count; i++) {
      const u = rng.nextOpenFloat() - 0.5;
      values[i] = -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
    }
  } else {
    // t = Z / √(V/ν) with V ~ χ²(ν) = 2·Gamma(ν/2).
    const nu = spec.degreesOfFreedom;
    for (let i = 0; i < spec.count; i++) {
      const z = normalPair(rng)[0];
      const chiSquare = 2 * gamma(rng, nu / 2);
      values[i] = (scale * z) / Math.sqrt(chiSquare / nu);
    }
  }
  const outlierIndices = spec.outliers ? plantOutliers(values, spec.outliers, rng) : [];
  return { values, outlierIndices };
}

function plantOutliers(
  values: Float32Array,
  outliers: OutlierSpec,
  rng: Xoshiro128StarStar,
): number[] {
  const chosen = new Set<number>();
  while (chosen.size < outliers.count) {
    const index = rng.nextBelow(values.length);
    if (chosen.has(index)) continue;
    chosen.add(index);
    values[index] = (rng.nextUint32() & 1 ? -1 : 1) * outliers.magnitude;
  }
  return [...chosen];
}

function validateSynthetic(spec: SyntheticSpec): void {
  const bad = (message: string): never => {
    throw new HeadroomError('BAD_ARGUMENT', message);
  };
  if (!Number.isInteger(spec.count) || spec.count < 1 || spec.count > MAX_IN_MEMORY_ELEMENTS) {
    bad(`A synthetic tensor holds 1 to ${MAX_IN_MEMORY_ELEMENTS} values; got ${spec.count}.`);
  }
  if (!Number.isSafeInteger(spec.seed) || spec.seed < 0) bad('The seed is a whole number ≥ 0.');
  if (!(spec.scale > 0 && Number.isFinite(spec.scale))) bad('scale must be a positive number.');
  if (!(spec.degreesOfFreedom > 0 && Number.isFinite(spec.degreesOfFreedom))) {
    bad('df (Student-t degrees of freedom) must be a positive number.');
  }
  const outliers = spec.outliers;
  if (outliers) {
    if (!Number.isInteger(outliers.count) || outliers.count < 0 || outliers.count > spec.count) {
      bad(`--outliers k must be a whole number from 0 to the value count (${spec.count}).`);
    }
    if (!Number.isFinite(outliers.magnitude)) bad('--outliers m must be a finite number.');
  }
}

function parseNumberField(text: string, what: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new HeadroomError('BAD_ARGUMENT', `${what}: "${text}" is not a number.`);
  }
  return value;
}

/**
 * Parses `<distribution>:<count>[:seed=N][:scale=S][:df=ν]`, the CLI's `--synthetic` text.
 * @example parseSyntheticSpec('normal:1e6:seed=1') // { distribution: 'normal', count: 1000000, seed: 1, … }
 */
export function parseSyntheticSpec(text: string, outliers?: OutlierSpec): SyntheticSpec {
  const [name = '', countText = '', ...options] = text.split(':');
  if (!(SYNTHETIC_DISTRIBUTIONS as readonly string[]).includes(name)) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `--synthetic: unknown distribution "${name}"; use ${SYNTHETIC_DISTRIBUTIONS.join(', ')} (e.g. normal:1e6:seed=1).`,
    );
  }
  const spec = {
    distribution: name as SyntheticDistribution,
    count: parseNumberField(countText, '--synthetic count'),
    seed: 0,
    scale: 1,
    degreesOfFreedom: DEFAULT_STUDENT_T_DF,
    ...(outliers ? { outliers } : {}),
  };
  for (const option of options) {
    const [key, value = ''] = option.split('=');
    if (key === 'seed') spec.seed = parseNumberField(value, '--synthetic seed');
    else if (key === 'scale') spec.scale = parseNumberField(value, '--synthetic scale');
    else if (key === 'df') spec.degreesOfFreedom = parseNumberField(value, '--synthetic df');
    else {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `--synthetic: unknown option "${option}"; use seed=N, scale=S or df=ν.`,
      );
    }
  }
  validateSynthetic(spec);
  return spec;
}

/** Parses `k:m` (k outliers of magnitude m), the CLI's `--outliers` text. */
export function parseOutlierSpec(text: string): OutlierSpec {
  const parts = text.split(':');
  if (parts.length !== 2) {
    throw new HeadroomError('BAD_ARGUMENT', '--outliers takes k:m, e.g. 1:54.5.');
  }
  const count = parseNumberField(parts[0]!, '--outliers k');
  const magnitude = parseNumberField(parts[1]!, '--outliers m');
  if (!Number.isInteger(count) || count < 0) {
    throw new HeadroomError('BAD_ARGUMENT', '--outliers k must be a whole number ≥ 0.');
  }
  return { count, magnitude };
}

/**
 * Parses pasted numbers separated by commas, semicolons or white space.
 * @param setting how the face names the field in its messages (the CLI's `--values`, the UI's
 * "Pasted values"): core says what is wrong, the face says where (STYLE.md 13)
 * @example parsePastedValues('1.2, -0.5 -4.3') // Float32Array [1.2, -0.5, -4.3]
 */
export function parsePastedValues(text: string, setting = '--values'): Float32Array {
  const tokens = text.split(/[\s,;]+/).filter((token) => token !== '');
  if (tokens.length === 0) throw new HeadroomError('BAD_ARGUMENT', `${setting}: no numbers given.`);
  if (tokens.length > MAX_IN_MEMORY_ELEMENTS) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${setting}: at most ${MAX_IN_MEMORY_ELEMENTS} numbers.`,
    );
  }
  return Float32Array.from(tokens, (token) => parseNumberField(token, setting));
}

/**
 * Parses `--shape ROWSxCOLS`, the [rows, cols] view of `count` pasted or synthetic values
 * (absent: one row).
 * @example parseShapeText('2x4', 8) // { rows: 2, cols: 4 }
 */
export function parseShapeText(
  text: string | undefined,
  count: number,
): { rows: number; cols: number } {
  if (text === undefined) return { rows: 1, cols: count };
  const match = /^(\d+)\s*[x×,]\s*(\d+)$/.exec(text.trim());
  const rows = Number(match?.[1]);
  const cols = Number(match?.[2]);
  if (!match || rows < 1 || cols < 1)
    throw new HeadroomError('BAD_ARGUMENT', '--shape is ROWSxCOLS, e.g. 4x8.');
  if (rows * cols !== count) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `--shape ${rows}x${cols} holds ${rows * cols} values; the input has ${count}.`,
    );
  }
  return { rows, cols };
}
