import { describe, expect, it } from 'vitest';
import { csvCell, reportCsv, safeFileName } from '../../../renderer/src/pages/campaigns/report-csv';
import type { OutboxRow } from '../../../shared/contract/sending';

describe('the report CSV built in the window', () => {
  it('escapes cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('Anna')).toBe('Anna');
  });

  it('quotes commas, quotes and line breaks, and leaves empty values empty', () => {
    expect(csvCell('550 5.1.1 no such user, sorry')).toBe('"550 5.1.1 no such user, sorry"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
    expect(csvCell(null)).toBe('');
  });

  it('writes one line per recipient under the same header as postroom report', () => {
    const row: OutboxRow = {
      id: 1,
      email: 'anna@example.com',
      name: 'Anna',
      state: 'sent',
      attempts: 1,
      nextAttemptAt: null,
      lastResponse: '250 OK',
      sentAt: Date.UTC(2026, 2, 2, 9, 0, 0),
      messageId: '<1@example.com>',
      possibleDuplicate: false,
    };
    expect(reportCsv([row])).toBe('email,name,state,attempts,last_response,sent_at,message_id\r\nanna@example.com,Anna,sent,1,250 OK,2026-03-02T09:00:00.000Z,<1@example.com>\r\n');
  });

  it('makes a file name from any campaign name', () => {
    expect(safeFileName('Spring news: 50% off!')).toBe('Spring news_ 50_ off_');
    expect(safeFileName('///')).toBe('_');
  });
});
