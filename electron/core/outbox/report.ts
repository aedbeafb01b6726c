/**
 * The per-recipient report of a campaign as CSV (RFC 4180), written a chunk at a time so a campaign of any size
 * never sits in memory. Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR first) are escaped with a
 * leading apostrophe (OWASP "CSV injection"): a server's reply or a recipient's field can't become a formula.
 * (The writer is the import area's, shared with its skipped-row reports.)
 *
 * The columns are exactly those of ../shared/spec/cli.md. A message that may have gone twice (it was in flight
 * when an engine stopped, and was sent again with the same Message-ID) says so after the server's last reply.
 */
import fs from 'node:fs';
import type { Db } from '../store/db';
import { PostroomError } from '../../../shared/result';
import { csvLine } from '../import/csv-export';

export const REPORT_COLUMNS = ['email', 'state', 'attempts', 'last_response', 'sent_at', 'message_id'] as const;

/** What the report adds to the last reply of a message that may have gone twice. */
export const POSSIBLE_DUPLICATE_NOTE = '[possibly delivered twice: it was being handed to the relay when Postroom stopped]';

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
      const reply = r.possible_duplicate ? `${r.last_response ? `${r.last_response} ` : ''}${POSSIBLE_DUPLICATE_NOTE}` : r.last_response;
      chunk += csvLine([r.email, r.state, r.attempts, reply, r.sent_at === null ? null : new Date(r.sent_at).toISOString(), r.message_id]);
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
