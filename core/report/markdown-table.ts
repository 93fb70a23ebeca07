/**
 * GitHub-flavoured Markdown tables of the report and its extra sections. A module of its own so
 * sections and the whole-report renderer share it without importing each other.
 */

/**
 * One table cell: pipes escaped (GFM tables spec, "include a pipe in a cell's content by
 * escaping it"), line breaks folded to spaces, backslashes kept literal.
 */
export function markdownCell(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll('|', '\\|')
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * A GFM table: header row, delimiter row (`---:` right-aligns numeric columns), body rows.
 * @param numeric indexes of the columns to right-align
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  const delimiter = header.map((_, index) => (numeric.includes(index) ? '---:' : '---'));
  return [line(header), `| ${delimiter.join(' | ')} |`, ...rows.map(line)].join('\n');
}
