import type { MeasuredFileUpload } from '../../core/bridge';

/**
 * Files the user chose or dropped, read as text in the page (both faces: a browser page cannot
 * know a dropped file's path, and the Node side then reads nothing the user did not give).
 */

/** A drop event, for handler signatures in .vue files. */
export type FileDrop = DragEvent;

async function uploads(files: readonly File[]): Promise<MeasuredFileUpload[]> {
  return Promise.all(files.map(async (file) => ({ name: file.name, text: await file.text() })));
}

/** The files of a file input's change event (the input is cleared, so the same file can be chosen again). */
export async function readInputFiles(event: Event): Promise<MeasuredFileUpload[]> {
  const input = event.target as HTMLInputElement;
  const files = [...(input.files ?? [])];
  const read = await uploads(files);
  input.value = '';
  return read;
}

/** The files of a drop. */
export function readDroppedFiles(event: DragEvent): Promise<MeasuredFileUpload[]> {
  return uploads([...(event.dataTransfer?.files ?? [])]);
}
