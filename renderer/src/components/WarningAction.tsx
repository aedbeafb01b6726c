/**
 * The window's own action for a warning from the core's check (the core's sentences name no command): the
 * DKIM warning links to Settings → Sender domains, where a key is set up and its DNS record shown.
 */
import { Anchor } from '@mantine/core';
import type { ReactNode } from 'react';
import { href } from '../app/router';
import type { ReviewItem } from '../../../shared/contract/sending';
import { t } from '../i18n';

export function warningAction(item: Pick<ReviewItem, 'code'>): ReactNode | undefined {
  if (item.code !== 'DKIM_MISSING') return undefined;
  return (
    <Anchor underline="always" size="sm" c="inherit" fw={600} href={href('settings', 'domains')}>
      {t('warningAction.domains')}
    </Anchor>
  );
}
