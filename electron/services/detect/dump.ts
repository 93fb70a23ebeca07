/**
 * `headroom detect --dump DIR` and `--replay DIR`: every raw tool output under its fixed name
 * plus a manifest, and the way back. Replay runs the same mappers on whatever subset of the
 * files is present, so bug reports and tests see exactly what detection saw.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { HeadroomError } from '../../../core/errors';
import { APP_VERSION } from '../app-version';
import { ALL_PROBES, resultFromCaptures, type Detection } from './detect';
import { probeForCapture } from './interpret';
import { DEFAULT_MAX_OUTPUT_BYTES } from './runner';
import type { DetectResult, ProbeReport, ProbeStatus } from './types';
import { isRecord, parseJsonSafely } from './values';

const MANIFEST_FILE = 'manifest.json';
const DUMP_SCHEMA = 'headroom.detect-dump/v1';

/** A dump of a real machine has ~20 files (8 GPUs × 5 sysfs files + 8 KFD nodes ≈ 60 at most). */
const MAX_REPLAY_FILES = 2_000;
/** Folder depth of the deepest capture: sysfs/class/kfd/kfd/topology/nodes/N/properties. */
const MAX_REPLAY_DEPTH = 10;

interface DumpManifest {
  readonly schema: typeof DUMP_SCHEMA;
  readonly createdAt: string;
  readonly headroomVersion: string;
  /** `process.platform` and `process.arch` of the recorded machine. */
  readonly platform: string;
  readonly arch: string;
  readonly probes: readonly ProbeReport[];
  readonly files: readonly string[];
}

/** A capture name is a relative path of plain segments; anything else is refused. */
function safeRelativePath(file: string): boolean {
  return file
    .split('/')
    .every((segment) => /^[A-Za-z0-9_.+-]+$/.test(segment) && segment !== '..' && segment !== '.');
}

/**
 * Writes each raw output to DIR under its fixed name, and `manifest.json`.
 * @returns the files written, manifest included
 */
export async function writeDump(dir: string, detection: Detection): Promise<string[]> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const files = [...detection.captures.keys()].filter(safeRelativePath).sort();
  for (const file of files) {
    const path = join(root, ...file.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, detection.captures.get(file) ?? '');
  }
  const manifest: DumpManifest = {
    schema: DUMP_SCHEMA,
    createdAt: detection.result.startedAt,
    headroomVersion: APP_VERSION,
    platform: detection.platform,
    arch: process.arch,
    probes: detection.result.probes,
    files,
  };
  await writeFile(join(root, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return [...files, MANIFEST_FILE];
}

async function walk(root: string, dir: string, depth: number, found: string[]): Promise<void> {
  if (depth > MAX_REPLAY_DEPTH || found.length >= MAX_REPLAY_FILES) return;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, path, depth + 1, found);
    else if (entry.isFile() && found.length < MAX_REPLAY_FILES)
      found.push(relative(root, path).split(sep).join('/'));
  }
}

const STATUSES: readonly ProbeStatus[] = ['ok', 'missing', 'timeout', 'failed', 'skipped'];

function recordedReports(manifest: unknown): ProbeReport[] | undefined {
  if (!isRecord(manifest) || !Array.isArray(manifest['probes'])) return undefined;
  return manifest['probes'].filter(isRecord).flatMap((p): ProbeReport[] => {
    const status = STATUSES.find((s) => s === p['status']);
    if (typeof p['name'] !== 'string' || !status) return [];
    const ms = typeof p['ms'] === 'number' ? p['ms'] : 0;
    return [
      {
        name: p['name'],
        status,
        ms,
        ...(typeof p['reason'] === 'string' ? { reason: p['reason'] } : {}),
      },
    ];
  });
}

/**
 * Reads a dump directory back and runs the mappers on it.
 * @throws HeadroomError FILE_NOT_FOUND / BAD_ARGUMENT / BAD_FILE when DIR is not a usable dump
 */
export async function replayDump(dir: string): Promise<DetectResult> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new HeadroomError('FILE_NOT_FOUND', `--replay: ${dir} does not exist.`);
  if (!info.isDirectory())
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `--replay: ${dir} is not a directory (give the folder --dump wrote).`,
    );
  const files: string[] = [];
  await walk(root, root, 0, files);
  const captures = new Map<string, string>();
  for (const file of files.filter((f) => probeForCapture(f) !== undefined)) {
    const path = join(root, ...file.split('/'));
    if ((await stat(path)).size > DEFAULT_MAX_OUTPUT_BYTES) continue;
    captures.set(file, await readFile(path, 'utf8'));
  }
  if (captures.size === 0) {
    throw new HeadroomError(
      'BAD_FILE',
      `--replay: ${dir} holds no recorded tool outputs (nvidia-smi-query.csv, si-mem.json, …).`,
    );
  }
  const manifestText = files.includes(MANIFEST_FILE)
    ? await readFile(join(root, MANIFEST_FILE), 'utf8')
    : undefined;
  const manifest = manifestText === undefined ? undefined : parseJsonSafely(manifestText);
  const platform =
    isRecord(manifest) && typeof manifest['platform'] === 'string'
      ? manifest['platform']
      : 'unknown';
  const present = new Set([...captures.keys()].map((f) => probeForCapture(f)));
  const recorded = recordedReports(manifest);
  const reports =
    recorded?.map((r): ProbeReport =>
      r.status === 'ok' && !present.has(r.name)
        ? {
            name: r.name,
            status: 'skipped',
            ms: r.ms,
            reason: 'its output is not in this directory',
          }
        : r,
    ) ??
    ALL_PROBES.map((p): ProbeReport =>
      present.has(p.name)
        ? { name: p.name, status: 'ok', ms: 0, reason: 'replayed' }
        : { name: p.name, status: 'skipped', ms: 0, reason: 'not in the recording' },
    );
  const startedAt =
    isRecord(manifest) && typeof manifest['createdAt'] === 'string'
      ? manifest['createdAt']
      : new Date(0).toISOString();
  return resultFromCaptures(captures, platform, reports, {
    startedAt,
    durationMs: 0,
    replayedFrom: root,
  });
}
