import { describe, expect, it } from 'vitest';
import { packedValue, packRows, RowPacker, samePackedValue } from '../../../electron/core/store/packed-rows';

describe('packed rows', () => {
  it('gives back every value as written, accents, other scripts and empty values included', () => {
    const values = ['zoë@example.com', 'zoë@example.com', '', '{"city":"København","note":"日本語 😀"}', 'b@example.com', 'b@example.com', 'Øre Dağ', '{}'];
    const rows = packRows(values);
    expect(rows.ends).toHaveLength(8);
    expect(values.map((_v, k) => packedValue(rows, k))).toEqual(values);
  });

  it('owns its memory, so that it can be handed to another thread', () => {
    const rows = packRows(['a@example.com', 'a@example.com', '', '{}']);
    expect(rows.text.byteOffset).toBe(0);
    expect(rows.text.byteLength).toBe(rows.text.buffer.byteLength);
    const copy = structuredClone(rows, { transfer: [rows.text.buffer] });
    expect(packedValue(copy, 0)).toBe('a@example.com');
  });

  it('grows past its first buffer for rows with very long cells, and starts afresh after each take', () => {
    const packer = new RowPacker();
    const add = (...values: string[]) => values.forEach((v) => (packer.text(v), packer.end()));
    const long = `{"note":"${'ü'.repeat(30_000)}"}`;
    add('a@example.com', 'a@example.com', 'Ann', long);
    add('b@example.com', 'b@example.com', '', long);
    const first = packer.take();
    expect([packedValue(first, 3), packedValue(first, 4), packedValue(first, 6)]).toEqual([long, 'b@example.com', '']);
    add('c@example.com', 'c@example.com', 'Cy', '{}');
    const second = packer.take();
    expect(second.ends).toHaveLength(4);
    expect(packedValue(second, 2)).toBe('Cy');
  });

  it('compares values byte for byte, across batches', () => {
    const a = packRows(['x@example.com', 'x@example.com', '', '{}', 'y@example.com', 'y@example.com', '', '{}']);
    const b = packRows(['y@example.com', 'y@example.com', 'Y', '{"a":"1"}']);
    expect(samePackedValue(a, 5, b, 1)).toBe(true);
    expect(samePackedValue(a, 1, b, 1)).toBe(false);
    expect(samePackedValue(a, 2, b, 2)).toBe(false);
  });
});
