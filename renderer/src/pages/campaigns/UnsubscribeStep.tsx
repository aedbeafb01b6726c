/**
 * How people leave the list, in plain words: by e-mail (a mailto: address Postroom reads back from the mailbox)
 * and/or by a link (an https: page on your site, which makes Gmail and Yahoo show a one-click Unsubscribe).
 * Defaults to a mailto on the sending account. The value is the campaign's stored form (one method a line);
 * shared/unsubscribe.ts is the one parser of it.
 */
import { Checkbox, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { formatUnsubscribe, parseUnsubscribe } from '../../../../shared/unsubscribe';
import { t } from '../../i18n';

export function UnsubscribeStep({
  value,
  onChange,
  sendingAddress,
  saved = false,
}: {
  value: string;
  onChange: (v: string) => void;
  sendingAddress: string | undefined;
  /** A saved campaign shows what it has, even none: only a new one gets the default. */
  saved?: boolean;
}) {
  const parsed = parseUnsubscribe(value);
  const methods = parsed.ok ? (parsed.value ?? {}) : {};
  // The inputs keep what the person typed, even while it doesn't parse yet.
  const lines = value.split('\n');
  const mailtoText = methods.mailto ?? lines.find((l) => /^mailto:/i.test(l.trim())) ?? '';
  const urlText = methods.url ?? lines.find((l) => l.trim() && !/^mailto:/i.test(l.trim())) ?? '';
  const set = (mailto: string | null, url: string | null) => onChange([mailto, url].filter((s): s is string => s !== null && s.trim() !== '').join('\n'));

  // A new campaign starts with a mailto on the sending account: Postroom processes those requests itself.
  const touched = useRef(saved || value !== '');
  useEffect(() => {
    if (!touched.current && !value && sendingAddress) onChange(formatUnsubscribe({ mailto: `mailto:${sendingAddress}` }) ?? '');
  }, [sendingAddress, value, onChange]);

  const byMail = mailtoText !== '';
  return (
    <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
      <Text component="legend" fw={500} size="sm">
        {t('unsub.legend')}
      </Text>
      <Checkbox
        label={t('unsub.byMail')}
        description={t('unsub.byMailHint')}
        checked={byMail}
        onChange={(e) => {
          touched.current = true;
          set(e.currentTarget.checked ? `mailto:${sendingAddress ?? ''}` : null, urlText || null);
        }}
      />
      {byMail && (
        <TextInput
          label={t('unsub.address')}
          value={mailtoText.replace(/^mailto:/i, '')}
          onChange={(e) => {
            touched.current = true;
            set(`mailto:${e.currentTarget.value}`, urlText || null);
          }}
          placeholder={sendingAddress ?? 'you@example.com'}
          ml={32}
        />
      )}
      <TextInput
        label={t('unsub.link')}
        description={t('unsub.linkHint', { email: '{{ email }}' })}
        placeholder="https://example.com/unsubscribe?email={{ email }}"
        value={urlText}
        onChange={(e) => {
          touched.current = true;
          set(mailtoText || null, e.currentTarget.value);
        }}
        error={!parsed.ok ? parsed.error.charAt(0).toUpperCase() + parsed.error.slice(1) : undefined}
      />
    </Stack>
  );
}
