/**
 * The message as one recipient of the list gets it (`templates:preview`), for the subject and content steps: the
 * template merged with that recipient's row, the unsubscribe and the campaign's name. It starts at the first
 * recipient and goes back there when the list changes.
 */
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import type { ListSummary } from '../../../../../shared/contract/recipients';
import type { Template, TemplatePreview } from '../../../../../shared/contract/templates';
import type { AppError } from '../../../../../shared/result';
import type { UnsubscribeMethods } from '../../../../../shared/unsubscribe';
import { useQuery } from '../../../api/hooks';

export interface MessagePreviewState {
  value: TemplatePreview | undefined;
  error: AppError | undefined;
  /** Which recipient of the list it shows, from 0. */
  index: number;
  setIndex: (index: number) => void;
}

export function useMessagePreview(template: Template | undefined, list: ListSummary | undefined, unsub: UnsubscribeMethods | null, name: string): MessagePreviewState {
  const [index, setIndex] = useState(0);
  useEffect(() => setIndex(0), [list?.id]);
  const [debUnsub] = useDebouncedValue(unsub ? JSON.stringify(unsub) : '', 400);
  // The campaign name only changes the {{ campaign }} field: a new preview once typing pauses, not per keystroke.
  const [debName] = useDebouncedValue(name, 600);
  const query = useQuery(
    'templatesPreview',
    {
      id: template?.id ?? 0,
      ...(list ? { list: list.name, index } : {}),
      unsubscribe: debUnsub ? (JSON.parse(debUnsub) as { url?: string; mailto?: string }) : null,
      campaignName: debName || undefined,
    },
    { enabled: !!template, keepOnError: true, live: false },
  );
  return { value: query.data, error: query.error, index, setIndex };
}
