/**
 * CSV out, the one writer both sides use (skipped-row reports, campaign reports, the sample list): RFC 4180 quoting, CRLF line ends, and cells that a
 * spreadsheet would run as a formula made inert.
 *
 * OWASP "CSV injection": Excel, LibreOffice and Google Sheets treat a cell starting with `=`, `+`, `-` or `@`
 * as a formula (and tab or carriage return can smuggle one past a trimming import), so such a cell gets a
 * leading apostrophe, which spreadsheets display as plain text. Negative numbers and `+49 …` phone numbers get
 * it too: a visible apostrophe is a small price next to a cell that runs.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One cell, escaped and quoted as needed. */
export function csvCell(value: string | number | null | undefined): string {
  let v = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(v)) v = `'${v}`;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV line, with its CRLF (for streaming writers). */
export function csvLine(cells: Array<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * A whole CSV document. `bom` puts a UTF-8 byte-order mark first, so that Excel opens accented text correctly
 * when the file is written as UTF-8.
 */
export function toCsv(rows: Array<Array<string | number | null | undefined>>, options: { bom?: boolean } = {}): string {
  return (options.bom ? '\ufeff' : '') + rows.map(csvLine).join('');
}
