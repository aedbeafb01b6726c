import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { csvCell, toCsv } from '../../shared/csv';

describe('CSV export', () => {
  it('makes cells that spreadsheets would run as formulas inert', () => {
    expect(['=1+1', '+49 30 1', '-2', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual(["'=1+1", "'+49 30 1", "'-2", "'@SUM(A1)", "'\tx", "\"'\rx\""]);
  });

  it('quotes commas, quotes, line breaks and edge spaces, and nothing else', () => {
    expect(toCsv([['a,b', 'say "hi"', 'two\nlines', ' pad', 'plain', '', null]])).toBe('"a,b","say ""hi""","two\nlines"," pad",plain,,\r\n');
  });

  it('round-trips through a CSV parser', () => {
    const rows = [['Müller, Jürgen', '"quoted"', 'multi\r\nline'], ['x', 'y', 'z']];
    const parsed = Papa.parse<string[]>(toCsv(rows), { newline: '\r\n' }).data.filter((r) => r.length > 1);
    expect(parsed).toEqual(rows);
  });

  it('can start with a byte-order mark for Excel', () => {
    expect(toCsv([['ä']], { bom: true })).toBe('\ufeffä\r\n');
  });
});
