/**
 * Atomic file writes: the bytes go to a temporary file in the target's own folder (same file
 * system, so the final step is a rename, not a copy), are flushed to disk, and only then take
 * the target's name. A crash, a kill or a failed write at any point leaves the previous file
 * whole; a reader sees the old file or the new one, never half of one (POSIX rename(2): "the
 * replacement is atomic").
 *
 * Only a regular file is ever replaced (issue 16, D2): rename(2) would put a regular file in
 * the place of a device node, a FIFO or a symbolic link just as well, so `--out /dev/null
 * --force` run as root replaced /dev/null. A symbolic link is refused, not followed (README
 * "Reports"): following it would let a link planted in a shared folder aim a write anywhere.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { link, lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { HeadroomError } from '../../core/errors';
import { removeStaleTemps, TEMP_SUFFIX } from './atomic-write-stale';

export { TEMP_SUFFIX };

/** What a write takes: the whole text or bytes, or chunks as a producer makes them. */
type WriteData = string | Uint8Array | AsyncIterable<Uint8Array | string>;

interface AtomicWriteOptions {
  /** Replace an existing file; without it an existing target is an error and stays as it was. */
  readonly force?: boolean;
  /** Permission bits of a new file (before the umask); default 0o644 (rw-r--r--). */
  readonly mode?: number;
}

export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
}

/** `.name.<random>.headroom-tmp` beside `name`: hidden, unique, and recognisably ours. */
export function tempPathFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`,
  );
}

async function* chunksOf(data: WriteData): AsyncIterable<Uint8Array> {
  if (typeof data === 'string') yield Buffer.from(data, 'utf8');
  else if (data instanceof Uint8Array) yield data;
  else for await (const chunk of data) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/** The person-facing error for a failed write, by errno. */
function writeError(target: string, thrown: unknown): HeadroomError {
  if (thrown instanceof HeadroomError) return thrown;
  const error = thrown as NodeJS.ErrnoException;
  switch (error.code) {
    case 'EEXIST':
      return new HeadroomError(
        'FILE_EXISTS',
        `${target} already exists: pass --force to replace it (it is left as it was).`,
      );
    case 'ENOENT':
    case 'ENOTDIR':
      return new HeadroomError(
        'FILE_NOT_FOUND',
        `Cannot write ${target}: its folder does not exist.`,
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new HeadroomError('BAD_FILE', `Cannot write ${target}: permission denied.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new HeadroomError('BAD_FILE', `Cannot write ${target}: the disk is full.`);
    case 'EISDIR':
      return new HeadroomError('BAD_FILE', `Cannot write ${target}: it is a folder.`);
    default:
      return new HeadroomError(
        'BAD_FILE',
        `Cannot write ${target}: ${error.message ?? String(thrown)}`,
      );
  }
}

/** fsync on the folder makes the rename itself durable (POSIX; not possible on Windows). */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // Windows cannot open a folder for fsync, and some file systems refuse it: the data is
    // already flushed, only the name's durability across a power cut is left to the OS.
  } finally {
    await handle?.close();
  }
}

/** What has the target's name, or undefined when the name is free. */
async function existing(target: string): Promise<Stats | undefined> {
  return lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** What a name that is not a regular file holds, in words. */
function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Refuses a target that exists and is not a regular file, with or without force.
 * @throws HeadroomError BAD_FILE naming what is there
 */
async function refuseSpecial(target: string): Promise<void> {
  const info = await existing(target);
  if (info === undefined || info.isFile()) return;
  const fix = info.isSymbolicLink()
    ? 'give the path of the file it points to, or another name'
    : 'give another name';
  throw new HeadroomError(
    'BAD_FILE',
    `Cannot write ${target}: it is ${kindOf(info)}, and Headroom replaces only regular files; ${fix}.`,
  );
}

/** Throws EEXIST when something already has the name (a file, a link, a folder). */
async function refuseExisting(target: string): Promise<void> {
  const exists = await lstat(target).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (exists) throw Object.assign(new Error(`${target} exists`), { code: 'EEXIST' });
}

/**
 * Puts the flushed temporary file in place. Without `force`, link(2) gives it the target's
 * name only if that name is free (it fails with EEXIST otherwise, atomically, no window in
 * which another writer's file could be replaced); file systems without hard links fall back
 * to a check followed by rename.
 */
async function commit(temp: string, target: string, force: boolean): Promise<void> {
  if (force) {
    // Checked again just before the rename, so the window for a swap is the rename's own.
    await refuseSpecial(target);
    await rename(temp, target);
    return;
  }
  try {
    await link(temp, target);
    await unlink(temp);
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') {
      throw thrown;
    }
    await refuseExisting(target);
    await rename(temp, target);
  }
}

/**
 * Whether a write to `path` would be refused, checked before any work (a PDF printed for
 * nothing): what is there is not a regular file, or it exists and `force` is not given.
 *
 * @throws HeadroomError BAD_FILE (not a regular file), FILE_EXISTS (exists, no force)
 */
export async function checkWriteTarget(
  path: string,
  options: { readonly force?: boolean } = {},
): Promise<void> {
  const target = resolve(path);
  try {
    await refuseSpecial(target);
    if (options.force !== true) await refuseExisting(target);
  } catch (thrown) {
    throw writeError(target, thrown);
  }
}

/**
 * Writes `data` to `path` atomically: a temporary file beside it, written, fsynced, then renamed
 * (or linked) into place. On any failure the temporary file is removed and the target is as it
 * was; a process killed mid-write leaves only a `.…headroom-tmp` file beside an intact target.
 *
 * @throws HeadroomError FILE_EXISTS without `force` when the target exists; FILE_NOT_FOUND when
 *   its folder is missing; BAD_FILE when the target is not a regular file (a link, a folder, a
 *   device, a FIFO), for permission, disk-full and other write errors
 * @example await writeFileAtomic('report.html', html, { force: true })
 */
export async function writeFileAtomic(
  path: string,
  data: WriteData,
  options: AtomicWriteOptions = {},
): Promise<WrittenFile> {
  const target = resolve(path);
  const force = options.force === true;
  const temp = tempPathFor(target);
  let bytes = 0;
  // Fail before the work of writing; commit() checks again (and link() guards the race).
  await checkWriteTarget(target, { force });
  await removeStaleTemps(dirname(target));
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o644);
    try {
      for await (const chunk of chunksOf(data)) {
        await handle.write(chunk);
        bytes += chunk.byteLength;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await commit(temp, target, force);
  } catch (thrown) {
    await unlink(temp).catch(() => undefined);
    throw writeError(target, thrown);
  }
  await syncFolder(dirname(target));
  return { path: target, bytes };
}
