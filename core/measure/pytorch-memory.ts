import { lastLine, lineError, logLines, sizeBytes, type LogLine } from './log-lines';
import { MIB, type MeasuredRun } from './types';

/**
 * What a PyTorch training script prints about its GPU memory: the table of
 * `torch.cuda.memory_summary()` and lines that print `torch.cuda.max_memory_reserved()` /
 * `max_memory_allocated()`. The run's total is the peak the caching allocator reserved, summed
 * over the devices (the number that competes for the card); the CUDA context outside the
 * allocator is not in it, and the note says so.
 */

/**
 * The summary's header and its two byte rows, as torch/cuda/memory.py `memory_summary` names
 * them (`metrics_to_display`: allocated_bytes "Allocated memory", reserved_bytes "GPU reserved
 * memory"); the "Peak Usage" column is the second of four.
 */
const SUMMARY_HEADER = /PyTorch CUDA memory summary, device ID\s+(\d+)/;
const SUMMARY_ROWS = {
  'Allocated memory': 'allocated',
  'GPU reserved memory': 'reserved',
} as const;
type SummaryRow = (typeof SUMMARY_ROWS)[keyof typeof SUMMARY_ROWS];

/**
 * A size cell as memory_summary's `_format_size` writes it: an integer floored in 1024 steps with
 * "B", "KiB", "MiB", "GiB" (older releases print "KB", "MB", "GB" for the same 1024 steps, which
 * sizeBytes reads as 1024-based too).
 */
function summaryCellBytes(cell: string): number | null {
  return /^\s*\d+\s*[A-Za-z]+\s*$/.test(cell) ? sizeBytes(cell) : null;
}

/**
 * A `max_memory_reserved` / `max_memory_allocated` line: the name, an optional call `(…)`, a
 * `:` or `=`, then bytes (what the function returns) or a 1024-based size. "GB"/"MB" after a
 * script's own division could be 10^9 or 2^30, so they are refused rather than guessed.
 */
const MAX_LINE = /max_memory_(reserved|allocated)\b(?:\([^)]*\))?\s*[:=]?\s*(.*)$/;

function maxLineBytes(value: string): number | null {
  const bytes = /^([0-9]+)(?:\s*(?:B|bytes))?\s*$/.exec(value);
  if (bytes) return Number(bytes[1]);
  if (/^[0-9.]+\s*(KiB|MiB|GiB|TiB)\s*$/.test(value)) return sizeBytes(value);
  return null;
}

interface DevicePeaks {
  reserved?: number;
  allocated?: number;
}

/**
 * Reads a training script's PyTorch memory printout into one measured run.
 *
 * @throws HeadroomError BAD_FILE naming a summary row or a max_memory line that does not read as
 *   a size, or the last line of a summary cut before its reserved row
 * @example parsePytorchMemory('max_memory_reserved: 24123539456\n', 'train.log').memoryBytes.total // 24123539456
 */
export function parsePytorchMemory(text: string, file: string): MeasuredRun {
  const lines = logLines(text);
  const devices = new Map<number, DevicePeaks>();
  const peaksOf = (device: number): DevicePeaks => {
    const known = devices.get(device);
    if (known) return known;
    const fresh: DevicePeaks = {};
    devices.set(device, fresh);
    return fresh;
  };
  let first: LogLine | undefined;
  let open: { device: number; header: LogLine; seen: Set<SummaryRow> } | undefined;
  let summaries = 0;
  let maxLines = 0;
  const closeSummary = (at: LogLine) => {
    if (open && !open.seen.has('reserved')) {
      throw lineError(file, at, 'a memory_summary table ends before its "GPU reserved memory" row');
    }
    open = undefined;
  };
  for (const line of lines) {
    const header = SUMMARY_HEADER.exec(line.text);
    if (header) {
      if (open) closeSummary(line);
      open = { device: Number(header[1]), header: line, seen: new Set() };
      first ??= line;
      summaries++;
      continue;
    }
    if (open) {
      const cells = line.text.split('|').map((cell) => cell.trim());
      const label = cells[1] as keyof typeof SUMMARY_ROWS | undefined;
      const row = label !== undefined ? SUMMARY_ROWS[label] : undefined;
      if (row) {
        const peak = cells.length >= 6 ? summaryCellBytes(cells[3]!) : null;
        if (peak === null) throw lineError(file, line, `its Peak Usage is not a size`);
        const peaks = peaksOf(open.device);
        peaks[row] = Math.max(peaks[row] ?? 0, peak);
        open.seen.add(row);
        continue;
      }
      // The table closes with a row of "=" once every metric is printed.
      if (/^\|?=+\|?$/.test(line.text.trim()) && open.seen.size > 0) closeSummary(line);
      continue;
    }
    const max = MAX_LINE.exec(line.text);
    if (max) {
      const bytes = maxLineBytes(max[2]!.trim());
      if (bytes === null) {
        throw lineError(
          file,
          line,
          `max_memory_${max[1]} is not bytes or a KiB/MiB/GiB size (print the function's bytes, or divide by 2**30 and say GiB)`,
        );
      }
      const row: SummaryRow = max[1] === 'reserved' ? 'reserved' : 'allocated';
      const peaks = peaksOf(0);
      peaks[row] = Math.max(peaks[row] ?? 0, bytes);
      first ??= line;
      maxLines++;
    }
  }
  if (open) closeSummary(lastLine(lines));
  const reserved = [...devices.values()].map((peaks) => peaks.reserved);
  if (!first || reserved.length === 0 || reserved.some((bytes) => bytes === undefined)) {
    throw lineError(
      file,
      lastLine(lines),
      'no torch.cuda.memory_summary() table and no max_memory_reserved line up to the last line',
    );
  }
  const total = reserved.reduce<number>((sum, bytes) => sum + bytes!, 0);
  const allocated = [...devices.values()].reduce((sum, peaks) => sum + (peaks.allocated ?? 0), 0);
  return {
    id: `${file}#${first.number}`,
    format: 'pytorch-memory',
    engine: 'pytorch-training',
    model: null,
    device: null,
    deviceCount: devices.size,
    settings: { mode: 'training' },
    memoryBytes: { total },
    speed: {},
    source: { file, line: first.number },
    notes: [
      `peak reserved by PyTorch's caching allocator from ${summaries} memory_summary table(s) and ${maxLines} max_memory line(s)${allocated > 0 ? `; peak allocated ${(allocated / MIB).toFixed(0)} MiB` : ''}`,
      "the CUDA context and libraries outside PyTorch's allocator are not in it (nvidia-smi shows more)",
    ],
  };
}
