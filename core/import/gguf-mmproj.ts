import { SETTING_NAMES } from '../setting-names';
import { HeadroomError } from '../errors';
import type { MmprojFile } from '../plan/inference-input';
import { GgufLookup } from './gguf-metadata';
import type { GgufHeader } from './gguf-reader';

/**
 * llama.cpp's multimodal projector file (`--mmproj`): a GGUF whose general.architecture is
 * `clip` (tools/mtmd/clip.cpp clip_model_loader reads KEY_PROJ_TYPE "clip.projector_type" and
 * the `v.*` / `mm.*` tensors). What it costs is the bytes of its tensors.
 */
const MMPROJ_ARCHITECTURE = 'clip';

/**
 * The vision projector a GGUF header describes.
 *
 * @param header the validated header (readGgufHeader)
 * @param fileName the file's name as llama-server's --mmproj will take it
 * @returns its tensor bytes and parameter count, and the projector type when stated
 * @throws HeadroomError BAD_FILE when the file is a GGUF but not an mmproj (a language model)
 * @example mmprojFromGguf(header, 'mmproj-gemma-3-27b-it-f16.gguf').projector // 'gemma3'
 */
export function mmprojFromGguf(header: GgufHeader, fileName: string): MmprojFile {
  const g = new GgufLookup(header);
  const architecture = g.string('general.architecture');
  if (architecture !== MMPROJ_ARCHITECTURE) {
    throw new HeadroomError(
      'BAD_FILE',
      `${header.label}: not an mmproj file (general.architecture is "${architecture ?? 'absent'}", an mmproj says "${MMPROJ_ARCHITECTURE}"); set ${SETTING_NAMES.mmproj} to the vision projector GGUF, and the model to the language model.`,
    );
  }
  const projector = g.string('clip.projector_type');
  return {
    fileName,
    weightBytes: header.tensors.reduce((total, tensor) => total + tensor.bytes, 0),
    params: header.tensors.reduce((total, tensor) => total + tensor.elements, 0),
    ...(projector ? { projector } : {}),
  };
}
