/**
 * What a list really holds, before anyone sends to it: how many recipients, who is on the suppression list
 * (they will be skipped), and for each field how many people have it empty (the fallbacks panel). The core counts
 * it in one request (`lists:stats`), and it is asked again when the list or the suppression list changes.
 * Duplicates and invalid addresses never reach a list: the import leaves them out and reports them.
 */
import { useMemo } from 'react';
import { useQuery } from '../../api/hooks';
import type { AppError } from '../../../../shared/result';

export interface Audience {
  listId: number;
  /** Whether the counts have come (false while the core counts the list for the first time). */
  done: boolean;
  total: number;
  /** Recipients on the list whose address is suppressed (skipped at send time). */
  suppressed: number;
  /** A few of them, to name who is skipped. */
  suppressedSample: string[];
  /** Per field (as the list names it), how many recipients have it empty. */
  emptyByField: Record<string, number>;
  error?: AppError;
}

/** The counts of list `listId` (undefined without a list). */
export function useAudience(listId: number | undefined): Audience | undefined {
  const q = useQuery('listsStats', { id: listId ?? 0 }, { enabled: listId !== undefined, refreshOn: ['lists:changed', 'suppressions:changed'] });
  const stats = q.data?.listId === listId ? q.data : undefined;
  const error = q.loading ? undefined : q.error;
  return useMemo((): Audience | undefined => {
    if (listId === undefined) return undefined;
    if (stats) {
      const { total, suppressed, suppressedSample } = stats;
      return { listId, done: true, total, suppressed, suppressedSample, emptyByField: Object.fromEntries(stats.fields.map((f) => [f.field, f.empty])) };
    }
    return { listId, done: error !== undefined, total: 0, suppressed: 0, suppressedSample: [], emptyByField: {}, ...(error ? { error } : {}) };
  }, [listId, stats, error]);
}
