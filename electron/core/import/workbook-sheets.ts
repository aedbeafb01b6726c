/**
 * The sheet names of an XLSX workbook, in the workbook's own order, read from the ZIP's central directory
 * (xl/workbook.xml and its relationships) before any streaming starts. exceljs's streaming reader learns the
 * names only when it meets xl/workbook.xml, which some writers store after the worksheets; this tells us up
 * front which stored worksheet file is the first sheet, or the one `--sheet` names.
 */
import fs from 'node:fs';
import type Zlib from 'node:zlib';
import { onFirstUse } from '../first-use';

// Only for a workbook (a CSV import never inflates anything).
const zlib = onFirstUse<typeof Zlib>('node:zlib');

export interface WorkbookSheet {
  name: string;
  /** The worksheet's part inside the ZIP, e.g. `xl/worksheets/sheet1.xml`. */
  part: string;
}

const MAX_PART_BYTES = 16 * 1024 * 1024;

/** Reads one small entry of a ZIP file by name (stored or deflated); undefined when absent. */
function readEntry(fd: number, size: number, name: string): Buffer | undefined {
  const tailLen = Math.min(size, 65_557);
  const tail = Buffer.alloc(tailLen);
  fs.readSync(fd, tail, 0, tailLen, size - tailLen);
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return undefined;
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  const cd = Buffer.alloc(cdSize);
  fs.readSync(fd, cd, 0, cdSize, cdOffset);
  let p = 0;
  for (let i = 0; i < count && p + 46 <= cd.length; i++) {
    if (cd.readUInt32LE(p) !== 0x02014b50) return undefined;
    const method = cd.readUInt16LE(p + 10);
    const compressed = cd.readUInt32LE(p + 20);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const local = cd.readUInt32LE(p + 42);
    const entryName = cd.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (entryName !== name || compressed > MAX_PART_BYTES) continue;
    const header = Buffer.alloc(30);
    fs.readSync(fd, header, 0, 30, local);
    const dataStart = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const data = Buffer.alloc(compressed);
    fs.readSync(fd, data, 0, compressed, dataStart);
    if (method === 0) return data;
    // A workbook's index parts are a few kilobytes: a bigger one is damaged or made to exhaust memory.
    if (method === 8) return zlib().inflateRawSync(data, { maxOutputLength: MAX_PART_BYTES });
    return undefined;
  }
  return undefined;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[2] ?? m[3]) : undefined;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_m, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
    return String.fromCodePoint(e[1]!.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** The workbook's sheets in order; empty when they can't be read this way (exceljs then falls back on its own). */
export function workbookSheets(file: string): WorkbookSheet[] {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const book = readEntry(fd, size, 'xl/workbook.xml')?.toString('utf8');
    const rels = readEntry(fd, size, 'xl/_rels/workbook.xml.rels')?.toString('utf8');
    if (!book || !rels) return [];
    const targets = new Map<string, string>();
    for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
      const id = attr(m[0], 'Id');
      const target = attr(m[0], 'Target');
      if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
    }
    const sheets: WorkbookSheet[] = [];
    for (const m of book.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
      const name = attr(m[0], 'name');
      const rid = attr(m[0], 'r:id') ?? attr(m[0], '[\\w]+:id');
      const part = rid ? targets.get(rid) : undefined;
      if (name !== undefined && part) sheets.push({ name: unescapeXml(name), part });
    }
    return sheets;
  } catch {
    return [];
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
