/** Delimiter and line-break sniffing for delimited text (CSV, TSV, semicolon- and pipe-separated). */
import type PapaNs from 'papaparse';
import { onFirstUse } from '../first-use';

/**
 * papaparse, loaded when a file is first read here: the calling thread of an import with a worker (which reads the
 * file there) never loads it.
 */
export const papaparse = onFirstUse<typeof PapaNs>('papaparse');

export const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

/** The line break most rows end with (papaparse's own rule): `\r\n`, `\n` or `\r`. */
export function guessNewline(sample: string): '\r\n' | '\n' | '\r' {
  const head = sample.slice(0, 1024 * 1024);
  const r = head.split('\r');
  const n = head.split('\n');
  if (r.length === 1 || (n.length > 1 && n[0]!.length < r[0]!.length)) return '\n';
  let withN = 0;
  for (let i = 1; i < r.length; i++) if (r[i]!.startsWith('\n')) withN++;
  return withN >= (r.length - 1) / 2 ? '\r\n' : '\r';
}

/**
 * The delimiter that splits the sample's rows most consistently into more than one column. Each candidate parses
 * the first rows (quotes respected); its score is the share of non-blank rows with the most common field count,
 * and only counts above one are considered. On a tie the delimiter giving more columns wins (a semicolon file with
 * decimal commas), then the order above. A file with one column
 * gets a comma.
 */
export function sniffDelimiter(sample: string, newline: '\r\n' | '\n' | '\r'): string {
  let best: string = ',';
  let bestScore = 0;
  let bestFields = 1;
  for (const d of CANDIDATE_DELIMITERS) {
    const parser = new (papaparse().Parser)({ delimiter: d, newline, quoteChar: '"', preview: 50 });
    const rows = (parser.parse(sample, 0, true).data as string[][]).filter((r) => r.some((c) => c.trim() !== ''));
    if (rows.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let mode = 1;
    let modeN = 0;
    for (const [len, n] of counts) if (n > modeN || (n === modeN && len > mode)) [mode, modeN] = [len, n];
    if (mode < 2) continue;
    const score = modeN / rows.length;
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && mode > bestFields)) {
      best = d;
      bestScore = score;
      bestFields = mode;
    }
  }
  return best;
}
