/**
 * The per-recipient report as a CSV file the person saves, built here from `campaigns:recipients` (the core's
 * `campaigns:report` writes to a path on the core's machine, which a browser can't download). Same columns as
 * `postroom report --csv`, plus the name. Cells a spreadsheet would run as a formula are escaped with a
 * leading apostrophe (OWASP "CSV injection"), since server replies and names come from outside.
 */
import type { OutboxRow } from '../../../../shared/contract/sending';

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

export function safeFileName(name: string): string {
  return name.replace(/[^\p{L}\p{N} ._-]+/gu, '_').trim().slice(0, 80) || 'campaign';
}
