import { basename } from 'node:path';
import { mmprojFromGguf } from '../../core/import/gguf-mmproj';
import { readGgufHeader } from '../../core/import/gguf-reader';
import type { MmprojFile } from '../../core/plan/inference-input';
import { parseLocalHeader } from './model-file-source';

/**
 * Reads an mmproj GGUF's header (never its tensor data) for `--mmproj <file>`.
 * @throws HeadroomError FILE_NOT_FOUND, BAD_FILE
 */
export async function readMmprojFile(path: string): Promise<MmprojFile> {
  const header = await parseLocalHeader(path, readGgufHeader);
  return mmprojFromGguf(header, basename(path));
}
