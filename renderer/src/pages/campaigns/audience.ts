/**
 * What a list really holds, before anyone sends to it: how many recipients, who is on the suppression list
 * (they will be skipped), and for each field how many people have it empty (the fallbacks panel).
 *
 * The core has no single request for this, so we read the list a page at a time (1,000 per request, the
 * contract's maximum) and count as we go; a page is counted between two frames so the window stays smooth even
 * for 100,000 recipients. Duplicates and invalid addresses never reach a list: the import leaves them out and
 * reports them.
 */
import { useEffect, useState } from 'react';
import { call } from '../../api/hooks';
import type { AppError } from '../../../../shared/result';

export interface Audience {
  listId: number;
  total: number;
  /** Recipients read so far; equals `total` when `done`. */
  scanned: number;
  done: boolean;
  /** Recipients on the list whose address is suppressed (skipped at send time). */
  suppressed: number;
  /** A few of them, to name who is skipped. */
  suppressedSample: string[];
  /** Per field (as the list names it), how many recipients have it empty. */
  emptyByField: Record<string, number>;
  error?: AppError;
}

const PAGE = 1000;
const cache = new Map<string, Audience>();

async function loadSuppressed(): Promise<Set<string> | AppError> {
  const out = new Set<string>();
  for (let offset = 0; ; offset += PAGE) {
    const r = await call('suppressionsList', { offset, limit: PAGE });
    if (!r.ok) return r.error;
    for (const s of r.value.items) out.add(s.email.toLowerCase());
    if (r.value.items.length < PAGE || offset + PAGE >= r.value.total) return out;
  }
}

const nextFrame = () => new Promise<void>((r) => setTimeout(r, 0));

/** Reads the whole list once per (list, last change) and counts; `stamp` (the list's updatedAt) invalidates. */
export function useAudience(listId: number | undefined, fields: string[], stamp: number | undefined): Audience | undefined {
  const key = listId === undefined ? '' : `${listId}:${stamp ?? 0}`;
  const [state, setState] = useState<Audience | undefined>(() => cache.get(key));
  const fieldsKey = fields.join('\u0000');

  useEffect(() => {
    if (listId === undefined) {
      setState(undefined);
      return;
    }
    const hit = cache.get(key);
    if (hit?.done) {
      setState(hit);
      return;
    }
    let stopped = false;
    const names = fieldsKey ? fieldsKey.split('\u0000').filter((f) => f !== 'email') : [];
    void (async () => {
      const suppressed = await loadSuppressed();
      if (stopped) return;
      const a: Audience = { listId, total: 0, scanned: 0, done: false, suppressed: 0, suppressedSample: [], emptyByField: Object.fromEntries(names.map((n) => [n, 0])) };
      if (!(suppressed instanceof Set)) {
        setState({ ...a, done: true, error: suppressed });
        return;
      }
      for (let offset = 0; ; offset += PAGE) {
        const r = await call('listsRecipients', { id: listId, offset, limit: PAGE });
        if (stopped) return;
        if (!r.ok) {
          setState({ ...a, done: true, error: r.error });
          return;
        }
        a.total = r.value.total;
        for (const rec of r.value.recipients) {
          if (suppressed.has(rec.email.toLowerCase())) {
            a.suppressed++;
            if (a.suppressedSample.length < 5) a.suppressedSample.push(rec.email);
          }
          for (const n of names) {
            const v = n === 'name' ? (rec.fields[n] ?? rec.name ?? '') : rec.fields[n];
            if (v === undefined || v.trim() === '') a.emptyByField[n] = (a.emptyByField[n] ?? 0) + 1;
          }
        }
        a.scanned += r.value.recipients.length;
        const finished = r.value.recipients.length < PAGE || a.scanned >= a.total;
        const snapshot = { ...a, emptyByField: { ...a.emptyByField }, suppressedSample: [...a.suppressedSample], done: finished };
        setState(snapshot);
        if (finished) {
          cache.set(key, snapshot);
          return;
        }
        await nextFrame();
      }
    })();
    return () => {
      stopped = true;
    };
  }, [key, listId, fieldsKey]);

  return state && state.listId === listId ? state : undefined;
}
