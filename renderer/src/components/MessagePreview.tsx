/**
 * One recipient's message exactly as the core would send it: the envelope lines, the HTML in a sandboxed
 * iframe (`sandbox=""` + srcdoc: no scripts, no forms, no navigation, and our CSP applies inside), a
 * desktop/mobile width switch, a way to step through real recipients, and the plain-text part.
 */
import { ActionIcon, Box, Group, Paper, SegmentedControl, Stack, Tabs, Text, Tooltip } from '@mantine/core';
import { Notice } from './Notice';
import { StateBadge } from './StateBadge';
import { useState, type ReactNode } from 'react';
import type { TemplatePreview } from '../../../shared/contract/templates';
import { t } from '../i18n';

const WIDTHS = { desktop: 680, mobile: 375 } as const;

function Arrow({ dir }: { dir: 'left' | 'right' }) {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={dir === 'left' ? 'M15 18l-6-6 6-6' : 'M9 18l6-6-6-6'} />
    </svg>
  );
}

export function RecipientStepper({ index, total, onChange, email }: { index: number; total: number; onChange: (i: number) => void; email?: string }) {
  if (total === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('preview.sample')}
      </Text>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Tooltip label={t('preview.previous')}>
        <ActionIcon variant="default" aria-label={t('preview.previous')} disabled={index <= 0} onClick={() => onChange(index - 1)}>
          <Arrow dir="left" />
        </ActionIcon>
      </Tooltip>
      <Text size="sm" aria-live="polite" style={{ whiteSpace: 'nowrap' }}>
        {t('preview.position', { n: index + 1, total })}
        {email ? <Text span c="dimmed" size="sm">{` · ${email}`}</Text> : null}
      </Text>
      <Tooltip label={t('preview.next')}>
        <ActionIcon variant="default" aria-label={t('preview.next')} disabled={index >= total - 1} onClick={() => onChange(index + 1)}>
          <Arrow dir="right" />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

export function MessagePreview({ preview, stepper, busy, extra }: { preview: TemplatePreview | undefined; stepper?: ReactNode; busy?: boolean; extra?: ReactNode }) {
  const [width, setWidth] = useState<keyof typeof WIDTHS>('desktop');
  return (
    <Paper withBorder p="sm" radius="md" aria-busy={busy || undefined}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          {stepper ?? <span />}
          <SegmentedControl
            size="xs"
            aria-label={t('preview.width')}
            value={width}
            onChange={(v) => setWidth(v as keyof typeof WIDTHS)}
            data={[
              { value: 'desktop', label: t('preview.desktop') },
              { value: 'mobile', label: t('preview.mobile') },
            ]}
          />
        </Group>
        {preview && (
          <Stack gap={2}>
            <Text size="sm">
              <Text span fw={600}>{t('preview.from')} </Text>
              {preview.from}
            </Text>
            <Text size="sm">
              <Text span fw={600}>{t('preview.to')} </Text>
              {preview.to}
            </Text>
            <Text size="sm">
              <Text span fw={600}>{t('preview.subject')} </Text>
              {preview.subject}
            </Text>
            {preview.attachments.filter((a) => !a.inline).length > 0 && (
              <Group gap={4}>
                <Text size="sm" fw={600}>
                  {t('preview.attached')}
                </Text>
                {preview.attachments
                  .filter((a) => !a.inline)
                  .map((a) => (
                    <StateBadge key={a.filename} color="indigo">
                      {a.filename}
                    </StateBadge>
                  ))}
              </Group>
            )}
          </Stack>
        )}
        {preview?.problem && (
          <Notice color="orange" title={t('preview.problem')} role="alert">
            {preview.problem}
          </Notice>
        )}
        {extra}
        <Tabs defaultValue="html" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="html">{t('preview.tabMessage')}</Tabs.Tab>
            <Tabs.Tab value="text">{t('preview.tabText')}</Tabs.Tab>
            <Tabs.Tab value="headers">{t('preview.tabHeaders')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="html" pt="xs">
            <Box style={{ display: 'flex', justifyContent: 'center', background: 'var(--mantine-color-default-hover)', borderRadius: 'var(--mantine-radius-sm)', padding: 8 }}>
              <iframe
                // Empty sandbox: the message's scripts, forms and links can do nothing here.
                sandbox=""
                title={preview ? t('preview.frameTitle', { email: preview.recipient.email }) : t('preview.frameTitleEmpty')}
                srcDoc={preview?.html ?? ''}
                style={{ width: WIDTHS[width], maxWidth: '100%', height: 560, border: 0, background: '#fff', borderRadius: 4 }}
              />
            </Box>
          </Tabs.Panel>
          <Tabs.Panel value="text" pt="xs">
            <Box component="pre" style={{ whiteSpace: 'pre-wrap', fontSize: 13, maxHeight: 560, overflow: 'auto', margin: 0 }}>
              {preview?.text ?? ''}
            </Box>
          </Tabs.Panel>
          <Tabs.Panel value="headers" pt="xs">
            <Box component="dl" style={{ fontSize: 13, maxHeight: 560, overflow: 'auto', margin: 0 }}>
              {(preview?.headers ?? []).map((h, i) => (
                <div key={i} style={{ display: 'flex', gap: 8 }}>
                  <dt style={{ fontWeight: 600, flex: '0 0 180px' }}>{h.name}</dt>
                  <dd style={{ margin: 0, wordBreak: 'break-all' }}>{h.value}</dd>
                </div>
              ))}
            </Box>
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Paper>
  );
}
