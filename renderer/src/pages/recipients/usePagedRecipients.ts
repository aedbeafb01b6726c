/**
 * Pages of a list's recipients fetched as the table scrolls: only the pages around what is on screen are asked
 * for, each once. A new search, or a `lists:changed` event for this list, starts over.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Recipient } from '../../../../shared/contract/recipients';
import type { AppError } from '../../../../shared/result';
import { api } from '../../api';
import { call } from '../../api/hooks';

const PAGE = 250;

export function usePagedRecipients(listId: number, search: string) {
  const pages = useRef(new Map<number, Recipient[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);
  const [total, setTotal] = useState<number | undefined>();
  const [error, setError] = useState<AppError | undefined>();
  const [, setVersion] = useState(0);

  const fetchPage = useCallback(
    (page: number) => {
      if (pages.current.has(page) || inFlight.current.has(page)) return;
      inFlight.current.add(page);
      const gen = generation.current;
      void call('listsRecipients', { id: listId, search: search || undefined, offset: page * PAGE, limit: PAGE }).then((r) => {
        if (gen !== generation.current) return; // a newer search started meanwhile
        inFlight.current.delete(page);
        if (!r.ok) {
          setError(r.error);
          return;
        }
        pages.current.set(page, r.value.recipients);
        setTotal(r.value.total);
        setVersion((v) => v + 1);
      });
    },
    [listId, search],
  );

  const reset = useCallback(() => {
    generation.current++;
    pages.current = new Map();
    inFlight.current = new Set();
    setError(undefined);
    fetchPage(0);
  }, [fetchPage]);

  useEffect(() => {
    setTotal(undefined);
    reset();
  }, [reset]);

  useEffect(
    () =>
      api.on('lists:changed', (e) => {
        if (e.listId === null || e.listId === listId) reset();
      }),
    [listId, reset],
  );

  const onRange = useCallback(
    (start: number, end: number) => {
      for (let p = Math.floor(start / PAGE); p <= Math.floor(end / PAGE); p++) fetchPage(p);
    },
    [fetchPage],
  );

  const getRow = useCallback((i: number) => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE], []);

  return { total, error, getRow, onRange, reload: reset };
}
