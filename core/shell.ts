/**
 * POSIX shell words: commands printed for a person to paste into sh, bash or zsh.
 */

/** Characters that need no quoting in any POSIX shell word (POSIX.1-2017 XCU 2.2). */
const SAFE_WORD = /^[A-Za-z0-9_./:=,@+%^-]+$/;

/**
 * One argument as a shell word: unchanged when it is safe, else in single quotes (inside which
 * nothing is special; a quote itself is closed, escaped and reopened).
 * @example shellQuote('q4_k_m') // "q4_k_m"
 * @example shellQuote("it's") // "'it'\\''s'"
 */
export function shellQuote(word: string): string {
  if (word.length > 0 && SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** One option of a command: a flag and its value, or a flag alone. */
export type ShellOption = readonly [flag: string, value?: string | number];

/**
 * A command over several lines (one option per line, joined with `\` continuations), as engine
 * docs print long commands; `trailing` words (a script and its arguments) come last.
 * @example shellCommand(['vllm', 'serve', 'm'], [['--max-model-len', 8192]])
 * // "vllm serve m \\\n  --max-model-len 8192"
 */
export function shellCommand(
  words: readonly string[],
  options: readonly ShellOption[],
  layout: { readonly separator?: ' ' | '='; readonly trailing?: readonly string[] } = {},
): string {
  const separator = layout.separator ?? ' ';
  const head = words.map(shellQuote).join(' ');
  const lines = options.map(([flag, value]) =>
    value === undefined ? flag : `${flag}${separator}${shellQuote(String(value))}`,
  );
  if (layout.trailing && layout.trailing.length > 0) {
    lines.push(layout.trailing.map(shellQuote).join(' '));
  }
  return [head, ...lines].join(' \\\n  ');
}
