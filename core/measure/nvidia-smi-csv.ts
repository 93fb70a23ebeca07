import { HeadroomError } from '../errors';
import { lineError, logLines } from './log-lines';
import { MIB, type MeasuredRun } from './types';

/**
 * Samples of `nvidia-smi --query-gpu=…,memory.used --format=csv [-l 1]`: a header naming the
 * fields (`memory.used [MiB]`), then one row per GPU per sample ("2856 MiB"). With
 * `--format=csv,noheader,nounits` every row is bare numbers and memory.used must be the only
 * field. The peak is the highest sample per GPU (an `index`, `pci.bus_id`, `uuid` or `name`
 * column tells GPUs apart); the run's total sums the GPUs' peaks.
 */

const GPU_KEYS = ['index', 'pci.bus_id', 'uuid', 'name'] as const;

/**
 * Reads nvidia-smi CSV samples.
 *
 * @throws HeadroomError BAD_FILE naming a row whose memory.used is not a size in MiB, or a row
 *   with fewer fields than the header (a sample cut off)
 * @example parseNvidiaSmiCsv('memory.used [MiB]\n2856 MiB\n', 'smi.csv').memoryBytes.total // 2856 MiB
 */
export function parseNvidiaSmiCsv(text: string, file: string): MeasuredRun {
  const lines = logLines(text).filter((line) => line.text.trim() !== '');
  if (lines.length === 0) throw new HeadroomError('BAD_FILE', `${file}: empty`);
  const headerLine = lines[0]!;
  const hasHeader = /memory\.used/.test(headerLine.text);
  const header = hasHeader
    ? headerLine.text.split(',').map((field) => field.trim().replace(/\s*\[.*\]$/, ''))
    : ['memory.used'];
  const used = header.indexOf('memory.used');
  if (used < 0) {
    throw lineError(file, headerLine, 'an nvidia-smi CSV header without memory.used');
  }
  const keyColumn = GPU_KEYS.map((key) => header.indexOf(key)).find((index) => index >= 0);
  const nameColumn = header.indexOf('name');
  const peaks = new Map<string, number>();
  let device: string | null = null;
  const rows = hasHeader ? lines.slice(1) : lines;
  if (rows.length === 0) throw lineError(file, headerLine, 'a header without samples');
  for (const line of rows) {
    const fields = line.text.split(',').map((field) => field.trim());
    if (fields.length !== header.length) {
      throw lineError(file, line, `a sample of ${fields.length} fields under ${header.length}`);
    }
    const match = /^([0-9]+(?:\.[0-9]+)?)(?:\s*MiB)?$/.exec(fields[used]!);
    if (!match) throw lineError(file, line, 'memory.used is not a size in MiB');
    const bytes = Number(match[1]) * MIB;
    const key = keyColumn === undefined ? 'gpu' : fields[keyColumn]!;
    peaks.set(key, Math.max(peaks.get(key) ?? 0, bytes));
    if (nameColumn >= 0) device ??= fields[nameColumn]!;
  }
  const total = [...peaks.values()].reduce((sum, bytes) => sum + bytes, 0);
  return {
    id: `${file}#${rows[0]!.number}`,
    format: 'nvidia-smi-csv',
    engine: 'unknown',
    model: null,
    device,
    deviceCount: peaks.size,
    settings: { mode: 'inference' },
    memoryBytes: { total },
    speed: {},
    source: { file, line: rows[0]!.number },
    notes: [
      `peak of ${rows.length} samples${keyColumn === undefined ? ' (no GPU column: all rows read as one GPU)' : ` over ${peaks.size} GPU(s)`}; memory.used counts every process on the GPU`,
    ],
  };
}
