import { describe, expect, it } from 'vitest';
import { hashKey, KeySet } from '../../../electron/core/import/key-set';

describe('the set of addresses an import has seen', () => {
  it('finds each repeated key with the row that first had it, growing from its smallest size', () => {
    const keys = new KeySet(0);
    const seen = new Map<string, number>();
    for (let row = 1; row <= 200_000; row++) {
      const key = `user${(row * 7919) % 150_000}@example.com`; // 50,000 keys come twice
      const [a, b] = hashKey(key);
      const first = keys.addOrFind(a, b, row, (earlier) => `user${(earlier * 7919) % 150_000}@example.com` === key);
      expect(first).toBe(seen.get(key));
      if (first === undefined) seen.set(key, row);
    }
    expect(seen.size).toBe(150_000);
    expect(keys.rowOf('user0@example.com')).toBe(seen.get('user0@example.com'));
    expect(keys.rowOf('nobody@example.com')).toBeUndefined();
  });

  it('keeps two different keys whose hashes collide apart', () => {
    const keys = new KeySet(10);
    expect(keys.addOrFind(7, 9, 1, () => false)).toBeUndefined();
    expect(keys.addOrFind(7, 9, 2, () => false)).toBeUndefined(); // same hashes, but the caller says: another key
    expect(keys.addOrFind(7, 9, 3, (earlier) => earlier === 2)).toBe(2);
  });
});
