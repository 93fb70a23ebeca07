/**
 * Measured runs and corrections kept in the settings folder (browserSettingsDir: $XDG_CONFIG_HOME
 * /headroom, or HEADROOM_CONFIG_DIR): `measurements.json` and `corrections.json`, each written
 * atomically (temp file, then rename). A file that is not ours is an error, never overwritten.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HeadroomError } from '../../core/errors';
import {
  CORRECTIONS_SCHEMA,
  type CorrectionsFile,
  type MemoryCorrection,
} from '../../core/measure/corrections';
import type { MeasuredRun } from '../../core/measure/types';
import { writeFileAtomic } from '../services/atomic-write';
import { browserSettingsDir } from '../services/settings';

const MEASUREMENTS_FILE_NAME = 'measurements.json';
const CORRECTIONS_FILE_NAME = 'corrections.json';
const MEASUREMENTS_SCHEMA = 'headroom.measurements/v1';

/** Stored files hold at most this much: thousands of runs, not a log. */
const MAX_STORE_BYTES = 16 * 1024 * 1024;

/** A run as stored: what was parsed, when, and what the user said it ran on. */
export interface StoredRun extends MeasuredRun {
  /** ISO time of the import. */
  readonly importedAt: string;
  /** Catalog device id (from the log's GPU name, or --device at import). */
  readonly deviceId: string | null;
  /** The model to plan with (a catalog id, a config.json path), when the log's own is not one. */
  readonly modelRef: string | null;
}

interface MeasurementsFile {
  readonly schema: typeof MEASUREMENTS_SCHEMA;
  readonly runs: readonly StoredRun[];
}

/** Where the stored runs and corrections live. */
export function measureDir(env: NodeJS.ProcessEnv = process.env): string {
  return browserSettingsDir(env, homedir());
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HeadroomError('BAD_FILE', `Cannot read ${path}: ${(thrown as Error).message}`);
  }
  if (text.length > MAX_STORE_BYTES) {
    throw new HeadroomError(
      'BAD_FILE',
      `${path} is larger than Headroom ever writes; left as it is.`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HeadroomError(
      'BAD_FILE',
      `${path} is not JSON; left as it is (move it aside to start again).`,
    );
  }
}

function schemaOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)['schema']
    : undefined;
}

/** The stored runs (none before the first import). */
export async function readRuns(dir: string = measureDir()): Promise<StoredRun[]> {
  const path = join(dir, MEASUREMENTS_FILE_NAME);
  const value = await readJson(path);
  if (value === undefined) return [];
  if (schemaOf(value) !== MEASUREMENTS_SCHEMA || !Array.isArray((value as MeasurementsFile).runs)) {
    throw new HeadroomError(
      'BAD_FILE',
      `${path} is not a ${MEASUREMENTS_SCHEMA} file; left as it is.`,
    );
  }
  return [...(value as MeasurementsFile).runs];
}

/** Adds runs to the store; a run with the same id (same file and line) is replaced. */
export async function storeRuns(
  runs: readonly StoredRun[],
  dir: string = measureDir(),
): Promise<StoredRun[]> {
  const ids = new Set(runs.map((run) => run.id));
  const kept = (await readRuns(dir)).filter((run) => !ids.has(run.id));
  const all = [...kept, ...runs];
  await mkdir(dir, { recursive: true });
  const file: MeasurementsFile = { schema: MEASUREMENTS_SCHEMA, runs: all };
  await writeFileAtomic(join(dir, MEASUREMENTS_FILE_NAME), `${JSON.stringify(file, null, 2)}\n`, {
    force: true,
  });
  return all;
}

/** Checks a corrections file's shape: numbers where factors are, a known schema. */
function parseCorrectionsFile(value: unknown, path: string): MemoryCorrection[] {
  const bad = (why: string) => new HeadroomError('BAD_FILE', `${path}: ${why}`);
  if (schemaOf(value) !== CORRECTIONS_SCHEMA) throw bad(`not a ${CORRECTIONS_SCHEMA} file`);
  const list = (value as CorrectionsFile).corrections;
  if (!Array.isArray(list)) throw bad('"corrections" is not a list');
  return list.map((entry: MemoryCorrection, index) => {
    const where = `correction ${index + 1}`;
    if (typeof entry?.deviceId !== 'string' || typeof entry.engine !== 'string') {
      throw bad(`${where} has no deviceId or engine`);
    }
    if (!Number.isInteger(entry.runs) || entry.runs < 1) throw bad(`${where}: runs is not a count`);
    for (const [category, correction] of Object.entries(entry.categories ?? {})) {
      const factor = correction?.factor;
      // A factor far from 1 is not a correction but a different machine or a wrong import.
      if (typeof factor !== 'number' || !(factor > 0.2 && factor < 5)) {
        throw bad(`${where}: the ${category} factor is not a number between 0.2 and 5`);
      }
    }
    return entry;
  });
}

/** The stored corrections (none until derived or imported). */
export async function readCorrections(dir: string = measureDir()): Promise<MemoryCorrection[]> {
  const path = join(dir, CORRECTIONS_FILE_NAME);
  const value = await readJson(path);
  return value === undefined ? [] : parseCorrectionsFile(value, path);
}

/** A corrections file's text (stored, exported and imported alike). */
export function correctionsText(corrections: readonly MemoryCorrection[]): string {
  const file: CorrectionsFile = { schema: CORRECTIONS_SCHEMA, corrections };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Replaces the stored corrections. */
export async function storeCorrections(
  corrections: readonly MemoryCorrection[],
  dir: string = measureDir(),
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, CORRECTIONS_FILE_NAME), correctionsText(corrections), {
    force: true,
  });
}

/** Reads a corrections file someone shared. */
export async function readCorrectionsFile(path: string): Promise<MemoryCorrection[]> {
  const value = await readJson(path);
  if (value === undefined) throw new HeadroomError('FILE_NOT_FOUND', `${path} does not exist.`);
  return parseCorrectionsFile(value, path);
}
