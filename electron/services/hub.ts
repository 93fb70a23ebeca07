/**
 * A Hugging Face Hub repo that is not in the catalog, read over HTTP like a local folder:
 * config.json, then model.safetensors.index.json or model.safetensors, whose headers come by
 * Range requests (never the weights). Endpoint, token and offline mode follow huggingface_hub's
 * environment variables (HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE), so tests point it at a local
 * server and air-gapped machines get a clear message instead of a hang.
 */
import { HeadroomError } from '../../core/errors';
import { parseJsonBytes } from '../../core/import/bounded-json';
import { parseHfConfig } from '../../core/import/hf-config';
import type { ImportedModel } from '../../core/import/imported-model';
import { readSafetensorsHeader, SAFETENSORS_FIRST_READ_BYTES } from '../../core/import/safetensors';
import {
  INDEX_JSON_DEPTH,
  MAX_INDEX_BYTES,
  parseSafetensorsIndex,
  SAFETENSORS_INDEX_NAME,
  SAFETENSORS_SINGLE_NAME,
} from '../../core/import/safetensors-index';
import {
  modelFromConfig,
  modelFromSafetensors,
  type ConfigInput,
} from '../../core/import/safetensors-model';
import { HubFileSource, hubFetch, readBodyLimited, type HubRequestOptions } from './hub-http';
import { mapLimited, runHeaderParser } from './model-file-source';

/** huggingface_hub constants.py: ENDPOINT = os.getenv("HF_ENDPOINT") or "https://huggingface.co". */
const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';
/** Per request; a Hub header read takes well under a second when the Hub is reachable. */
const DEFAULT_TIMEOUT_MS = 20_000;
/** config.json bound, as for local files (electron/services/model-files.ts MAX_CONFIG_BYTES). */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const CONFIG_JSON_DEPTH = 32;
/** Shard headers fetched at once. */
const SHARD_CONCURRENCY = 8;

export interface HubOptions {
  /** Default: HF_ENDPOINT, else https://huggingface.co. */
  readonly endpoint?: string;
  /** Default: HF_TOKEN. Sent as a Bearer token (gated and private repos need it). */
  readonly token?: string;
  /** Default: HF_HUB_OFFLINE set to a true value. Then no request is made at all. */
  readonly offline?: boolean;
  /** Per-request timeout in milliseconds (default 20 s). */
  readonly timeoutMs?: number;
  /** Branch, tag or commit (default main). */
  readonly revision?: string;
}

/**
 * A Hub repo id as huggingface_hub validate_repo_id accepts it: namespace/name, each of
 * letters, digits, `-`, `_`, `.`, at most 96 characters, not starting or ending with `-` or `.`,
 * without `--` or `..`.
 * @example isHubRepoId('Qwen/Qwen3-8B') // true
 */
export function isHubRepoId(text: string): boolean {
  const part = /^(?![-.])[\w.-]{1,96}(?<![-.])$/;
  const pieces = text.split('/');
  return (
    pieces.length === 2 &&
    pieces.every((piece) => part.test(piece)) &&
    !text.includes('--') &&
    !text.includes('..')
  );
}

/** huggingface_hub's truthy spellings of a boolean environment variable. */
function envTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'on', 'yes', 'true'].includes(value.trim().toLowerCase());
}

function requestOptions(repo: string, options: HubOptions): HubRequestOptions {
  const endpoint = (options.endpoint ?? process.env['HF_ENDPOINT'] ?? DEFAULT_HUB_ENDPOINT).replace(
    /\/+$/,
    '',
  );
  const token = options.token ?? process.env['HF_TOKEN'];
  return {
    endpoint,
    repo,
    ...(token ? { token } : {}),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

/**
 * Imports a repo from the Hub (huggingface_hub URL layout {endpoint}/{repo}/resolve/{revision}/{file}).
 *
 * @param repo "org/name"
 * @throws HeadroomError NOT_AVAILABLE (offline, unreachable, gated), UNKNOWN_MODEL (no such repo),
 *   BAD_FILE (a file that does not parse)
 */
export async function importHubModel(
  repo: string,
  options: HubOptions = {},
): Promise<ImportedModel> {
  if (options.offline ?? envTrue(process.env['HF_HUB_OFFLINE'])) {
    throw new HeadroomError(
      'NOT_AVAILABLE',
      `${repo} is not in the catalog and Headroom is offline (HF_HUB_OFFLINE): use a local folder or ` +
        '.gguf file, or a catalog id (headroom models)',
    );
  }
  const request = requestOptions(repo, options);
  const revision = options.revision ?? 'main';
  const url = (file: string) =>
    `${request.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${file}`;
  const source = { kind: 'hub' as const, repo };
  const displayName = repo.split('/')[1] ?? repo;

  const configUrl = url('config.json');
  const configResponse = await hubFetch(configUrl, request);
  if (!configResponse) {
    throw new HeadroomError(
      'UNKNOWN_MODEL',
      `${repo} is not in the catalog, not a local file or folder, and the Hub at ${request.endpoint} has no such repository (or it has no config.json)`,
    );
  }
  const configBytes = await readBodyLimited(configResponse, MAX_CONFIG_BYTES, configUrl);
  const config: ConfigInput = {
    path: configUrl,
    sizeBytes: configBytes.length,
    result: parseHfConfig(
      parseJsonBytes(configBytes, configUrl, {
        maxBytes: MAX_CONFIG_BYTES,
        maxDepth: CONFIG_JSON_DEPTH,
        allowByteOrderMark: true,
      }),
      configUrl,
    ),
  };

  const indexUrl = url(SAFETENSORS_INDEX_NAME);
  const indexResponse = await hubFetch(indexUrl, request);
  let shardUrls: string[];
  let index: Parameters<typeof modelFromSafetensors>[0]['index'];
  if (indexResponse) {
    const bytes = await readBodyLimited(indexResponse, MAX_INDEX_BYTES, indexUrl);
    const parsed = parseSafetensorsIndex(
      parseJsonBytes(bytes, indexUrl, { maxBytes: MAX_INDEX_BYTES, maxDepth: INDEX_JSON_DEPTH }),
      indexUrl,
    );
    index = { path: indexUrl, sizeBytes: bytes.length, index: parsed };
    shardUrls = parsed.shards.map(url);
  } else {
    shardUrls = [url(SAFETENSORS_SINGLE_NAME)];
  }

  const headers = await fetchShardHeaders(shardUrls, request, index !== undefined);
  if (!headers) {
    const model = modelFromConfig({ id: repo, displayName, source, config });
    return {
      ...model,
      warnings: [
        'the repo has no safetensors weights Headroom can read; sizes from config.json',
        ...model.warnings,
      ],
    };
  }
  return modelFromSafetensors({
    id: repo,
    displayName,
    source,
    shards: shardUrls.map((path, i) => ({ path, header: headers[i]! })),
    ...(index ? { index } : {}),
    config,
  });
}

/** Reads every shard's header; undefined when the (single, unindexed) file does not exist. */
async function fetchShardHeaders(
  urls: readonly string[],
  request: HubRequestOptions,
  indexed: boolean,
) {
  const results = await mapLimited(urls, SHARD_CONCURRENCY, (url) =>
    readOneHeader(url, request, indexed),
  );
  if (results.some((header) => header === undefined)) return undefined;
  return results as NonNullable<(typeof results)[number]>[];
}

async function readOneHeader(url: string, request: HubRequestOptions, mustExist: boolean) {
  const source = await HubFileSource.open(url, request, SAFETENSORS_FIRST_READ_BYTES);
  if (!source) {
    if (mustExist)
      throw new HeadroomError(
        'BAD_FILE',
        `${url}: listed in the index but the Hub has no such file`,
      );
    return undefined;
  }
  return runHeaderParser(
    readSafetensorsHeader({ fileSizeBytes: source.sizeBytes, label: url }),
    source,
  );
}
