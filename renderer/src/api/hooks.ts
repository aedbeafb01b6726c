/**
 * Reading from and writing to the core from components.
 *
 * `useQuery('listsList', {})` runs the request, keeps its answer, and runs it again when something may have
 * changed it: after any `invalidate()` (every write through `useAction` calls it), when named core events
 * arrive, and when the link to the core comes back after a drop. Errors stay values (`AppError`), shown with
 * `<CoreError>`; nothing here throws at the component.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, EventPayload, PostroomApi } from '../../../shared/contract';
import type { AppError, Result } from '../../../shared/result';
import { api, onConnectionState } from './index';
import { t } from '../i18n';

export type Method = Exclude<keyof PostroomApi, 'on'>;
export type InputOf<M extends Method> = Parameters<PostroomApi[M]>[0];
export type ValueOf<M extends Method> = Awaited<ReturnType<PostroomApi[M]>> extends Result<infer T> ? T : never;

const invalidators = new Set<() => void>();

/** Tells every query on screen to fetch again (after a write, so counts and lists stay true). */
export function invalidate(): void {
  for (const fn of invalidators) fn();
}

onConnectionState((s) => {
  if (s === 'online') invalidate();
});

/** Calls one channel by its method name; always resolves to a Result. */
export function call<M extends Method>(method: M, input: InputOf<M>): Promise<Result<ValueOf<M>>> {
  const fn = api[method] as unknown as (i: unknown) => Promise<Result<ValueOf<M>>>;
  if (typeof fn !== 'function') {
    return Promise.resolve({
      ok: false,
      error: { code: 'UNSUPPORTED', message: t('error.coreTooOld') },
    });
  }
  return fn(input).catch((err: unknown) => ({
    ok: false as const,
    error: { code: 'INTERNAL' as const, message: t('error.requestFailed', { reason: err instanceof Error ? err.message : String(err) }) },
  }));
}

export interface QueryState<T> {
  data: T | undefined;
  error: AppError | undefined;
  loading: boolean;
  reload: () => void;
}

export function useQuery<M extends Method>(
  method: M,
  input: InputOf<M>,
  options: {
    refreshOn?: EventName[];
    enabled?: boolean;
    /** Re-read every so many ms while on screen. */
    pollMs?: number;
    /**
     * false: read once per input, not again after writes or a reconnect (a document being edited, whose draft
     * must not be replaced under the person's hands). The answer to an older input never replaces a newer one.
     */
    live?: boolean;
    /** Keep the last answer on screen when a later read fails (a preview that stays while the draft is wrong). */
    keepOnError?: boolean;
  } = {},
): QueryState<ValueOf<M>> {
  const key = JSON.stringify(input ?? {});
  const enabled = options.enabled ?? true;
  const live = options.live ?? true;
  const keepOnError = options.keepOnError ?? false;
  const [state, setState] = useState<{ data?: ValueOf<M>; error?: AppError; loading: boolean }>({ loading: enabled });
  const seq = useRef(0);

  const run = useCallback(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    void call(method, JSON.parse(key) as InputOf<M>).then((r) => {
      if (mine !== seq.current) return; // a newer request has been made meanwhile
      setState((s) => (r.ok ? { data: r.value, loading: false } : { error: r.error, loading: false, data: keepOnError ? s.data : undefined }));
    });
  }, [method, key, enabled, keepOnError]);

  useEffect(() => {
    if (!enabled) {
      // Disabled: nothing to show, and an answer still on its way is for an input that no longer applies.
      seq.current++;
      setState({ loading: false });
      return;
    }
    run();
    if (!live) return;
    invalidators.add(run);
    return () => {
      invalidators.delete(run);
    };
  }, [run, live, enabled]);

  const pollMs = options.pollMs;
  useEffect(() => {
    if (!pollMs || !enabled) return;
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') run();
    }, pollMs);
    return () => clearInterval(t);
  }, [pollMs, enabled, run]);

  const events = (options.refreshOn ?? []).join(',');
  useEffect(() => {
    if (!events) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Events can come ten times a second; re-reading once per burst keeps the main thread free.
    const schedule = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        run();
      }, 300);
    };
    const offs = events.split(',').map((e) => api.on(e as EventName, schedule));
    return () => {
      offs.forEach((off) => off());
      if (timer) clearTimeout(timer);
    };
  }, [events, run]);

  return { data: state.data, error: state.error, loading: state.loading, reload: run };
}

/**
 * A write: `const save = useAction('relaysCreate')`; `const r = await save.run(input)`. While it runs,
 * `busy` is true; its last error is kept for display; on success every query refreshes.
 */
export function useAction<M extends Method>(method: M) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const run = useCallback(
    async (input: InputOf<M>): Promise<Result<ValueOf<M>>> => {
      setBusy(true);
      setError(undefined);
      const r = await call(method, input);
      setBusy(false);
      if (r.ok) invalidate();
      else setError(r.error);
      return r;
    },
    [method],
  );
  return { run, busy, error, clearError: () => setError(undefined) };
}

/** Listens to one core event for the life of the component. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => api.on(event, (p) => ref.current(p)), [event]);
}
