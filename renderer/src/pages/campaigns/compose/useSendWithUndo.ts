/**
 * Saving and sending the campaign: the draft is created the first time and updated after. Sending now starts a few
 * seconds in which nothing has been sent and Undo takes it all back: the core is only asked to send once that
 * window has passed. A scheduled campaign is handed over at once (nothing goes before its time).
 */
import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../../../shared/result';
import { call, invalidate } from '../../../api/hooks';
import { href, navigate } from '../../../app/router';
import { notifyDone } from '../../../components/CoreError';
import { t } from '../../../i18n';

const UNDO_SECONDS = 5;

/** The campaign as the composer holds it, to save. */
export interface CampaignFields {
  name: string;
  list: number;
  template: number;
  relays: number[];
  /** Its stored form, trimmed; null when there is none to save. */
  unsubscribe: string | null;
  /** When to send (ms since epoch), or null for now. */
  at: number | null;
}

export function useSendWithUndo(savedId: number | undefined, fields: CampaignFields, skipFiles: boolean) {
  const [draftId, setDraftId] = useState<number | undefined>(savedId);
  const [countdown, setCountdown] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<AppError | undefined>();
  const timer = useRef<ReturnType<typeof setInterval> | undefined>(undefined);
  useEffect(() => () => clearInterval(timer.current), []);

  const { unsubscribe, at, ...input } = fields;

  /** Saves the draft; its id, or undefined when the core refused (the error is shown). */
  const saveDraft = async (): Promise<number | undefined> => {
    setSendError(undefined);
    const r = draftId === undefined
      ? await call('campaignsCreate', { ...input, ...(unsubscribe !== null ? { unsubscribe } : {}), ...(at ? { at } : {}) })
      : await call('campaignsUpdate', { campaign: draftId, ...input, unsubscribe, at });
    if (!r.ok) {
      setSendError(r.error);
      return undefined;
    }
    setDraftId(r.value.id);
    return r.value.id;
  };

  const reallySend = async () => {
    setSending(true);
    const id = await saveDraft();
    if (id === undefined) return setSending(false);
    const r = await call('campaignsSend', { campaign: id, ...(skipFiles ? { skipUnreadableAttachments: true } : {}) });
    setSending(false);
    invalidate();
    if (!r.ok) return setSendError(r.error);
    navigate(href('campaigns', id));
  };

  const startCountdown = () => {
    setCountdown(UNDO_SECONDS);
    const started = Date.now();
    timer.current = setInterval(() => {
      const left = UNDO_SECONDS - Math.floor((Date.now() - started) / 1000);
      if (left <= 0) {
        clearInterval(timer.current);
        setCountdown(null);
        void reallySend();
      } else setCountdown(left);
    }, 200);
  };

  const undo = () => {
    clearInterval(timer.current);
    setCountdown(null);
    notifyDone(t('composer.undone'), t('composer.undoneTitle'));
  };

  return {
    saveDraft,
    send: () => (at ? void reallySend() : startCountdown()),
    undo,
    /** Seconds left to undo, or null when no countdown runs. */
    countdown,
    sending,
    sendError,
  };
}
