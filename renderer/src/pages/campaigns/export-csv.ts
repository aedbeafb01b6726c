/** Reads a campaign's rows for the CSV export (see report-csv.ts for the file itself). */
import { call } from '../../api/hooks';
import type { OutboxRow, RowState } from '../../../../shared/contract/sending';
import type { AppError } from '../../../../shared/result';

/** Reads every row of a campaign (optionally of one state), 1,000 a request. */
export async function fetchAllRows(campaign: number, state?: RowState, onProgress?: (done: number, total: number) => void): Promise<OutboxRow[] | AppError> {
  const rows: OutboxRow[] = [];
  for (let offset = 0; ; offset += 1000) {
    const r = await call('campaignsRecipients', { campaign, offset, limit: 1000, ...(state ? { state } : {}) });
    if (!r.ok) return r.error;
    rows.push(...r.value.rows);
    onProgress?.(rows.length, r.value.total);
    if (r.value.rows.length < 1000 || rows.length >= r.value.total) return rows;
  }
}
