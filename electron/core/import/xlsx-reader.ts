/**
 * exceljs's streaming workbook reader, held to limits that no real export reaches, so that a hostile or broken
 * workbook fails fast with our words instead of filling memory or a disk:
 * - every part of the ZIP is counted as it inflates, and the whole may inflate to at most INFLATE_RATIO times the
 *   file (at least INFLATE_FLOOR_BYTES): a 1 MB "zip bomb" no longer inflates to gigabytes (exceljs would also
 *   write such a sheet to a temporary file when it comes before the shared strings);
 * - the shared strings it caches are counted and their characters summed.
 * Rows, columns and cells are checked where rows are read (source.ts), with the limits below.
 *
 * Only `parse` is replaced (exceljs's own, with each entry counted); exceljs's part readers do the rest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Transform, type Readable } from 'node:stream';
import type * as ExcelJS from 'exceljs';
import { PostroomError } from '../../../shared/errors';

/** Excel's own limits: a sheet has at most 1,048,576 rows and 16,384 columns (A to XFD), a cell 32,767 characters. */
export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;
export const MAX_CELL_CHARS = 32_767;
/** Real workbooks inflate to 3–30 times their size; repetitive ones rarely past 60. */
export const INFLATE_RATIO = 100;
/** Small files may inflate to this much whatever their size (a few seconds of reading at most). */
export const INFLATE_FLOOR_BYTES = 32 * 1024 * 1024;
/**
 * Shared strings held at most: what the import worker's memory (96 MB) holds with room. Past it the worker would
 * run out of memory after many seconds of collecting garbage (measured: 1.9 million texts of 40 characters, 20 s).
 */
export const MAX_SHARED_STRINGS = 1_000_000;
export const MAX_SHARED_CHARS = 32 * 1024 * 1024;

/** The error for a limit a workbook went past: which one, in a person's words, and what to do. */
export function workbookLimit(fileName: string, what: string): PostroomError {
  return new PostroomError('IMPORT_FAILED', `${fileName} can't be imported: ${what}. No spreadsheet program writes that, so the file is damaged or wasn't made by one. Open it in Excel or LibreOffice and save it again, or export the sheet as CSV.`);
}

/** Excel's column name of a 1-based column number (1 → A, 16384 → XFD). */
export function columnName(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

interface ZipEntry extends Readable {
  path: string;
  autodrain(): void;
}

/** The parts of exceljs's WorkbookReader that `parse` uses (internal to exceljs 4). */
interface ReaderInternals {
  input: Readable;
  sharedStrings?: unknown[];
  workbookRels?: unknown;
  _getStream(input: Readable): Readable;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<unknown>;
  _parseHyperlinks(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<unknown>;
}

type ReaderClass = new (input: Readable, options: object) => ExcelJS.stream.xlsx.WorkbookReader;

/**
 * The longest stretch of an XML part without a `<`: a cell's text at Excel's limit, as UTF-8 with every character
 * escaped as an entity, fits. The XML parser holds a text or a tag whole until it ends, so this bounds its memory.
 */
export const MAX_XML_RUN_BYTES = MAX_CELL_CHARS * 8;

/**
 * Counts inflated bytes across every part of one workbook, and fails past the budget; in XML parts, also fails
 * at a text or tag longer than MAX_XML_RUN_BYTES (memchr over each chunk: no measurable cost).
 */
function inflationGuard(fileName: string, budget: number): (part: string) => Transform {
  let total = 0;
  return (part) => {
    const xml = /\.(xml|rels)$/i.test(part);
    let run = 0;
    return new Transform({
      transform(chunk: Buffer, _enc, done) {
        total += chunk.length;
        if (total > budget) {
          done(workbookLimit(fileName, `its parts unpack to more than ${Math.round(budget / 1024 / 1024)} MB (reached in ${part}), far more than a workbook of its size holds`));
          return;
        }
        if (xml) {
          const first = chunk.indexOf(0x3c);
          run += first < 0 ? chunk.length : first;
          if (run > MAX_XML_RUN_BYTES) {
            done(workbookLimit(fileName, `${part} holds a text or tag longer than ${Math.round(MAX_XML_RUN_BYTES / 1024)} KB, far more than a cell can hold`));
            return;
          }
          if (first >= 0) run = chunk.length - chunk.lastIndexOf(0x3c) - 1;
        }
        done(null, chunk);
      },
    });
  };
}

/** An array that refuses to grow past the shared-strings limits. */
function cappedStrings(fileName: string): unknown[] {
  let chars = 0;
  const list: unknown[] = [];
  const push = (item: unknown): number => {
    chars += typeof item === 'string' ? item.length : JSON.stringify(item ?? '').length;
    if (list.length >= MAX_SHARED_STRINGS) throw workbookLimit(fileName, `it holds more than ${MAX_SHARED_STRINGS.toLocaleString('en')} different texts`);
    if (chars > MAX_SHARED_CHARS) throw workbookLimit(fileName, `its texts add up to more than ${(MAX_SHARED_CHARS / 1024 / 1024).toFixed(0)} million characters`);
    return Array.prototype.push.call(list, item);
  };
  Object.defineProperty(list, 'push', { value: push });
  return list;
}

function finished(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('end', resolve).once('error', reject).resume();
  });
}

/**
 * A WorkbookReader over `input` (the file's bytes) whose parts are counted as they inflate. `excel` is the loaded
 * exceljs module (loaded by the caller only for workbooks).
 */
export function limitedWorkbookReader(excel: typeof ExcelJS, input: Readable, fileSize: number, fileName: string, options: object): ExcelJS.stream.xlsx.WorkbookReader {
  // exceljs's own copies of its helpers and of the unzipper version it was written for.
  const requireFromExcel = createRequire(createRequire(__filename).resolve('exceljs/package.json'));
  const unzip = requireFromExcel('unzipper') as { Parse(opts: object): Transform };
  const iterateStream = requireFromExcel('./lib/utils/iterate-stream') as (s: Readable) => AsyncIterable<unknown>;
  const guard = inflationGuard(fileName, Math.max(INFLATE_FLOOR_BYTES, INFLATE_RATIO * fileSize));
  const Base = excel.stream.xlsx.WorkbookReader as unknown as ReaderClass;

  class LimitedReader extends Base {
    // exceljs 4's WorkbookReader.parse, with every entry read through the inflation guard (and no input/options
    // arguments: the iterator calls it without).
    override async *parse(): AsyncGenerator<unknown> {
      const self = this as unknown as ReaderInternals;
      const zip = unzip.Parse({ forceStream: true });
      self._getStream(self.input).pipe(zip);
      const waiting: Array<{ sheetNo: string; file: string }> = [];
      let tmpDir: string | undefined;
      try {
        for await (const item of iterateStream(zip)) {
          const entry = item as ZipEntry;
          const name = entry.path;
          const body = entry.pipe(guard(name));
          entry.on('error', (e) => body.destroy(e));
          const sheet = /xl\/worksheets\/sheet(\d+)[.]xml/.exec(name);
          const links = /xl\/worksheets\/_rels\/sheet(\d+)[.]xml.rels/.exec(name);
          if (name === 'xl/_rels/workbook.xml.rels') await self._parseRels(body);
          else if (name === 'xl/workbook.xml') await self._parseWorkbook(body);
          else if (name === 'xl/sharedStrings.xml') yield* self._parseSharedStrings(body);
          else if (name === 'xl/styles.xml') await self._parseStyles(body);
          else if (sheet) {
            if (self.sharedStrings && self.workbookRels) yield* self._parseWorksheet(iterateStream(body), sheet[1]!);
            else {
              // Kept until the shared strings have been read (some writers store them after the sheets).
              tmpDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-xlsx-'));
              const file = path.join(tmpDir, `sheet${sheet[1]}.xml`);
              await new Promise<void>((resolve, reject) => {
                body.once('error', reject);
                body.pipe(fs.createWriteStream(file, { mode: 0o600 })).once('finish', resolve).once('error', reject);
              });
              waiting.push({ sheetNo: sheet[1]!, file });
            }
          } else if (links) yield* self._parseHyperlinks(iterateStream(body), links[1]!);
          if (!body.readableEnded) await finished(body);
        }
        for (const { sheetNo, file } of waiting) {
          yield* self._parseWorksheet(iterateStream(fs.createReadStream(file)), sheetNo);
        }
      } finally {
        if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
      }
    }
  }

  const reader = new LimitedReader(input, options);
  let strings: unknown[] | undefined;
  // exceljs assigns `this.sharedStrings = []` when it meets the shared strings: hand it a capped list instead.
  Object.defineProperty(reader, 'sharedStrings', {
    get: () => strings,
    set: (v: unknown[] | undefined) => (strings = v ? cappedStrings(fileName) : v),
  });
  return reader;
}
