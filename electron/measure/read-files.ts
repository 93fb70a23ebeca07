import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { MeasuredFileUpload } from '../../core/bridge';
import { HeadroomError } from '../../core/errors';

/** Log files are read whole; an engine's start-up log is far smaller than this (as the CLI's). */
const MAX_MEASURED_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Files the user chose in the desktop's dialog, read as the page would read them (name and
 * text), so the Measurements view imports them through the same bridge call as a drop.
 *
 * @throws HeadroomError naming a file that is not a file or is over 64 MiB
 */
export async function readMeasuredFiles(paths: readonly string[]): Promise<MeasuredFileUpload[]> {
  const files: MeasuredFileUpload[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (!info.isFile()) throw new HeadroomError('BAD_FILE', `${path} is not a file.`);
    if (info.size > MAX_MEASURED_FILE_BYTES) {
      throw new HeadroomError(
        'BAD_FILE',
        `${path} is over 64 MiB: give the engine's start-up log only.`,
      );
    }
    files.push({ name: basename(path), text: await readFile(path, 'utf8') });
  }
  return files;
}
