/**
 * A corpus of hostile and broken spreadsheets, generated on demand (nothing large is committed): each crafted the
 * way the files in issue 11 were, and each paired with the words its error must contain. Used by the core tests
 * (import-hostile.test.ts) and by the command-line test that imports each with a 256 MB heap.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A part of a ZIP: its name, and its content (or, for big ones, the deflated bytes with their size and CRC). */
type Part = { name: string; data: Buffer | string } | { name: string; deflated: Buffer; size: number; crc: number };

/** Writes a ZIP (deflate, no data descriptors) as any spreadsheet program does. */
export function writeZip(file: string, parts: Part[]): void {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    let body: Buffer;
    let size: number;
    let crc: number;
    if ('deflated' in part) ({ deflated: body, size, crc } = part);
    else {
      const raw = Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data);
      body = zlib.deflateRawSync(raw);
      size = raw.length;
      crc = crc32(raw);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(cd, name);
    offset += local.length + name.length + body.length;
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeFileSync(file, Buffer.concat([...locals, ...central, end]));
}

type Deflated = { deflated: Buffer; size: number; crc: number };

/** Deflates head + unit × times + tail as a stream, never holding the whole (parts that inflate to 100 MB and more). */
async function deflateRepeated(head: string, unit: string, times: number, tail: string): Promise<Deflated> {
  const d = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  d.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise((resolve) => d.once('end', resolve));
  const perBlock = Math.max(1, Math.floor((1 << 20) / unit.length));
  const block = Buffer.from(unit.repeat(perBlock));
  let c = 0xffffffff;
  let size = 0;
  const write = async (b: Buffer) => {
    for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
    size += b.length;
    if (!d.write(b)) await new Promise((r) => d.once('drain', r));
  };
  await write(Buffer.from(head));
  for (let left = times; left > 0; left -= perBlock) await write(left >= perBlock ? block : Buffer.from(unit.repeat(left)));
  await write(Buffer.from(tail));
  d.end();
  await ended;
  return { deflated: Buffer.concat(out), size, crc: (c ^ 0xffffffff) >>> 0 };
}

const WORKBOOK = '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>';
const RELS = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';
const HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>anna@example.com</t></is></c></row>';

/** A workbook of one sheet whose sheet XML is given (and optionally its shared strings). */
function workbook(file: string, sheet: string | Deflated, sharedStrings?: string | Deflated): void {
  const parts: Part[] = [
    { name: 'xl/workbook.xml', data: WORKBOOK },
    { name: 'xl/_rels/workbook.xml.rels', data: RELS },
  ];
  if (sharedStrings !== undefined) parts.push(typeof sharedStrings === 'string' ? { name: 'xl/sharedStrings.xml', data: sharedStrings } : { name: 'xl/sharedStrings.xml', ...sharedStrings });
  parts.push(typeof sheet === 'string' ? { name: 'xl/worksheets/sheet1.xml', data: sheet } : { name: 'xl/worksheets/sheet1.xml', ...sheet });
  writeZip(file, parts);
}

export interface HostileFile {
  name: string;
  /** What the file is, for test names. */
  what: string;
  /** Words the IMPORT_FAILED message must contain (it names the problem). */
  expect: RegExp;
  write(file: string): void | Promise<void>;
}

/** A CSV of `rows` customers. */
function customers(rows: number, from = 0): string[] {
  const lines: string[] = [];
  for (let i = from; i < from + rows; i++) lines.push(`person${i}@example.com,Person ${i},Company ${i % 97}`);
  return lines;
}

export const hostileFiles: HostileFile[] = [
  {
    name: 'far-row.xlsx',
    what: 'a 1 KB workbook with one row numbered 30,000,000',
    expect: /row numbered 30,000,000.*1,048,576 rows/,
    write: (f) => workbook(f, `${SHEET_HEAD}${HEADER_ROW}<row r="30000000"><c r="A30000000" t="inlineStr"><is><t>bob@example.com</t></is></c></row>${SHEET_TAIL}`),
  },
  {
    name: 'wide.xlsx',
    what: 'a workbook whose first row has 100,000 columns',
    expect: /column XFD.*16,384 columns/,
    write: (f) => {
      const cells: string[] = [];
      for (let i = 1; i <= 100_000; i++) {
        let col = '';
        for (let x = i; x > 0; x = Math.floor((x - 1) / 26)) col = String.fromCharCode(65 + ((x - 1) % 26)) + col;
        cells.push(`<c r="${col}1"><v>${i}</v></c>`);
      }
      workbook(f, `${SHEET_HEAD}<row r="1">${cells.join('')}</row>${SHEET_TAIL}`);
    },
  },
  {
    name: 'bomb.xlsx',
    what: 'a workbook of some 100 KB whose sheet inflates to 100 MB',
    expect: /unpack to more than \d+ MB/,
    write: async (f) => workbook(f, await deflateRepeated(`${SHEET_HEAD}${HEADER_ROW}<row r="3">`, '<c r="B3"><v>1</v></c>', 5_000_000, `</row>${SHEET_TAIL}`)),
  },
  {
    name: 'long-cell.xlsx',
    what: 'a workbook with a cell of 10 million characters',
    expect: /longer than \d+ KB/,
    write: async (f) => workbook(f, await deflateRepeated(`${SHEET_HEAD}${HEADER_ROW}<row r="3"><c r="B3" t="inlineStr"><is><t>`, 'a', 10_000_000, `</t></is></c></row>${SHEET_TAIL}`)),
  },
  {
    name: 'many-strings.xlsx',
    what: 'a workbook with 1.5 million shared strings',
    expect: /more than 1,000,000 different texts/,
    write: (f) => {
      const strings: string[] = [];
      for (let i = 0; i < 1_500_000; i++) strings.push(`<si><t>${i.toString(36)}</t></si>`);
      workbook(f, `${SHEET_HEAD}${HEADER_ROW}${SHEET_TAIL}`, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.join('')}</sst>`);
    },
  },
  {
    name: 'long-texts.xlsx',
    what: 'a workbook whose shared strings add up to 40 million characters',
    expect: /texts add up to more than 32 million characters/,
    write: (f) => {
      const strings: string[] = [];
      for (let i = 0; i < 400_000; i++) strings.push(`<si><t>${String(i).padStart(100, 'x')}</t></si>`);
      workbook(f, `${SHEET_HEAD}${HEADER_ROW}${SHEET_TAIL}`, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.join('')}</sst>`);
    },
  },
  {
    name: 'truncated.xlsx',
    what: 'a workbook cut off half-way',
    expect: /couldn't read it/,
    write: (f) => {
      const cells: string[] = [];
      for (let i = 1; i <= 20_000; i++) cells.push(`<row r="${i}"><c r="A${i}" t="inlineStr"><is><t>p${i}@example.com</t></is></c></row>`);
      workbook(f, `${SHEET_HEAD}${cells.join('')}${SHEET_TAIL}`);
      const whole = fs.readFileSync(f);
      fs.writeFileSync(f, whole.subarray(0, Math.floor(whole.length / 2)));
    },
  },
  {
    name: 'stray-quote.csv',
    what: 'a CSV of 300,000 rows with a stray quote on its second data row',
    expect: /row 3 .*quote.*isn't closed/,
    write: (f) => {
      const rows = customers(300_000);
      rows[1] = `"${rows[1]}`;
      fs.writeFileSync(f, ['email,name,company', ...rows].join('\n') + '\n');
    },
  },
  {
    name: 'quote-near-end.csv',
    what: 'a CSV whose quote opens ten rows before its end and never closes',
    expect: /row 991 .*quotes.*don't pair up/,
    write: (f) => {
      const rows = customers(1000);
      rows[989] = `"${rows[989]}`;
      fs.writeFileSync(f, ['email,name,company', ...rows].join('\n') + '\n');
    },
  },
  {
    name: 'one-line.csv',
    what: 'a 5 MB text file without a line break',
    expect: /longer than 1 million characters/,
    write: (f) => fs.writeFileSync(f, `email,${'x'.repeat(5 * 1024 * 1024)}`),
  },
];

/** Writes every hostile file into `dir`; returns their paths by name. */
export async function writeHostileFiles(dir: string, only?: string[]): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const h of hostileFiles) {
    if (only && !only.includes(h.name)) continue;
    const file = path.join(dir, h.name);
    await h.write(file);
    paths.set(h.name, file);
  }
  return paths;
}

/** A normal file to import after a hostile one: 500 customers, header first. */
export function writeNormalCsv(dir: string): string {
  const file = path.join(dir, 'normal.csv');
  fs.writeFileSync(file, ['email,name,company', ...customers(500, 1_000_000)].join('\n') + '\n');
  return file;
}
