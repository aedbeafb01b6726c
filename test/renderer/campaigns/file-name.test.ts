import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../../renderer/src/pages/campaigns/file-name';

describe('the file name of the report the window saves', () => {
  it('makes a file name from any campaign name', () => {
    expect(safeFileName('Spring news: 50% off!')).toBe('Spring news_ 50_ off_');
    expect(safeFileName('///')).toBe('_');
  });
});
