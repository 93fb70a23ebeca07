/**
 * A report section beyond the plans (plan vs measured, a serving plan): captioned tables and
 * notes, rendered by the same table helpers as the plans' sections in Markdown, HTML and CSV.
 */
import { escapeHtml } from './html-escape';
import { csvCell } from './render-csv';
import { table } from './html-table';
import { markdownTable } from './markdown-table';

export interface SectionTable {
  readonly caption: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Indexes of the columns that hold numbers (right-aligned). */
  readonly numeric: readonly number[];
}

export interface ReportSection {
  readonly title: string;
  readonly lines: readonly string[];
  readonly tables: readonly SectionTable[];
}

/** The section as Markdown: `## title`, its lines, then each table under its caption. */
export function sectionMarkdown(section: ReportSection): string {
  return [
    `## ${section.title}`,
    ...section.lines.flatMap((line) => ['', line]),
    ...section.tables.flatMap((entry) => [
      '',
      `### ${entry.caption}`,
      '',
      markdownTable(entry.header, entry.rows, entry.numeric),
    ]),
  ].join('\n');
}

/** The section as an HTML `<section>` (text escaped). */
export function sectionHtml(section: ReportSection): string {
  return [
    `<section><h2>${escapeHtml(section.title)}</h2>`,
    ...section.lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    ...section.tables.flatMap((entry) => [
      `<h3>${escapeHtml(entry.caption)}</h3>`,
      table(entry.header, entry.rows, entry.numeric),
    ]),
    '</section>',
  ].join('\n');
}

/** One table of the section as CSV (RFC 4180, CRLF line ends). */
export function tableCsv(entry: SectionTable): string {
  const line = (cells: readonly string[]): string => cells.map(csvCell).join(',');
  return `${[line(entry.header), ...entry.rows.map(line)].join('\r\n')}\r\n`;
}
