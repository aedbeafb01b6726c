/**
 * Which text encoding a file is in, and a streaming decoder for it.
 *
 * In order: a byte-order mark (UTF-8, UTF-16 LE/BE: Excel's "CSV UTF-8" and "Unicode text"); UTF-16 without a
 * BOM (every other byte zero); valid UTF-8; otherwise a legacy single-byte encoding. For those chardet's guess is
 * used, except inside the Latin-1 family, where the bytes decide: 0x80–0x9F are printable only in Windows-1252
 * (€ ‚ „ … ‘ ’ “ ” – —), and without them 0xA4 is far likelier "€" (ISO-8859-15) than "¤" (ISO-8859-1).
 */
import { createRequire } from 'node:module';
import type Chardet from 'chardet';
import type IconvLite from 'iconv-lite';
import { PostroomError } from '../../../shared/errors';

// chardet and iconv-lite are loaded on first use: most files are UTF-8 or UTF-16 and need neither, and loading
// them cost the import worker's start-up time, with the writing thread waiting on it.
const load = createRequire(__filename);
let chardetLib: typeof Chardet | undefined;
let iconvLib: typeof IconvLite | undefined;
const chardet = (): typeof Chardet => (chardetLib ??= load('chardet') as typeof Chardet);
const iconv = (): typeof IconvLite => (iconvLib ??= load('iconv-lite') as typeof IconvLite);
/** Decoded by Node's own TextDecoder, without iconv-lite. */
const NATIVE = new Set(['utf-8', 'utf-16le']);

export interface DetectedEncoding {
  /** The name reported to the user and accepted by `--encoding`: utf-8, utf-16le, utf-16be, windows-1252, … */
  encoding: string;
  /** Bytes of byte-order mark at the start of the file, to skip. */
  bomLength: number;
}

// ISO-8859-9 (Turkish) differs from Latin-1 in six letters only; chardet offers it for plain Western text too.
const LATIN = new Set(['iso-8859-1', 'iso-8859-15', 'windows-1252', 'iso-8859-9']);

/** Normalises an encoding name a person typed (`latin1`, `cp1252`, `UTF8`, `utf-16`) or throws a readable error. */
export function normaliseEncoding(name: string): string {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  const aliases: Record<string, string> = {
    utf8: 'utf-8',
    'utf-8-sig': 'utf-8',
    utf16: 'utf-16le',
    'utf-16': 'utf-16le',
    utf16le: 'utf-16le',
    ucs2: 'utf-16le',
    'ucs-2': 'utf-16le',
    utf16be: 'utf-16be',
    latin1: 'iso-8859-1',
    'latin-1': 'iso-8859-1',
    'iso8859-1': 'iso-8859-1',
    'iso-8859-1': 'iso-8859-1',
    latin9: 'iso-8859-15',
    'latin-9': 'iso-8859-15',
    'iso8859-15': 'iso-8859-15',
    cp1252: 'windows-1252',
    'win-1252': 'windows-1252',
    ansi: 'windows-1252',
    macintosh: 'macintosh',
    'mac-roman': 'macintosh',
  };
  const e = aliases[n] ?? n;
  if (!NATIVE.has(e) && !iconv().encodingExists(e)) {
    throw new PostroomError('INVALID_INPUT', `Postroom doesn't know the encoding "${name}". Try utf-8, utf-16le, windows-1252, iso-8859-1 or iso-8859-15.`);
  }
  return e;
}

/** The BOM at the start of `head`, if any. */
export function bomOf(head: Buffer): DetectedEncoding | undefined {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return undefined;
}

/** Is `buf` valid UTF-8, allowing a multi-byte sequence cut off at the very end (the sample may stop mid-character)? */
function isUtf8(buf: Buffer, truncated: boolean): boolean {
  let end = buf.length;
  if (truncated) {
    // Step back over an incomplete final sequence (at most 3 bytes).
    let i = end - 1;
    let back = 0;
    while (i >= 0 && back < 3 && (buf[i]! & 0xc0) === 0x80) {
      i--;
      back++;
    }
    if (i >= 0 && buf[i]! >= 0xc0) {
      const need = buf[i]! >= 0xf0 ? 4 : buf[i]! >= 0xe0 ? 3 : 2;
      if (end - i < need) end = i;
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** Detects the encoding from the first bytes of a file (`truncated`: the file goes on after `head`). */
export function detectEncoding(head: Buffer, truncated: boolean): DetectedEncoding {
  const bom = bomOf(head);
  if (bom) return bom;
  // UTF-16 without BOM: text in Latin script has a zero in every other byte.
  if (head.length >= 4) {
    let evenZeros = 0;
    let oddZeros = 0;
    const n = Math.min(head.length, 4096) & ~1;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZeros++;
      if (head[i + 1] === 0) oddZeros++;
    }
    const pairs = n / 2;
    if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return { encoding: 'utf-16be', bomLength: 0 };
  }
  if (isUtf8(head, truncated)) return { encoding: 'utf-8', bomLength: 0 };
  return { encoding: legacyEncoding(head), bomLength: 0 };
}

function legacyEncoding(head: Buffer): string {
  let c1 = 0;
  let currency = 0;
  for (const b of head) {
    if (b >= 0x80 && b <= 0x9f) c1++;
    else if (b === 0xa4) currency++;
  }
  const guess = (chardet().detect(head) ?? 'windows-1252').toLowerCase();
  if (!LATIN.has(guess) && iconv().encodingExists(guess) && !guess.startsWith('utf')) {
    // chardet is confident about another script (e.g. windows-1250 for Polish, koi8-r for Russian).
    const all = chardet().analyse(head);
    const top = all[0];
    if (top && top.confidence >= 50) return guess;
  }
  if (c1 > 0) return 'windows-1252';
  if (currency > 0) return 'iso-8859-15';
  return 'windows-1252';
}

/** A streaming decoder: bytes in (in any chunking), text out. */
export interface TextDecoderStream {
  write(chunk: Buffer): string;
  end(): string;
}

export function createDecoder(encoding: string): TextDecoderStream {
  if (NATIVE.has(encoding)) {
    // Node's own decoders are the fastest; invalid bytes become U+FFFD rather than failing the import.
    const d = new TextDecoder(encoding, { ignoreBOM: true });
    return { write: (c) => d.decode(c, { stream: true }), end: () => d.decode() };
  }
  const d = iconv().getDecoder(encoding, { stripBOM: false });
  return { write: (c) => d.write(c), end: () => d.end() ?? '' };
}
