/**
 * HTTP for the Hub: one GET with a timeout, the token and an optional Range, errors turned into
 * messages a person can act on, bodies read with a byte cap (a server that ignores Range must
 * not make Headroom download a 100 GB file), and a ByteSource over Range requests.
 */
import { HeadroomError } from '../../core/errors';
import type { ByteSource } from './model-file-source';

export interface HubRequestOptions {
  /** e.g. https://huggingface.co, without a trailing slash. */
  readonly endpoint: string;
  /** The repo, for messages. */
  readonly repo: string;
  readonly token?: string;
  readonly timeoutMs: number;
}

/** HTTP statuses with their own message (RFC 9110 §15). */
const HTTP_UNAUTHORIZED = 401;
const HTTP_FORBIDDEN = 403;
const HTTP_NOT_FOUND = 404;
const HTTP_PARTIAL_CONTENT = 206;

/**
 * How long a Hub that could not be reached (no DNS answer, no route, a timeout) is taken as
 * down without asking again (issue 16, D8): an unreachable Hub cost each lookup a DNS wait of
 * several seconds, so while the process runs the next lookups fail at once, with the same
 * message; after this long one is tried again, so a desktop app left open notices the network
 * came back.
 */
const HUB_UNREACHABLE_MEMORY_MS = 5 * 60 * 1000;

/** The last failure to reach each endpoint: when, and the error it gave. */
const unreachableEndpoints = new Map<string, { atMs: number; error: HeadroomError }>();

/** Forgets every remembered failure (tests; a settings change of endpoint needs none). */
export function forgetHubFailures(): void {
  unreachableEndpoints.clear();
}

/** The remembered failure for an endpoint, if it is recent enough to skip the attempt. */
function recentFailure(endpoint: string, nowMs: number): HeadroomError | undefined {
  const failure = unreachableEndpoints.get(endpoint);
  if (failure === undefined) return undefined;
  if (nowMs - failure.atMs < HUB_UNREACHABLE_MEMORY_MS) return failure.error;
  unreachableEndpoints.delete(endpoint);
  return undefined;
}

/**
 * GET a Hub URL.
 *
 * @returns the response (2xx), or undefined for 404
 * @throws HeadroomError NOT_AVAILABLE when the Hub cannot be reached, times out, refuses access
 *   (gated/private: set HF_TOKEN) or answers with another error status
 */
export async function hubFetch(
  url: string,
  request: HubRequestOptions,
  range?: { offset: number; length: number },
): Promise<Response | undefined> {
  const headers: Record<string, string> = {};
  if (request.token) headers['authorization'] = `Bearer ${request.token}`;
  if (range) headers['range'] = `bytes=${range.offset}-${range.offset + range.length - 1}`;
  const remembered = recentFailure(request.endpoint, Date.now());
  if (remembered) throw remembered;
  let response: Response;
  try {
    response = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'follow',
    });
  } catch (error) {
    const failure = unreachable(url, request, error);
    unreachableEndpoints.set(request.endpoint, { atMs: Date.now(), error: failure });
    throw failure;
  }
  if (response.status === HTTP_NOT_FOUND) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.status === HTTP_UNAUTHORIZED || response.status === HTTP_FORBIDDEN) {
    await response.body?.cancel();
    const fix = request.token
      ? 'the token in HF_TOKEN was refused: accept the model license on its Hub page with that account'
      : 'a gated or private model needs HF_TOKEN set to a Hugging Face access token';
    throw new HeadroomError(
      'NOT_AVAILABLE',
      `${request.repo}: the Hub refused access (HTTP ${response.status}); ${fix}`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new HeadroomError(
      'NOT_AVAILABLE',
      `${url}: the Hub answered HTTP ${response.status}; try again later`,
    );
  }
  return response;
}

function unreachable(url: string, request: HubRequestOptions, error: unknown): HeadroomError {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new HeadroomError(
      'NOT_AVAILABLE',
      `${url}: no answer from the Hub within ${request.timeoutMs / 1000} s`,
    );
  }
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  return new HeadroomError(
    'NOT_AVAILABLE',
    `${request.repo} is not in the catalog and the Hub at ${request.endpoint} cannot be reached` +
      `${cause ? ` (${cause})` : ''}: offline? Use a local folder or .gguf file, or a catalog id (headroom models)`,
  );
}

/**
 * Reads at most `maxBytes` of a body. With `truncate`, stops there (and cancels the rest);
 * without, a longer body is an error.
 */
export async function readBodyLimited(
  response: Response,
  maxBytes: number,
  label: string,
  truncate = false,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - total;
      if (value.length > room) {
        if (!truncate)
          throw new HeadroomError(
            'BAD_FILE',
            `${label}: larger than the ${maxBytes} bytes Headroom reads`,
          );
        chunks.push(value.subarray(0, room));
        total += room;
        break;
      }
      chunks.push(value);
      total += value.length;
    }
  } catch (error) {
    if (error instanceof HeadroomError) throw error;
    throw new HeadroomError(
      'NOT_AVAILABLE',
      `${label}: the download broke off (${(error as Error).message})`,
    );
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The total size in a Content-Range header ("bytes 0-65535/4943163992"). */
function totalFromContentRange(value: string | null): number | undefined {
  const total = value?.match(/\/(\d+)\s*$/)?.[1];
  const parsed = total === undefined ? Number.NaN : Number(total);
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

/** A remote file read by HTTP Range requests; the first read is made at open to learn the size. */
export class HubFileSource implements ByteSource {
  bytesRead = 0;

  private constructor(
    readonly label: string,
    readonly sizeBytes: number,
    private readonly request: HubRequestOptions,
    private readonly first: Uint8Array,
  ) {}

  /**
   * Fetches the first `firstBytes` bytes of a file and learns its size.
   * @returns the source, or undefined when the file does not exist (404)
   */
  static async open(
    url: string,
    request: HubRequestOptions,
    firstBytes: number,
  ): Promise<HubFileSource | undefined> {
    const response = await hubFetch(url, request, { offset: 0, length: firstBytes });
    if (!response) return undefined;
    let size: number | undefined;
    if (response.status === HTTP_PARTIAL_CONTENT) {
      size = totalFromContentRange(response.headers.get('content-range'));
    } else {
      const length = Number(response.headers.get('content-length') ?? Number.NaN);
      size = Number.isSafeInteger(length) ? length : undefined;
    }
    const body = await readBodyLimited(response, firstBytes, url, true);
    if (size === undefined) {
      throw new HeadroomError(
        'NOT_AVAILABLE',
        `${url}: the server did not say how large the file is`,
      );
    }
    const source = new HubFileSource(url, size, request, body);
    source.bytesRead = body.length;
    return source;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset + length <= this.first.length) return this.first.subarray(offset, offset + length);
    const wanted = Math.max(0, Math.min(length, this.sizeBytes - offset));
    if (wanted === 0) return new Uint8Array(0);
    const response = await hubFetch(this.label, this.request, { offset, length: wanted });
    if (!response)
      throw new HeadroomError('BAD_FILE', `${this.label}: the file disappeared while it was read`);
    if (response.status !== HTTP_PARTIAL_CONTENT && offset > 0) {
      await response.body?.cancel();
      throw new HeadroomError(
        'NOT_AVAILABLE',
        `${this.label}: the server ignores Range requests; Headroom will not download the whole file`,
      );
    }
    const body = await readBodyLimited(response, wanted, this.label, true);
    this.bytesRead += body.length;
    return body;
  }

  async close(): Promise<void> {}
}
