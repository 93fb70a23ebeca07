import { dialog, type BrowserWindow } from 'electron';
import type { AppInfo } from '../../core/bridge';
import type { ReportFormat } from '../../core/report/types';

/** Files the importer reads (electron/services/model-files.ts): GGUF, safetensors, config.json. */
const MODEL_FILE_FILTERS = [
  {
    name: 'Model files (GGUF, safetensors, config.json)',
    extensions: ['gguf', 'safetensors', 'json'],
  },
  { name: 'All files', extensions: ['*'] },
];

/**
 * Asks for a model file or a model folder (Windows and Linux dialogs pick one kind at a time,
 * so the menu offers both). Resolves to the chosen path, or null when the user cancels.
 */
export async function chooseModelPath(
  window: BrowserWindow,
  kind: 'file' | 'folder',
): Promise<string | null> {
  const result = await dialog.showOpenDialog(window, {
    title: kind === 'file' ? 'Open a model file' : 'Open a model folder',
    buttonLabel: 'Open',
    properties: kind === 'file' ? ['openFile'] : ['openDirectory'],
    ...(kind === 'file' ? { filters: MODEL_FILE_FILTERS } : {}),
  });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** File → Import Measured Run…: the log or measurement files chosen (none when cancelled). */
export async function chooseMeasuredFiles(window: BrowserWindow): Promise<string[]> {
  const result = await dialog.showOpenDialog(window, {
    title: 'Import measured runs (engine logs, llama-bench, nvidia-smi CSV, measure_gpu.py)',
    buttonLabel: 'Import',
    properties: ['openFile', 'multiSelections'],
  });
  return result.canceled ? [] : result.filePaths;
}

/** Help → About: the version and what the app is for. */
export async function showAbout(window: BrowserWindow, info: AppInfo): Promise<void> {
  await dialog.showMessageBox(window, {
    type: 'info',
    title: `About ${info.name}`,
    message: `${info.name} ${info.version}`,
    detail:
      'Will this model fit on this hardware, for this job, and how to make it fit: GPU memory and speed plans for LLM inference and training.',
    buttons: ['OK'],
  });
}

/** The save dialog's filter for each report format. */
const REPORT_FILTERS: Readonly<Record<ReportFormat, { name: string; extensions: string[] }>> = {
  json: { name: 'JSON report', extensions: ['json'] },
  csv: { name: 'CSV table', extensions: ['csv'] },
  md: { name: 'Markdown report', extensions: ['md'] },
  html: { name: 'HTML report', extensions: ['html'] },
  pdf: { name: 'PDF report', extensions: ['pdf'] },
};

/**
 * File → Export report…: where to save the report (the dialog itself asks before replacing a
 * file). Resolves to the chosen path, or null when the user cancels.
 */
export async function chooseReportPath(
  window: BrowserWindow,
  suggestedName: string,
  format: ReportFormat,
): Promise<string | null> {
  const result = await dialog.showSaveDialog(window, {
    title: 'Export fit report',
    buttonLabel: 'Export',
    defaultPath: suggestedName,
    filters: [REPORT_FILTERS[format]],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  return result.canceled || !result.filePath ? null : result.filePath;
}

/** The quantization lab's scan: a safetensors file (or a sharded checkpoint's index.json). */
export async function chooseScanPath(window: BrowserWindow): Promise<string | null> {
  const result = await dialog.showOpenDialog(window, {
    title: 'Scan a checkpoint',
    buttonLabel: 'Scan',
    properties: ['openFile'],
    filters: [
      { name: 'safetensors (or an index.json)', extensions: ['safetensors', 'json'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
