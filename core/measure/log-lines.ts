import { HeadroomError } from '../errors';
import { GIB, MIB } from './types';

/** Helpers every log parser shares: lines with their numbers, byte sizes, errors that name a line. */

/** At most this many lines are read from one file: engine start-up logs are far shorter. */
const MAX_LOG_LINES = 2_000_000;

export interface LogLine {
  /** 1-based, as an editor counts. */
  readonly number: number;
  readonly text: string;
}

/** The file's lines with their numbers, carriage returns and ANSI colour codes removed. */
export function logLines(text: string): LogLine[] {
  const lines = text.split('\n');
  if (lines.length > MAX_LOG_LINES) {
    throw new HeadroomError(
      'BAD_FILE',
      `the file has ${lines.length} lines; a measured run is read from at most ${MAX_LOG_LINES}`,
    );
  }
  // eslint-disable-next-line no-control-regex
  const ansi = /\u001b\[[0-9;]*m/g;
  return lines.map((line, index) => ({
    number: index + 1,
    text: line.replace(/\r$/, '').replace(ansi, ''),
  }));
}

/** A line that looked like one the parser knows but did not read as it should. */
export function lineError(file: string, line: LogLine, what: string): HeadroomError {
  const shown = line.text.trim().slice(0, 160);
  return new HeadroomError('BAD_FILE', `${file} line ${line.number}: ${what}: "${shown}"`);
}

/** The last non-empty line: where a truncated log stops. */
export function lastLine(lines: readonly LogLine[]): LogLine {
  for (let index = lines.length - 1; index >= 0; index--) {
    if (lines[index]!.text.trim() !== '') return lines[index]!;
  }
  return { number: 1, text: '' };
}

const UNIT_BYTES: Readonly<Record<string, number>> = {
  B: 1,
  KiB: 1024,
  KB: 1024,
  MiB: MIB,
  MB: MIB,
  GiB: GIB,
  GB: GIB,
  TiB: 2 ** 40,
  TB: 2 ** 40,
};

/**
 * "87.3 GiB", "992.0 MiB", "0 B" as bytes. Engines print 1024-based sizes (Ollama's
 * format.HumanBytes2, vLLM's `/ GiB_bytes`, llama.cpp's `/ 1024.0 / 1024.0`); vLLM's older
 * "GB" label divides by 2^30 too (vllm/worker/model_runner.py `float(2**30)`), so GB is read
 * as GiB. Null when the text is not a size.
 */
export function sizeBytes(text: string): number | null {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(B|KiB|KB|MiB|MB|GiB|GB|TiB|TB)\s*$/.exec(text);
  if (!match) return null;
  return Math.round(Number(match[1]) * UNIT_BYTES[match[2]!]!);
}

/**
 * A size a log line states, in bytes (sizeBytes).
 * @throws HeadroomError BAD_FILE naming the line when the text is not a size
 */
export function requireSize(text: string, line: LogLine, file: string): number {
  const bytes = sizeBytes(text);
  if (bytes === null) throw lineError(file, line, `"${text}" is not a size`);
  return bytes;
}

/** A decimal number with optional thousands separators ("65,536", "1.46"); null otherwise. */
export function numberOf(text: string): number | null {
  const cleaned = text.replace(/,/g, '').trim();
  if (!/^[0-9]+(\.[0-9]+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

/**
 * Headroom format ids of the torch dtypes engines print (vLLM `dtype=torch.bfloat16`, SGLang
 * `Using KV cache dtype: torch.float8_e4m3fn`); ROCm's e4m3 variant `float8_e4m3fnuz` holds
 * the same 8 bits per value.
 */
export const TORCH_DTYPE_FORMATS: Readonly<Record<string, string>> = {
  'torch.bfloat16': 'bf16',
  'torch.float16': 'fp16',
  'torch.float32': 'fp32',
  'torch.float8_e4m3fn': 'fp8_e4m3',
  'torch.float8_e4m3fnuz': 'fp8_e4m3',
  'torch.float8_e5m2': 'fp8_e5m2',
};
