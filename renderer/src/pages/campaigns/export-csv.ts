/**
 * The per-recipient report as a CSV file the person saves, built here from `campaigns:recipients` (the core's
 * `campaigns:report` writes to a path on the core's machine, which a browser can't download). Same columns as
 * `postroom report --csv`, plus the name. Cells a spreadsheet would run as a formula are escaped with a
 * leading apostrophe (OWASP "CSV injection"), since server replies and names come from outside.
 */
import { call } from '../../api/hooks';
import type { OutboxRow, RowState } from '../../../../shared/contract/sending';
import type { AppError } from '../../../../shared/result';

export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function reportCsv(rows: OutboxRow[]): string {
  const head = ['email', 'name', 'state', 'attempts', 'last_response', 'sent_at', 'message_id'];
  const lines = [head.join(',')];
  for (const r of rows) {
    lines.push(
      [r.email, r.name, r.state, r.attempts, r.lastResponse, r.sentAt ? new Date(r.sentAt).toISOString() : '', r.messageId].map(csvCell).join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

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

export function safeFileName(name: string): string {
  return name.replace(/[^\p{L}\p{N} ._-]+/gu, '_').trim().slice(0, 80) || 'campaign';
}
