/**
 * The per-recipient report of a campaign as CSV (RFC 4180), written a chunk at a time so a campaign of any size
 * never sits in memory. Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR first) are escaped with a
 * leading apostrophe (OWASP "CSV injection"): a server's reply or a recipient's field can't become a formula.
 * (The writer is the import area's, shared with its skipped-row reports.)
 */
import fs from 'node:fs';
import type { Db } from '../store/db';
import { PostroomError } from '../../../shared/result';
import { csvLine } from '../import/csv-export';

export const REPORT_COLUMNS = ['email', 'state', 'attempts', 'last_response', 'sent_at', 'message_id', 'possible_duplicate'] as const;

/** Writes the report of campaign `campaignId` to `file`; returns the number of recipient rows. */
export function writeReport(db: Db, campaignId: number, file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'w');
  } catch (err) {
    throw new PostroomError('DATA_UNREADABLE', `Couldn't write the report to ${file}: ${(err as Error).message}. Choose a folder you may write to.`);
  }
  let rows = 0;
  try {
    let chunk = csvLine([...REPORT_COLUMNS]);
    const it = db
      .prepare(`SELECT email, state, attempts, last_response, sent_at, message_id, possible_duplicate FROM outbox WHERE campaign_id = ? ORDER BY id`)
      .iterate(campaignId) as Iterable<{ email: string; state: string; attempts: number; last_response: string | null; sent_at: number | null; message_id: string; possible_duplicate: number }>;
    for (const r of it) {
      chunk += csvLine([r.email, r.state, r.attempts, r.last_response, r.sent_at === null ? null : new Date(r.sent_at).toISOString(), r.message_id, r.possible_duplicate ? 'yes' : 'no']);
      rows++;
      if (chunk.length > 64 * 1024) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
    fs.fsyncSync(fd);
  } catch (err) {
    if (err instanceof PostroomError) throw err;
    throw new PostroomError('DATA_UNREADABLE', `Couldn't write the report to ${file}: ${(err as Error).message}.`);
  } finally {
    fs.closeSync(fd);
  }
  return rows;
}
