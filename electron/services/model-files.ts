/**
 * Reading the model a user points at: a Hugging Face folder (config.json + safetensors), a
 * sharded checkpoint's index, one .safetensors or .gguf file, a bare config.json, a catalog id,
 * or (online) a Hub repo. Only headers are read, through the pure parsers of core/import.
 */
import { opendir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { HeadroomError } from '../../core/errors';
import { parseJsonBytes } from '../../core/import/bounded-json';
import { readGgufHeader } from '../../core/import/gguf-reader';
import { modelFromGguf } from '../../core/import/gguf-model';
import { parseHfConfig } from '../../core/import/hf-config';
import { baseName, type ImportedModel } from '../../core/import/imported-model';
import { readSafetensorsHeader } from '../../core/import/safetensors';
import {
  INDEX_JSON_DEPTH,
  MAX_INDEX_BYTES,
  parseSafetensorsIndex,
  SAFETENSORS_INDEX_NAME,
  type SafetensorsIndex,
} from '../../core/import/safetensors-index';
import {
  modelFromConfig,
  modelFromSafetensors,
  type ConfigInput,
} from '../../core/import/safetensors-model';
import type { SafetensorsHeader } from '../../core/import/safetensors';
import { findModel, modelCatalog } from '../../core/models/catalog';
import { closestModelIds } from '../../core/models/search';
import type { ModelSpec } from '../../core/models/types';
import { importHubModel, isHubRepoId, type HubOptions } from './hub';
import {
  fileError,
  mapLimited,
  parseLocalHeader,
  readSmallFile,
  requireRegularFile,
  type ByteSource,
} from './model-file-source';

/** Real config.json files are a few KB; this bounds what a hostile one can make us read. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** config.json nests a few levels (text_config → rope_scaling); a sanity bound far above that. */
export const CONFIG_JSON_DEPTH = 32;
/** Shard headers read at once. */
const SHARD_CONCURRENCY = 8;
/** Folder entries looked at before giving up: model folders hold tens of files. */
const MAX_FOLDER_ENTRIES = 100_000;

export interface ImportOptions {
  /** Called with each opened weight file, e.g. to count the bytes read. */
  readonly onSource?: (source: ByteSource) => void;
}

interface ResolveOptions extends HubOptions, ImportOptions {
  /** Relative paths resolve against this folder (default: the process's working directory). */
  readonly cwd?: string;
}

/**
 * The model for a `--model` / `inspect` argument: a catalog id, then a path that exists, then
 * (online) a Hugging Face repo id.
 *
 * @param arg "meta-llama/Llama-2-7b-hf", "./models/llama", "model.gguf", "org/new-model" …
 * @param options Hub endpoint/token/offline, cwd, byte counting
 * @returns the ModelSpec the planner takes
 * @throws HeadroomError FILE_NOT_FOUND, BAD_FILE, NOT_AVAILABLE (offline, gated), UNKNOWN_MODEL
 */
export async function resolveModelArgument(
  arg: string,
  options: ResolveOptions = {},
): Promise<ModelSpec> {
  return (await inspectModelArgument(arg, options)).spec;
}

/**
 * Like resolveModelArgument, with everything the headers said (for `headroom inspect`).
 * A catalog model comes back with no files and no weights.
 */
export async function inspectModelArgument(
  arg: string,
  options: ResolveOptions = {},
): Promise<ImportedModel> {
  const trimmed = arg.trim();
  if (trimmed === '')
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'Say which model: a catalog id, a path or a Hugging Face org/name.',
    );
  const catalog = findModel(trimmed);
  if (catalog) return { spec: catalog, files: [], warnings: [] };
  const path = resolve(options.cwd ?? process.cwd(), trimmed);
  if (await pathExists(path)) return importModelPath(path, options);
  if (isHubRepoId(trimmed)) {
    try {
      return await importHubModel(trimmed, options);
    } catch (thrown) {
      throw withCatalogHint(thrown, trimmed);
    }
  }
  if (/[\\/]|\.(gguf|safetensors|json)$/i.test(trimmed)) {
    throw new HeadroomError('FILE_NOT_FOUND', `${trimmed}: no such file or folder`);
  }
  throw withCatalogHint(
    new HeadroomError(
      'UNKNOWN_MODEL',
      `"${trimmed}" is not a catalog model (see headroom models), a file or folder, or a Hugging Face org/name id`,
    ),
    trimmed,
  );
}

/** How to plan a model the catalog lacks without the Hub: its config.json on disk. */
const LOCAL_CONFIG_HINT =
  'For a model not in the catalog, pass its config.json: --model path/to/config.json (or the folder holding it).';

/**
 * An unknown-model or offline error with the closest catalog ids (core/models/search.ts) and
 * how to pass a local config.json appended; other errors pass through unchanged.
 */
function withCatalogHint(thrown: unknown, typed: string): unknown {
  if (
    !(thrown instanceof HeadroomError) ||
    (thrown.code !== 'UNKNOWN_MODEL' && thrown.code !== 'NOT_AVAILABLE')
  ) {
    return thrown;
  }
  const closest = closestModelIds(typed, modelCatalog());
  const suggestion = closest.length > 0 ? ` Did you mean ${closest.join(', ')}?` : '';
  return new HeadroomError(
    thrown.code,
    `${thrown.message.replace(/\.$/, '')}.${suggestion} ${LOCAL_CONFIG_HINT}`,
  );
}

/** True when the path exists (or exists as a broken/looping link, which importing reports). */
async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}

/**
 * Imports a local path: a folder, config.json, model.safetensors.index.json, a .safetensors
 * file or a .gguf file.
 *
 * @throws HeadroomError FILE_NOT_FOUND, BAD_FILE or BAD_ARGUMENT naming the file and the problem
 */
export async function importModelPath(
  path: string,
  options: ImportOptions = {},
): Promise<ImportedModel> {
  let isFolder: boolean;
  try {
    const info = await stat(path);
    isFolder = info.isDirectory();
    // A FIFO, socket or device is refused by its type before its name is looked at (D1).
    if (!isFolder) requireRegularFile(path, info);
  } catch (error) {
    throw fileError(path, error);
  }
  if (isFolder) return importFolder(path, options);
  const name = basename(path).toLowerCase();
  if (name.endsWith('.gguf')) return importGguf(path, options);
  if (name.endsWith('.safetensors.index.json')) {
    return importIndex(path, await siblingConfig(path), options);
  }
  if (name.endsWith('.safetensors')) {
    return importShards(path, [path], await siblingConfig(path), undefined, options);
  }
  if (name.endsWith('.json')) {
    const config = await readConfig(path);
    return modelFromConfig({
      id: path,
      displayName: displayNameFor(path),
      source: fileSource(path, 'config.json'),
      config,
    });
  }
  throw new HeadroomError(
    'BAD_ARGUMENT',
    `${path}: not a model file Headroom reads (a folder, config.json, *.safetensors, ${SAFETENSORS_INDEX_NAME} or *.gguf)`,
  );
}

async function importFolder(folder: string, options: ImportOptions): Promise<ImportedModel> {
  const names = await listFolder(folder);
  const has = (name: string) => names.includes(name);
  const config = has('config.json') ? await readConfig(join(folder, 'config.json')) : undefined;
  if (has(SAFETENSORS_INDEX_NAME))
    return importIndex(join(folder, SAFETENSORS_INDEX_NAME), config, options, folder);
  const shards = names.filter((name) => name.toLowerCase().endsWith('.safetensors')).sort();
  if (shards.length > 0) {
    const model = await importShards(
      folder,
      shards.map((name) => join(folder, name)),
      config,
      undefined,
      options,
    );
    if (shards.length > 1) {
      return {
        ...model,
        warnings: [
          `no ${SAFETENSORS_INDEX_NAME}: read all ${shards.length} .safetensors files as one checkpoint`,
          ...model.warnings,
        ],
      };
    }
    return model;
  }
  const ggufs = names.filter((name) => name.toLowerCase().endsWith('.gguf')).sort();
  if (ggufs.length === 1) return importGguf(join(folder, ggufs[0]!), options);
  if (ggufs.length > 1) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${folder} holds ${ggufs.length} .gguf files (${ggufs.slice(0, 3).join(', ')}…); give the one to read`,
    );
  }
  if (config)
    return modelFromConfig({
      id: folder,
      displayName: baseName(folder),
      source: fileSource(folder, 'config.json'),
      config,
    });
  throw new HeadroomError(
    'FILE_NOT_FOUND',
    `${folder}: no config.json, *.safetensors or *.gguf in this folder`,
  );
}

/** The names in a folder, bounded (a model folder holds tens of files). */
async function listFolder(folder: string): Promise<string[]> {
  const names: string[] = [];
  try {
    const dir = await opendir(folder);
    for await (const entry of dir) {
      names.push(entry.name);
      if (names.length > MAX_FOLDER_ENTRIES) {
        throw new HeadroomError(
          'BAD_ARGUMENT',
          `${folder}: more than ${MAX_FOLDER_ENTRIES} entries; point at the model's own folder`,
        );
      }
    }
  } catch (error) {
    throw fileError(folder, error);
  }
  return names;
}

async function importGguf(path: string, options: ImportOptions): Promise<ImportedModel> {
  const header = await parseLocalHeader(path, readGgufHeader, options.onSource);
  return modelFromGguf(header, path);
}

async function importIndex(
  indexPath: string,
  config: ConfigInput | undefined,
  options: ImportOptions,
  id = indexPath,
): Promise<ImportedModel> {
  const bytes = await readSmallFile(indexPath, MAX_INDEX_BYTES);
  const index = parseSafetensorsIndex(
    parseJsonBytes(bytes, indexPath, {
      maxBytes: MAX_INDEX_BYTES,
      maxDepth: INDEX_JSON_DEPTH,
      allowByteOrderMark: true,
    }),
    indexPath,
  );
  const folder = dirname(indexPath);
  const shardPaths = index.shards.map((name) => join(folder, name));
  return importShards(
    id,
    shardPaths,
    config,
    { path: indexPath, sizeBytes: bytes.length, index },
    options,
  );
}

async function importShards(
  id: string,
  shardPaths: readonly string[],
  config: ConfigInput | undefined,
  index: { path: string; sizeBytes: number; index: SafetensorsIndex } | undefined,
  options: ImportOptions,
): Promise<ImportedModel> {
  const headers = await mapLimited(shardPaths, SHARD_CONCURRENCY, (path) =>
    parseLocalHeader(path, readSafetensorsHeader, options.onSource),
  );
  const shards = shardPaths.map((path, i) => ({ path, header: headers[i] as SafetensorsHeader }));
  return modelFromSafetensors({
    id,
    displayName: displayNameFor(id),
    source: fileSource(id, 'safetensors'),
    shards,
    ...(index ? { index } : {}),
    ...(config ? { config } : {}),
  });
}

/** Reads and parses a config.json. */
export async function readConfig(path: string): Promise<ConfigInput> {
  const bytes = await readSmallFile(path, MAX_CONFIG_BYTES);
  const json = parseJsonBytes(bytes, path, {
    maxBytes: MAX_CONFIG_BYTES,
    maxDepth: CONFIG_JSON_DEPTH,
    allowByteOrderMark: true,
  });
  return { path, sizeBytes: bytes.length, result: parseHfConfig(json, path) };
}

/** The config.json beside a weight file, if there is one. */
async function siblingConfig(path: string): Promise<ConfigInput | undefined> {
  const candidate = join(dirname(path), 'config.json');
  return (await pathExists(candidate)) ? readConfig(candidate) : undefined;
}

function fileSource(path: string, format: 'config.json' | 'safetensors' | 'gguf') {
  return { kind: 'file' as const, path, format };
}

/**
 * "…/Llama-2-7b-hf/model.safetensors" → "Llama-2-7b-hf"; a folder → its name; a file with a
 * name of its own ("mistral-7b.json", a renamed config) → that name without the extension.
 */
function displayNameFor(path: string): string {
  const name = baseName(path);
  const generic =
    /^(config\.json|model(-\d+-of-\d+)?\.safetensors|model\.safetensors\.index\.json)$/i;
  if (generic.test(name)) return baseName(dirname(path));
  return name.replace(/\.(json|safetensors)$/i, '');
}
