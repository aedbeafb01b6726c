/**
 * The suppression list: addresses never sent to, whatever list they are on (unsubscribes, bounces, "please
 * don't"). One row per normalised address key, so `Bob@Example.com` and `bob@example.com` are one entry.
 *
 * Every part of Postroom that matches addresses uses `emailKey` from here: import, the outbox snapshot and the
 * check made again just before each message.
 */
import type { Db } from './db';
import { emailKey as keyOf } from '../../../shared/email-address';
import type { Suppression, SuppressionReason } from '../../../shared/contract/recipients';
import { noteJson, readNote, word, type CoreNote, type Sentences, type Worded } from '../notes';

/** The suppression list's own descriptions (electron/core/notes.ts). */
export const SUPPRESSION_SENTENCES = {
  SUPPRESSED_IMPORTED: (p: { file: string }) => `imported from ${p.file}`,
} satisfies Sentences;

/** Why an address from an imported file is suppressed, when the person gave no reason of their own. */
export function importedFrom(file: string): Worded {
  return word(SUPPRESSION_SENTENCES, 'SUPPRESSED_IMPORTED', { file });
}

/** Why an address is suppressed, which campaign it came back from, and the words behind it (a server's, a person's). */
export interface SuppressionMeta {
  kind?: SuppressionReason;
  campaign?: string | null;
  /** Defaults to `reason`. */
  detail?: string | null;
  /** `detail` by code, when it is Postroom's description (a report, a soft-bounce streak, an import). */
  detailNote?: CoreNote | null;
}

/**
 * The normalised, case-insensitive key of an address: trimmed, display name dropped, lower-cased, IDN domain in
 * ASCII (punycode). `emailKey('Anna <Anna@Müller.DE>') === 'anna@xn--mller-kva.de'`.
 */
export function emailKey(address: string): string {
  return keyOf(address);
}

/** Is the address with this key suppressed? (`key` must come from emailKey.) */
export function isSuppressed(db: Db, key: string): boolean {
  return db.prepare('SELECT 1 FROM suppressions WHERE email_key = ?').pluck().get(key) !== undefined;
}

/**
 * Suppresses addresses (already-suppressed ones are left with their first reason). Returns how many were new.
 * `meta.kind` says why (default `manual`); a bounce or complaint also names its campaign and the server's words.
 */
export function addSuppressions(
  db: Db,
  entries: Array<{ email: string; key?: string }>,
  reason: string | null,
  now: number,
  meta: SuppressionMeta = {},
): { added: number; already: number } {
  const insert = db.prepare(
    'INSERT INTO suppressions (email_key, email, reason, created_at, kind, campaign, detail, detail_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email_key) DO NOTHING',
  );
  const kind = meta.kind ?? 'manual';
  const detail = meta.detail === undefined ? reason : meta.detail;
  const note = noteJson(meta.detailNote);
  let added = 0;
  db.transaction(() => {
    for (const e of entries) added += insert.run(e.key ?? emailKey(e.email), e.email.trim(), reason, now, kind, meta.campaign ?? null, detail, note).changes;
  })();
  return { added, already: entries.length - added };
}

/** Lifts suppressions. Returns how many entries were removed. */
export function removeSuppressions(db: Db, emails: string[]): number {
  const del = db.prepare('DELETE FROM suppressions WHERE email_key = ?');
  let removed = 0;
  db.transaction(() => {
    for (const e of emails) removed += del.run(emailKey(e)).changes;
  })();
  return removed;
}

/** One page of the suppression list, newest first, optionally filtered by text in the address, why, campaign or detail. */
export function listSuppressions(db: Db, opts: { search?: string; offset?: number; limit?: number } = {}): { total: number; items: Suppression[] } {
  const search = opts.search?.trim().toLowerCase() ?? '';
  const where = search ? `WHERE instr(email_key, @s) > 0 OR instr(lower(email), @s) > 0 OR instr(kind, @s) > 0 OR instr(lower(coalesce(campaign, '')), @s) > 0 OR instr(lower(coalesce(detail, '')), @s) > 0` : '';
  const paging = { limit: opts.limit ?? 100, offset: opts.offset ?? 0 };
  const params = search ? { s: search, ...paging } : paging;
  const total = db.prepare(`SELECT count(*) FROM suppressions ${where}`).pluck().get(search ? { s: search } : {}) as number;
  const items = (
    db
      .prepare(
        `SELECT email, kind AS reason, campaign, detail, detail_note AS detailNote, created_at AS createdAt FROM suppressions ${where} ORDER BY created_at DESC, email_key LIMIT @limit OFFSET @offset`,
      )
      .all(params) as Array<Omit<Suppression, 'detailNote'> & { detailNote: string | null }>
  ).map(({ detailNote, ...s }): Suppression => {
    const note = readNote(detailNote);
    return note ? { ...s, detailNote: note } : s;
  });
  return { total, items };
}
