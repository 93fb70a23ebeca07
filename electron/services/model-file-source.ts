/**
 * Byte sources for the pure header parsers of core/import: a local file read by offset, and the
 * driver that feeds a parser's byte requests from any source. Every read is counted, so a
 * caller (the benchmark, the tests) can check that a header parse read no more than it should.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { HeadroomError } from '../../core/errors';
import { checkRequest, type HeaderParser } from '../../core/import/byte-requests';

/**
 * Longest one read of a local file may take: a local disk answers in milliseconds, so a read
 * this slow is a hung network mount or a device that never answers (issue 16, D1). The same
 * deadline as one Hub request (electron/services/hub.ts DEFAULT_TIMEOUT_MS).
 */
const FILE_READ_TIMEOUT_MS = 20_000;

/**
 * O_NONBLOCK makes open(2) return at once on a FIFO with no writer instead of waiting for one
 * (fifo(7)), so a file swapped for a pipe after the type check cannot hang a libuv thread; it
 * changes nothing for regular files. Windows has no such flag (and no FIFOs on paths).
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Random access to the bytes of one file (local or remote). */
export interface ByteSource {
  /** How to name the file in messages (a path or a URL). */
  readonly label: string;
  readonly sizeBytes: number;
  /** Bytes [offset, offset + length), fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Total bytes read so far. */
  readonly bytesRead: number;
  close(): Promise<void>;
}

/**
 * Feeds a header parser from a byte source until it returns.
 *
 * @param parser a core/import header parser created for this source's size and label
 * @param source where the bytes come from
 * @returns what the parser returns
 * @throws HeadroomError from the parser (bad file) or the source (unreadable, changed)
 */
export async function runHeaderParser<T>(parser: HeaderParser<T>, source: ByteSource): Promise<T> {
  let step = parser.next();
  while (!step.done) {
    checkRequest(step.value);
    const bytes = await source.read(step.value.offset, step.value.length);
    step = parser.next(bytes);
  }
  return step.value;
}

/**
 * Turns a Node file-system error into a HeadroomError naming the file and what to do.
 * @param path the file the operation was on
 * @param thrown what fs threw
 */
export function fileError(path: string, thrown: unknown): HeadroomError {
  if (thrown instanceof HeadroomError) return thrown;
  const code = (thrown as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new HeadroomError('FILE_NOT_FOUND', `${path}: no such file or folder`);
    case 'ELOOP':
      return new HeadroomError('BAD_FILE', `${path}: symbolic links loop back on themselves`);
    case 'EACCES':
    case 'EPERM':
      return new HeadroomError('BAD_FILE', `${path}: permission denied`);
    case 'EISDIR':
      return new HeadroomError('BAD_FILE', `${path}: is a folder, expected a file`);
    default: {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      return new HeadroomError('BAD_FILE', `${path}: cannot be read (${message})`);
    }
  }
}

/** What a file that is not a regular file or a folder is, in words; null for those two. */
function specialFileKind(info: Stats): string | null {
  if (info.isFile() || info.isDirectory()) return null;
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Refuses anything but a regular file: a FIFO would block the read forever, a device would
 * stream without end (issue 16, D1).
 * @throws HeadroomError BAD_FILE naming the path and what it is
 */
export function requireRegularFile(path: string, info: Stats): void {
  if (info.isFile()) return;
  if (info.isDirectory())
    throw fileError(path, Object.assign(new Error('dir'), { code: 'EISDIR' }));
  throw new HeadroomError(
    'BAD_FILE',
    `${path}: is ${specialFileKind(info)}, not a regular file; Headroom reads model files only`,
  );
}

/**
 * Settles like `work`, or rejects with `onTimeout()` after `timeoutMs`: a read the OS never
 * answers (a hung mount) must not hang the command or a browser-mode request with it.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A local file opened for reading by offset. */
class LocalFileSource implements ByteSource {
  bytesRead = 0;
  /** Set when a read missed its deadline: the OS still holds that read, so close must not wait. */
  private stuck = false;

  constructor(
    readonly label: string,
    readonly sizeBytes: number,
    private readonly handle: FileHandle,
    private readonly readTimeoutMs: number,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const wanted = Math.max(0, Math.min(length, this.sizeBytes - offset));
    const buffer = new Uint8Array(wanted);
    let filled = 0;
    try {
      while (filled < wanted) {
        const { bytesRead } = await withDeadline(
          this.handle.read(buffer, filled, wanted - filled, offset + filled),
          this.readTimeoutMs,
          () => {
            this.stuck = true;
            return new HeadroomError(
              'BAD_FILE',
              `${this.label}: no data within ${this.readTimeoutMs / 1000} s; is it on a network mount that stopped answering?`,
            );
          },
        );
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
    } catch (error) {
      throw fileError(this.label, error);
    }
    this.bytesRead += filled;
    if (filled < wanted) {
      throw new HeadroomError(
        'BAD_FILE',
        `${this.label}: the file changed while it was read (got ${offset + filled} of ` +
          `${this.sizeBytes} bytes): it shrank or was replaced; try again once it is complete`,
      );
    }
    return buffer;
  }

  async close(): Promise<void> {
    // FileHandle.close waits for pending reads; after a missed deadline it closes in the background.
    if (this.stuck) void this.handle.close().catch(() => undefined);
    else await this.handle.close();
  }
}

interface OpenLocalFileOptions {
  /** Deadline of each read (default FILE_READ_TIMEOUT_MS). */
  readonly readTimeoutMs?: number;
}

/**
 * Opens a local file for header reads: its type is checked before it is opened (stat follows
 * links, so the Hugging Face cache's symlinked blobs are read), and again on the open handle,
 * which must be the same file.
 *
 * @param path the file
 * @throws HeadroomError FILE_NOT_FOUND / BAD_FILE naming the file (FIFOs, sockets, devices and
 *   folders are refused before anything is opened)
 */
export async function openLocalFile(
  path: string,
  options: OpenLocalFileOptions = {},
): Promise<ByteSource> {
  let handle: FileHandle;
  let before: Stats;
  try {
    before = await stat(path);
    requireRegularFile(path, before);
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw fileError(path, error);
  }
  try {
    const info = await handle.stat();
    requireRegularFile(path, info);
    if (info.ino !== before.ino || info.dev !== before.dev) {
      throw new HeadroomError(
        'BAD_FILE',
        `${path}: the file was replaced while it was opened; try again`,
      );
    }
    return new LocalFileSource(
      path,
      info.size,
      handle,
      options.readTimeoutMs ?? FILE_READ_TIMEOUT_MS,
    );
  } catch (error) {
    await handle.close();
    throw fileError(path, error);
  }
}

/**
 * Opens a file, runs a header parser over it and closes it.
 *
 * @param path the file
 * @param makeParser builds the parser for the file's size and label
 * @param onSource called with the open source (to count bytes read), optional
 */
export async function parseLocalHeader<T>(
  path: string,
  makeParser: (source: { fileSizeBytes: number; label: string }) => HeaderParser<T>,
  onSource?: (source: ByteSource) => void,
): Promise<T> {
  const source = await openLocalFile(path);
  onSource?.(source);
  try {
    return await runHeaderParser(
      makeParser({ fileSizeBytes: source.sizeBytes, label: path }),
      source,
    );
  } finally {
    await source.close();
  }
}

/**
 * Reads a small whole file (config.json, an index) with a size bound checked before reading.
 * @throws HeadroomError BAD_FILE when it is larger than maxBytes
 */
export async function readSmallFile(path: string, maxBytes: number): Promise<Uint8Array> {
  const source = await openLocalFile(path);
  try {
    if (source.sizeBytes > maxBytes) {
      throw new HeadroomError(
        'BAD_FILE',
        `${path}: ${source.sizeBytes} bytes is more than the ${maxBytes} bytes such a file may have`,
      );
    }
    return await source.read(0, source.sizeBytes);
  } finally {
    await source.close();
  }
}

/** Promise.all with at most `limit` calls running at once; results in input order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
