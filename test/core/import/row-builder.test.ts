import { describe, expect, it } from 'vitest';
import { jsonString } from '../../../electron/core/import/row-builder';

describe('the merge-field JSON of a row', () => {
  it('writes each cell exactly as JSON.stringify would, escapes and all', () => {
    const cells = ['Müller', 'say "hi"', 'back\\slash', 'tab\there', 'line\nbreak', '\u0000nul', '日本語', '😀 pair', 'lone \ud800 high', 'lone \udc00 low', '\u2028\u2029', '\u007f', ''];
    for (const c of cells) expect(jsonString(c)).toBe(JSON.stringify(c));
  });

  it('writes every code unit the way JSON.stringify does', () => {
    for (let u = 0; u <= 0xffff; u++) {
      const c = `a${String.fromCharCode(u)}b`;
      if (jsonString(c) !== JSON.stringify(c)) expect.fail(`U+${u.toString(16)} differs`);
    }
  });
});
