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
        Showing a sample recipient with made-up values
      </Text>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Tooltip label="Previous recipient">
        <ActionIcon variant="default" aria-label="Previous recipient" disabled={index <= 0} onClick={() => onChange(index - 1)}>
          <Arrow dir="left" />
        </ActionIcon>
      </Tooltip>
      <Text size="sm" aria-live="polite" style={{ whiteSpace: 'nowrap' }}>
        Recipient {(index + 1).toLocaleString()} of {total.toLocaleString()}
        {email ? <Text span c="dimmed" size="sm">{` · ${email}`}</Text> : null}
      </Text>
      <Tooltip label="Next recipient">
        <ActionIcon variant="default" aria-label="Next recipient" disabled={index >= total - 1} onClick={() => onChange(index + 1)}>
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
            aria-label="Preview width"
            value={width}
            onChange={(v) => setWidth(v as keyof typeof WIDTHS)}
            data={[
              { value: 'desktop', label: 'Desktop' },
              { value: 'mobile', label: 'Mobile' },
            ]}
          />
        </Group>
        {preview && (
          <Stack gap={2}>
            <Text size="sm">
              <Text span fw={600}>From: </Text>
              {preview.from}
            </Text>
            <Text size="sm">
              <Text span fw={600}>To: </Text>
              {preview.to}
            </Text>
            <Text size="sm">
              <Text span fw={600}>Subject: </Text>
              {preview.subject}
            </Text>
            {preview.attachments.filter((a) => !a.inline).length > 0 && (
              <Group gap={4}>
                <Text size="sm" fw={600}>
                  Attached:
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
          <Notice color="orange" title="This person's message can't be sent" role="alert">
            {preview.problem}
          </Notice>
        )}
        {extra}
        <Tabs defaultValue="html" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="html">Message</Tabs.Tab>
            <Tabs.Tab value="text">Plain text</Tabs.Tab>
            <Tabs.Tab value="headers">Headers</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="html" pt="xs">
            <Box style={{ display: 'flex', justifyContent: 'center', background: 'var(--mantine-color-default-hover)', borderRadius: 'var(--mantine-radius-sm)', padding: 8 }}>
              <iframe
                // Empty sandbox: the message's scripts, forms and links can do nothing here.
                sandbox=""
                title={preview ? `Preview of the message to ${preview.recipient.email}` : 'Message preview'}
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
