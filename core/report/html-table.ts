/**
 * HTML tables of the report and its extra sections: cells escaped unless built as HTML,
 * numeric columns right-aligned. A module of its own so sections and the whole-report renderer
 * share it without importing each other.
 */
import { escapeHtml } from './html-escape';

/** A cell: text escaped, or already-built HTML marked as such. */
export type Cell = string | { readonly html: string };

export function cellHtml(cell: Cell): string {
  return typeof cell === 'string' ? escapeHtml(cell) : cell.html;
}

/** A table; `numeric` columns are right-aligned with tabular figures; `className` styles it. */
export function table(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  numeric: readonly number[] = [],
  className?: 'narrow' | 'per-device',
): string {
  const cls = (index: number): string => (numeric.includes(index) ? ' class="num"' : '');
  const head = header.map((text, index) => `<th${cls(index)}>${escapeHtml(text)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, index) => `<td${cls(index)}>${cellHtml(cell)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table${className ? ` class="${className}"` : ''}>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
