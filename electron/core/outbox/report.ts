/**
 * The per-recipient report of a campaign as CSV (RFC 4180), written a chunk at a time so a campaign of any size
 * never sits in memory. Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR first) are escaped with a
 * leading apostrophe (OWASP "CSV injection"): a server's reply or a recipient's field can't become a formula.
 * Both doors get it from here: `postroom report --csv` writes the file, the window downloads `campaigns:reportCsv`.
 *
 * The columns are exactly those of ../shared/spec/cli.md. A message that may have gone twice (it was in flight
 * when an engine stopped, and was sent again with the same Message-ID) says so after the server's last reply.
 */
import fs from 'node:fs';
import type { Db } from '../store/db';
import { PostroomError } from '../../../shared/errors';
import { csvLine } from '../../../shared/csv';
import type { RowState } from '../../../shared/contract/sending';

export const REPORT_COLUMNS = ['email', 'state', 'attempts', 'last_response', 'sent_at', 'message_id'] as const;

/** What the report adds to the last reply of a message that may have gone twice. */
export const POSSIBLE_DUPLICATE_NOTE = '[possibly delivered twice: it was being handed to the relay when Postroom stopped]';

/** The report's lines (the header first), a recipient at a time; of one state only when `state` is given. */
export function* reportLines(db: Db, campaignId: number, state?: RowState): Generator<string> {
  yield csvLine([...REPORT_COLUMNS]);
  const it = db
    .prepare(
      `SELECT email, state, attempts, last_response, sent_at, message_id, possible_duplicate FROM outbox WHERE campaign_id = ? AND (? IS NULL OR state = ?) ORDER BY id`,
    )
    .iterate(campaignId, state ?? null, state ?? null) as Iterable<{ email: string; state: string; attempts: number; last_response: string | null; sent_at: number | null; message_id: string; possible_duplicate: number }>;
  for (const r of it) {
    const reply = r.possible_duplicate ? `${r.last_response ? `${r.last_response} ` : ''}${POSSIBLE_DUPLICATE_NOTE}` : r.last_response;
    yield csvLine([r.email, r.state, r.attempts, reply, r.sent_at === null ? null : new Date(r.sent_at).toISOString(), r.message_id]);
  }
}

/** The whole report as text, for a door that saves it itself (the browser downloads it). */
export function reportText(db: Db, campaignId: number, state?: RowState): { csv: string; rows: number } {
  let csv = '';
  let rows = -1;
  for (const line of reportLines(db, campaignId, state)) {
    csv += line;
    rows++;
  }
  return { csv, rows };
}

/** Writes the report of campaign `campaignId` to `file`; returns the number of recipient rows. */
export function writeReport(db: Db, campaignId: number, file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'w');
  } catch (err) {
    throw new PostroomError('DATA_UNREADABLE', `Couldn't write the report to ${file}: ${(err as Error).message}. Choose a folder you may write to.`);
  }
  let rows = -1; // the header is not a recipient
  try {
    let chunk = '';
    for (const line of reportLines(db, campaignId)) {
      chunk += line;
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
