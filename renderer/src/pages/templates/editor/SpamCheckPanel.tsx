/**
 * The spam check under the preview: on request, the message runs through local SpamAssassin, and the panel shows
 * the score against the threshold and the rules that scored (or why the check could not run).
 */
import { Button, Group, List, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { call } from '../../../api/hooks';
import { CoreError } from '../../../components/CoreError';
import type { ListSummary } from '../../../../../shared/contract/recipients';
import type { SpamCheck, TemplateDraft } from '../../../../../shared/contract/templates';
import type { AppError } from '../../../../../shared/result';
import { rich } from '../../../i18n/rich';
import { t } from '../../../i18n';
import { forCore } from './draft';

interface Props {
  draft: TemplateDraft;
  /** The saved template the draft belongs to: its files (pictures) go into the message checked. */
  templateId: number | undefined;
  list: ListSummary | undefined;
  /** The recipient of the list the preview shows: the message checked is theirs. */
  index: number;
}

export function SpamCheckPanel({ draft, templateId, list, index }: Props) {
  const [spam, setSpam] = useState<{ value?: SpamCheck; error?: AppError; busy: boolean }>({ busy: false });
  const runSpam = async () => {
    setSpam({ busy: true });
    const r = await call('templatesSpamCheck', { draft: forCore(draft), ...(templateId !== undefined ? { templateId } : {}), ...(list ? { list: list.name, index } : {}) });
    setSpam(r.ok ? { value: r.value, busy: false } : { error: r.error, busy: false });
  };
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={t('templateEditor.spam')}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {t('templateEditor.spam')}
        </Text>
        <Button size="xs" variant="default" onClick={() => void runSpam()} loading={spam.busy}>
          {t('templateEditor.spamRun')}
        </Button>
      </Group>
      {spam.error && <CoreError error={spam.error} title={t('templateEditor.spamFailed')} />}
      {spam.value && <SpamResult s={spam.value} />}
    </Paper>
  );
}

function SpamResult({ s }: { s: SpamCheck }) {
  if (!s.available) {
    return (
      <Text size="sm" mt="xs">
        {t('templateEditor.spamMissing')} {s.message}
      </Text>
    );
  }
  const high = s.score !== null && s.threshold !== null && s.score >= s.threshold;
  return (
    <Stack gap={4} mt="xs">
      <Text size="sm" role="status">
        {rich('templateEditor.spamScore', { score: s.score ?? 0, threshold: s.threshold ?? 0, high: high ? 'yes' : 'no', b: (chunks) => <b>{chunks}</b> })}
      </Text>
      <Text size="sm" c="dimmed">
        {s.message}
      </Text>
      {s.rules.length > 0 && (
        <List size="xs" spacing={2}>
          {s.rules
            .filter((r) => r.score !== 0)
            .sort((a, b) => b.score - a.score)
            .map((r) => (
              <List.Item key={r.name}>
                <b>{r.score > 0 ? `+${r.score.toFixed(1)}` : r.score.toFixed(1)}</b> {r.description} <Text span c="dimmed" size="xs">({r.name})</Text>
              </List.Item>
            ))}
        </List>
      )}
    </Stack>
  );
}
