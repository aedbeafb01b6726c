import { describe, expect, it } from 'vitest';
import { RowBuilder, type RowPlan } from '../../../electron/core/import/row-builder';
import { packedValue } from '../../../electron/core/store/packed-rows';

/** Columns: email, note, city, first, last. Fields: note, city, first_name. */
const plan: RowPlan = {
  dataBase: 0,
  width: 5,
  emailCol: 0,
  keyPrefixes: ['{"note":', ',"city":', ',"first_name":'],
  fieldIdx: [1, 2, 3],
  nameIdx: null,
  firstIdx: 3,
  lastIdx: 4,
};

/** Builds rows and reads each valid one back: [address, key, name, fields JSON]. */
function build(rows: string[][], p: RowPlan = plan): string[][] {
  const b = new RowBuilder(p).build(rows);
  return Array.from(b.validRows, (_r, i) => [0, 1, 2, 3].map((j) => packedValue(b.packed, i * 4 + j)));
}

describe('the row builder', () => {
  it('told the suppression list later, says which batches it built without it, and flags the rows after', () => {
    const rows = [['stop@example.com', '', '', '', ''], ['go@example.com', '', '', '', '']];
    const b = new RowBuilder(plan, 'later');
    const before = b.build(rows);
    expect([before.suppressionKnown, [...before.suppressed]]).toEqual([false, [0, 0]]);
    b.knowSuppressed(new Set(['stop@example.com']));
    const after = b.build(rows);
    expect([after.suppressionKnown, [...after.suppressed]]).toEqual([true, [1, 0]]);
    // Told the list is the caller's to check (too long to hold): known, nothing flagged.
    const big = new RowBuilder(plan, 'later');
    big.knowSuppressed(undefined);
    expect([big.build(rows).suppressionKnown, new RowBuilder(plan).build(rows).suppressionKnown]).toEqual([true, true]);
  });

  it('writes the fields JSON exactly as JSON.stringify would, escapes and all scripts', () => {
    // (Cells are trimmed, as JavaScript trims: U+2028 and U+2029 only count inside a cell.)
    const cells = ['Müller', 'say "hi"', 'back\\slash', 'tab\there', 'line\nbreak', '\u0000nul', '日本語', '😀 pair', 'lone \ud800 high', 'lone \udc00 low', 'a\u2028\u2029b', '\u007f', '', 'København'];
    const out = build(cells.map((c) => ['a@example.com', c, 'Wien', 'Anna', '']));
    expect(out.map((r) => r[3])).toEqual(cells.map((c) => JSON.stringify({ note: c, city: 'Wien', first_name: 'Anna' })));
    const long = `${'ü'.repeat(30_000)} "😀"`;
    const [row] = build([['a@example.com', long, 'Wien', '', '']]);
    expect(row![3] === JSON.stringify({ note: long, city: 'Wien', first_name: '' })).toBe(true);
  });

  it('writes every UTF-16 code unit of a cell the way JSON.stringify does', () => {
    const rows: string[][] = [];
    for (let u = 0; u <= 0xffff; u++) rows.push(['a@example.com', `a${String.fromCharCode(u)}b`, '', '', '']);
    const out = build(rows);
    for (let u = 0; u <= 0xffff; u++) {
      const want = JSON.stringify({ note: rows[u]![1], city: '', first_name: '' });
      if (out[u]![3] !== want) expect.fail(`U+${u.toString(16)} differs: ${out[u]![3]} / ${want}`);
    }
  });

  it('keeps the address as written, its key, and a name from the name cells or the display name', () => {
    const out = build([
      ['Zoë Dağ <Zoe@Example.COM>', '', '', '', ''],
      ['  bob@example.com ', '', '', 'Bob', 'Smith'],
      ['cy@müller.de', '', '', '', 'Øre'],
      ['nul@example.com', '', '', 'A\u0000na', ''],
      ['lone@example.com', '', '', 'x\ud800y', ''],
    ]);
    expect(out.map((r) => r.slice(0, 3))).toEqual([
      ['Zoe@Example.COM', 'zoe@example.com', 'Zoë Dağ'],
      ['bob@example.com', 'bob@example.com', 'Bob Smith'],
      ['cy@müller.de', 'cy@xn--mller-kva.de', 'Øre'],
      ['nul@example.com', 'nul@example.com', 'Ana'],
      ['lone@example.com', 'lone@example.com', 'x\ufffdy'],
    ]);
    // A NUL is dropped from the name column only: the field keeps it, escaped.
    expect(JSON.parse(out[3]![3]!)).toEqual({ note: '', city: '', first_name: 'A\u0000na' });
  });

  it('gives "{}" to a row without merge fields, and the display name to an empty name field', () => {
    const bare = build([['a@example.com']], { ...plan, width: 1, keyPrefixes: [], fieldIdx: [], firstIdx: null, lastIdx: null });
    expect(bare[0]![3]).toBe('{}');
    const named = build([['Ann <ann@example.com>', '']], { ...plan, width: 2, keyPrefixes: ['{"name":'], fieldIdx: [1], nameIdx: 1, firstIdx: null, lastIdx: null });
    expect(named[0]!.slice(2)).toEqual(['Ann', '{"name":"Ann"}']);
  });
});
