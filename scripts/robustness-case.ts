/** One command-line row of `npm run robustness`, and what the case lists share. */

export interface CliCase {
  /** What kind of hostility: numbers, ids, paths, headers, report targets, … */
  readonly group: string;
  /** The input as the table shows it (long arguments abbreviated). */
  readonly input: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly expectedExit: 0 | 1 | 2 | 3;
  /** Runs only as root (mknod). */
  readonly needsRoot?: boolean;
}

/** The model and device most rows plan with (the table writes it LLAMA-8B@4090). */
export const LLAMA = ['--model', 'meta-llama/Llama-3.1-8B', '--device', 'nvidia-rtx-4090'];

/** A long argument: `long('x', 10_000)`. */
export const long = (char: string, count: number) => char.repeat(count);
