/**
 * "Written in": Visual editor, HTML or Markdown. Switching converts the body where it can, and when the switch
 * would lose something it says what before doing it (never silently, never a bare "Are you sure?").
 */
import { Button, Group, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { Marked } from 'marked';
import { useState } from 'react';
import type { TemplateFormat } from '../../../../../shared/contract/templates';
import { editorHtmlFromBody, fragmentOf, switchLoss } from './document';
import { t } from '../../../i18n';

const formatName = (f: TemplateFormat): string => (f === 'visual' ? t('visual.format.visual') : f === 'html' ? 'HTML' : 'Markdown');
const marked = new Marked({ gfm: true, async: false });

/** The body in the new format (and no editor document: the visual editor builds one from the body). */
export function convertBody(from: TemplateFormat, to: TemplateFormat, body: string): string {
  if (from === to) return body;
  if (to === 'visual') return editorHtmlFromBody(from === 'markdown' ? (marked.parse(body) as string) : fragmentOf(body));
  if (from === 'visual' && to === 'markdown') {
    const doc = new DOMParser().parseFromString(`<body>${body}</body>`, 'text/html');
    doc.querySelectorAll('[data-logo], [data-footer] p:last-child').forEach((el) => el.remove());
    doc.querySelectorAll('p, h1, h2, h3, li, div').forEach((el) => el.append('\n\n'));
    return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim() + '\n';
  }
  // Visual → HTML: the stored body already is the email HTML of the blocks.
  return body;
}

/** `untouched`: nothing written yet (a new blank template), so nothing can be lost and nothing is asked. */
export function FormatSwitch({ format, body, untouched, onSwitch }: { format: TemplateFormat; body: string; untouched?: boolean; onSwitch(to: TemplateFormat): void }) {
  const [pending, setPending] = useState<{ to: TemplateFormat; loss: string } | null>(null);
  const choose = (to: TemplateFormat) => {
    const loss = untouched ? null : switchLoss(format, to, body);
    if (loss) setPending({ to, loss });
    else onSwitch(to);
  };
  return (
    <div>
      <Text size="sm" fw={500} id="format-label">
        {t('visual.writtenIn')}
      </Text>
      <SegmentedControl
        aria-labelledby="format-label"
        value={format}
        onChange={(v) => choose(v as TemplateFormat)}
        data={(['visual', 'html', 'markdown'] as const).map((v) => ({ value: v, label: formatName(v) }))}
      />
      <Modal opened={pending !== null} onClose={() => setPending(null)} title={pending ? t('visual.switchToQ', { format: formatName(pending.to) }) : ''}>
        <Stack gap="sm">
          <Text size="sm">{pending?.loss}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPending(null)}>
              {t('visual.keep', { format: formatName(format) })}
            </Button>
            <Button
              color="orange"
              onClick={() => {
                if (pending) onSwitch(pending.to);
                setPending(null);
              }}
            >
              {pending ? t('visual.switchTo', { format: formatName(pending.to) }) : ''}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </div>
  );
}
