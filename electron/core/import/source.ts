/**
 * Opens a spreadsheet file and streams its rows, whatever it is: delimited text in any common encoding
 * (papaparse's parser, fed chunk by chunk) or an XLSX workbook (exceljs's streaming reader). Rows come out as
 * arrays of strings in batches; nothing holds the whole file in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import type * as ExcelJS from 'exceljs';
import { PostroomError } from '../../../shared/errors';
import { createDecoder, detectEncoding, normaliseEncoding } from './encoding';
import { guessNewline, papaparse, sniffDelimiter } from './delimiter';
import { workbookSheets } from './workbook-sheets';
import { columnName, limitedWorkbookReader, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, workbookLimit } from './xlsx-reader';

export interface SourceOptions {
  sheet?: string;
  encoding?: string;
  delimiter?: string;
}

export interface SourceInfo {
  format: 'text' | 'xlsx';
  encoding: string;
  encodingDetected: boolean;
  delimiter: string | null;
  /** Workbook sheets in workbook order (known once reading began; empty for text). */
  sheets: string[];
  sheet: string | null;
  bytes: number;
  fileName: string;
}

/** Where the time went, in milliseconds (for the benchmark and the curious). */
export interface SourceTimings {
  decode: number;
  parse: number;
}

export interface RowSource {
  info: SourceInfo;
  /** The file's records in order, in batches. Each record is one spreadsheet row (empty ones included). */
  batches(): AsyncGenerator<string[][]>;
  bytesRead(): number;
  timings: SourceTimings;
}

const SAMPLE_BYTES = 64 * 1024;
const CHUNK_BYTES = 256 * 1024;
/**
 * Text is decoded, parsed and handed on in pieces of 64 KB of each read (about 700 rows of a usual list): smaller
 * batches than whole reads keep the two threads of an import busier, and a piece's text and cells die young.
 * Reads stay larger than pieces (test/bench/README.md, "Import").
 */
const PARSE_BYTES = 64 * 1024;
/**
 * The first piece is smaller: a preview, and an import's calling thread, only read the head of a file (80 rows),
 * so they parse a couple of hundred rows rather than some 700, and V8 never finds the calling thread's parser hot
 * enough to compile it for nothing.
 */
const FIRST_PIECE_BYTES = 16 * 1024;

function unreadable(file: string, why: string): PostroomError {
  return new PostroomError('FILE_UNREADABLE', `Couldn't read ${path.basename(file)}: ${why}`);
}

function readHead(file: string): { head: Buffer; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw unreadable(file, 'there is no such file. Check the path.');
    if (code === 'EISDIR') throw unreadable(file, 'it is a folder, not a file.');
    if (code === 'EACCES' || code === 'EPERM') throw unreadable(file, "you don't have permission to read it.");
    throw unreadable(file, (err as Error).message);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw unreadable(file, 'it is a folder, not a file.');
    const head = Buffer.alloc(Math.min(SAMPLE_BYTES, st.size));
    const n = head.length ? fs.readSync(fd, head, 0, head.length, 0) : 0;
    return { head: head.subarray(0, n), size: st.size };
  } catch (err) {
    if (err instanceof PostroomError) throw err;
    throw unreadable(file, (err as Error).message);
  } finally {
    fs.closeSync(fd);
  }
}

const startsWith = (head: Buffer, bytes: number[]) => bytes.every((b, i) => head[i] === b);

/** Recognises files that are certainly not spreadsheets we can read, by their first bytes. */
function refuseKnownBinary(file: string, head: Buffer): void {
  const name = path.basename(file);
  const not = (what: string, todo = 'Export the data from the program that made it as CSV or XLSX.') =>
    new PostroomError('IMPORT_FAILED', `${name} is ${what}, not a spreadsheet Postroom can read. ${todo}`);
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) throw not('an old Excel 97–2003 workbook (.xls)', 'Open it in Excel or LibreOffice and save it as .xlsx or CSV.');
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) throw not('a PDF document');
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) throw not('a PNG image');
  if (startsWith(head, [0xff, 0xd8, 0xff])) throw not('a JPEG image');
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) throw not('a GIF image');
  if (startsWith(head, [0x1f, 0x8b])) throw not('a gzip archive', 'Unpack it first.');
  if (startsWith(head, [0x7b, 0x5c, 0x72, 0x74, 0x66])) throw not('an RTF document');
}

/** Characters that no text file contains: controls other than tab/CR/LF, C1 controls but NEL, undecodable bytes. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const GARBAGE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffd]/g;

/** Share of characters that no text file contains (a regular expression: a tenth of a loop's time, cold). */
function garbageShare(text: string): number {
  if (!text.length) return 0;
  return (text.match(GARBAGE)?.length ?? 0) / text.length;
}

/** Opens a file for reading rows. Reads only its first bytes now. */
export async function openSource(file: string, opts: SourceOptions = {}): Promise<RowSource> {
  const { head, size } = readHead(file);
  if (size === 0) throw new PostroomError('IMPORT_FAILED', `${path.basename(file)} is empty: there is nothing to import. Check that you chose the right file.`);
  refuseKnownBinary(file, head);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return openWorkbook(file, size, opts);
  if (opts.sheet) throw new PostroomError('INVALID_INPUT', `${path.basename(file)} is a text file, not a workbook, so it has no sheets: leave out --sheet.`);
  return openText(file, head, size, opts);
}

/**
 * The most text one row may take while it is read (characters): Excel's cells hold 32,767 characters, so a row of a
 * real table is far shorter; an open quote that never closes reaches this after a few thousand rows.
 */
export const MAX_OPEN_RECORD_CHARS = 1024 * 1024;

interface QuoteError {
  type: string;
  code: string;
  row: number;
}

const countLines = (text: string, newline: string) => text.split(newline).length - 1;

const QUOTE_ADVICE = 'Open the file in a text editor, remove that " or add the one that closes the cell, save it and import it again.';

/** A row that grew past MAX_OPEN_RECORD_CHARS: from a quote that never closed, or no line breaks at all. */
function runawayRow(fileName: string, row: number, text: string, newline: string): PostroomError {
  const lines = countLines(text, newline);
  if (text.includes('"') && lines > 0) {
    return new PostroomError(
      'IMPORT_FAILED',
      `${fileName} can't be imported: row ${row.toLocaleString('en')} (as a spreadsheet program numbers rows, the header included) opens a cell with a quote (") that isn't closed in the next ${lines.toLocaleString('en')} lines, so every row after it would be read into that one cell. Nothing was imported. ${QUOTE_ADVICE}`,
    );
  }
  return new PostroomError(
    'IMPORT_FAILED',
    `${fileName} can't be imported: row ${row.toLocaleString('en')} is longer than ${(MAX_OPEN_RECORD_CHARS / 1024 / 1024).toFixed(0)} million characters, far more than a table's row holds. Check that you chose the right file, or export it again as CSV.`,
  );
}

/**
 * After papaparse met quotes it couldn't pair (a stray `"`): fails when a row it reported has a cell that runs over
 * a line break, i.e. rows may have been read into one cell (a spreadsheet program writes a multi-line cell with
 * its quotes paired, so only a broken file gets here). A stray quote within a single row loses nothing: let be.
 */
function checkQuotes(fileName: string, data: string[][], errors: QuoteError[], before: number, newline: string): void {
  for (const e of errors) {
    if (e.type !== 'Quotes' || e.row >= data.length) continue;
    const lines = Math.max(...data[e.row]!.map((cell) => (cell.includes(newline) ? countLines(cell, newline) : 0)));
    if (lines > 0) {
      throw new PostroomError(
        'IMPORT_FAILED',
        `${fileName} can't be imported: row ${(before + e.row + 1).toLocaleString('en')} (as a spreadsheet program numbers rows, the header included) has a cell whose quotes (") don't pair up, and it runs over ${lines.toLocaleString('en')} line${lines === 1 ? '' : 's'}, so the rows after it were read into that one cell. Nothing was imported. ${QUOTE_ADVICE}`,
      );
    }
  }
}

function openText(file: string, head: Buffer, size: number, opts: SourceOptions): RowSource {
  const detected = detectEncoding(head, size > head.length);
  const encoding = opts.encoding ? normaliseEncoding(opts.encoding) : detected.encoding;
  const bomLength = opts.encoding ? (detected.encoding === encoding ? detected.bomLength : 0) : detected.bomLength;
  const sampleDecoder = createDecoder(encoding);
  const sample = sampleDecoder.write(head.subarray(bomLength));
  if (garbageShare(sample) > 0.02) {
    throw new PostroomError(
      'IMPORT_FAILED',
      `${path.basename(file)} doesn't look like a spreadsheet or a text file: it is full of characters no table contains (read as ${encoding}). ` +
        'If it is a spreadsheet, export it from its program as CSV or XLSX; if it is text in another encoding, give it with --encoding.',
    );
  }
  const newline = guessNewline(sample);
  const delimiter = opts.delimiter ?? sniffDelimiter(sample, newline);
  const timings: SourceTimings = { decode: 0, parse: 0 };
  let bytesRead = 0;
  return {
    info: { format: 'text', encoding, encodingDetected: !opts.encoding, delimiter, sheets: [], sheet: null, bytes: size, fileName: path.basename(file) },
    timings,
    bytesRead: () => bytesRead,
    async *batches() {
      const decoder = createDecoder(encoding);
      const parser = new (papaparse().Parser)({ delimiter, newline, quoteChar: '"' });
      const stream = fs.createReadStream(file, { start: bomLength, highWaterMark: CHUNK_BYTES });
      let partial = '';
      // Each piece is parsed up to its last line break, the rest carried to the next: papaparse then rarely meets a
      // row cut in two at the end of its input, a path V8 had not seen when it optimised the parser, and threw the
      // optimised code away for (the parser is then compiled once instead of five times).
      const lastChar = newline[newline.length - 1]!;
      /** Records parsed so far (the next one's 0-based index in the file). */
      let records = 0;
      const parse = (text: string, last: boolean): string[][] => {
        const t0 = performance.now();
        const cut = last ? 0 : text.lastIndexOf(lastChar) + 1;
        const res = parser.parse(cut ? text.slice(0, cut) : text, 0, !last) as { data: string[][]; errors: QuoteError[]; meta: { cursor: number } };
        partial = last ? '' : text.slice(res.meta.cursor);
        timings.parse += performance.now() - t0;
        // An unfinished row that keeps growing is a quote never closed (or no table at all): stop here, before it
        // swallows the rest of the file, and before re-parsing it for every piece makes reading quadratic.
        if (partial.length > MAX_OPEN_RECORD_CHARS) throw runawayRow(path.basename(file), records + res.data.length + 1, partial, newline);
        if (res.errors.length) checkQuotes(path.basename(file), res.data, res.errors, records, newline);
        records += res.data.length;
        return res.data;
      };
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          for (let at = 0; at < chunk.length; ) {
            const piece = chunk.subarray(at, at + (bytesRead === 0 ? FIRST_PIECE_BYTES : PARSE_BYTES));
            at += piece.length;
            bytesRead += piece.length;
            const t0 = performance.now();
            const text = partial + decoder.write(piece);
            timings.decode += performance.now() - t0;
            const rows = parse(text, false);
            if (rows.length) yield rows;
          }
        }
        const rest = partial + decoder.end();
        if (rest.length) {
          const rows = parse(rest, true);
          if (rows.length) yield rows;
        }
      } finally {
        stream.destroy();
      }
    },
  };
}

/** A cell of exceljs as the text a person sees (formulas by their result, dates as ISO dates, links by their text). */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('hyperlink' in v && 'text' in v) {
      const t = (v as { text: unknown }).text;
      return typeof t === 'string' ? t : cellText(t as ExcelJS.CellValue);
    }
    if ('error' in v) return '';
  }
  return String(v);
}

/** Counts the bytes exceljs has read, for progress. */
function counter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });
}

/** A workbook exceljs couldn't read, said in our words (its own, e.g. "Invalid column letter", mean nothing to a person). */
function unreadableWorkbook(fileName: string, err: Error): PostroomError {
  const m = err.message;
  if (/Out of bounds|column letter/i.test(m)) return workbookLimit(fileName, `a cell lies past column XFD, the last of the ${MAX_COLUMNS.toLocaleString('en')} columns a sheet can have`);
  const why = /signature|zip|end of central directory|invalid (stored|block|distance|code)|unexpected end|incorrect header/i.test(m)
    ? 'the ZIP archive inside it is damaged or cut short'
    : 'its parts are damaged or not written as Excel writes them';
  return new PostroomError(
    'IMPORT_FAILED',
    `${fileName} looks like an Excel workbook but Postroom couldn't read it: ${why}. If it opens in Excel or LibreOffice, save it again there as .xlsx, or export it as CSV.`,
  );
}

function openWorkbook(file: string, size: number, opts: SourceOptions): RowSource {
  const timings: SourceTimings = { decode: 0, parse: 0 };
  let bytesRead = 0;
  const known = workbookSheets(file);
  const info: SourceInfo = { format: 'xlsx', encoding: 'xlsx', encodingDetected: true, delimiter: null, sheets: known.map((s) => s.name), sheet: null, bytes: size, fileName: path.basename(file) };
  const target = opts.sheet ? known.find((s) => s.name.toLowerCase() === opts.sheet!.trim().toLowerCase()) : known[0];
  if (opts.sheet && known.length && !target) {
    throw new PostroomError('INVALID_INPUT', `${path.basename(file)} has no sheet called "${opts.sheet}". Its sheets: ${known.map((n) => `"${n.name}"`).join(', ')}.`);
  }
  return {
    info,
    timings,
    bytesRead: () => bytesRead,
    async *batches() {
      const input = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES });
      const counted = input.pipe(counter((n) => (bytesRead += n)));
      // Loaded only for workbooks: exceljs costs some 30 MB of memory in every thread that loads it.
      const excel = (await import('exceljs')) as typeof ExcelJS & { default?: typeof ExcelJS };
      const fileName = path.basename(file);
      const reader = limitedWorkbookReader(excel.default ?? excel, counted, size, fileName, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
      // exceljs reads `model.sheets` when it meets a worksheet; some writers store the worksheets before the
      // workbook part, so give it an empty model to start from (names come from workbookSheets above).
      (reader as unknown as { model?: object }).model ??= { sheets: [] };
      let found = false;
      const seen: string[] = [];
      try {
        for await (const ws of reader) {
          const id = (ws as unknown as { id: number | string }).id;
          const part = `xl/worksheets/sheet${id}.xml`;
          const name = known.find((s) => s.part === part)?.name ?? `Sheet${id}`;
          seen.push(name);
          // The first sheet in the workbook's own order (not necessarily the first stored), or the one named.
          const wanted = target ? target.part === part : opts.sheet ? name.toLowerCase() === opts.sheet.trim().toLowerCase() : true;
          if (!wanted || found) {
            // Sheets are stored one after the other: skip this one to reach the next.
            for await (const _row of ws) void _row;
            continue;
          }
          found = true;
          info.sheet = name;
          let expected = 1;
          let batch: string[][] = [];
          let batchCells = 0;
          const t0 = performance.now();
          let tParse = t0;
          for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
            // A row may leave out its number (`r` is optional): it is then the next one.
            const number = Number.isInteger(row.number) ? row.number : expected;
            if (number > MAX_ROWS) throw workbookLimit(fileName, `it has a row numbered ${number.toLocaleString('en')}, past the ${MAX_ROWS.toLocaleString('en')} rows a sheet can have`);
            const values = row.values as ExcelJS.CellValue[];
            if (values.length - 1 > MAX_COLUMNS) throw workbookLimit(fileName, `row ${number} goes past column XFD, the last of the ${MAX_COLUMNS.toLocaleString('en')} columns a sheet can have`);
            // Rows without cells aren't stored: keep the numbering a spreadsheet user sees.
            while (expected < number) {
              batch.push([]);
              expected++;
              if (batch.length >= 2000) {
                yield batch;
                batch = [];
                batchCells = 0;
              }
            }
            expected = Math.max(expected, number + 1);
            const cells: string[] = new Array(Math.max(0, values.length - 1));
            for (let i = 1; i < values.length; i++) {
              const text = cellText(values[i]);
              if (text.length > MAX_CELL_CHARS) throw workbookLimit(fileName, `cell ${columnName(i)}${number} holds ${text.length.toLocaleString('en')} characters, more than the ${MAX_CELL_CHARS.toLocaleString('en')} a cell can hold`);
              cells[i - 1] = text;
            }
            batch.push(cells);
            batchCells += cells.length;
            // A batch is some 2,000 rows, fewer when they are wide (its cells are held until it is written).
            if (batch.length >= 2000 || batchCells >= 200_000) {
              timings.parse += performance.now() - tParse;
              yield batch;
              tParse = performance.now();
              batch = [];
              batchCells = 0;
            }
          }
          timings.parse += performance.now() - tParse;
          if (batch.length) yield batch;
          break;
        }
      } catch (err) {
        if (err instanceof PostroomError) throw err;
        throw unreadableWorkbook(path.basename(file), err as Error);
      } finally {
        input.destroy();
      }
      if (!found) {
        const names = info.sheets.length ? info.sheets : seen;
        if (opts.sheet) throw new PostroomError('INVALID_INPUT', `${path.basename(file)} has no sheet called "${opts.sheet}". Its sheets: ${names.map((n) => `"${n}"`).join(', ')}.`);
        throw new PostroomError('IMPORT_FAILED', `${path.basename(file)} is a ZIP file without any worksheet: it isn't an Excel workbook. Export the data as CSV or XLSX.`);
      }
    },
  };
}
