/**
 * Settings → Sign-in apps: the app registrations (client IDs) that "Sign in with Microsoft / Google" use by
 * default, where each one comes from, and a place to enter the one a business registered itself.
 */
import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { SignInApp } from '../../../../shared/contract/relays';
import type { AppError } from '../../../../shared/result';
import { call, invalidate, useQuery } from '../../api/hooks';
import { CoreError, notifyDone } from '../../components/CoreError';
import { Loading } from '../../components/Page';
import { t } from '../../i18n';

function source(a: SignInApp): string {
  switch (a.source) {
    case 'environment':
      return t('settings.signInApps.fromEnv', { env: a.env ?? '' });
    case 'settings':
      return t('settings.signInApps.fromSettings', { clientId: a.clientId ?? '' });
    case 'built-in':
      return t('settings.signInApps.builtIn');
    case 'none':
      return t('settings.signInApps.none', { provider: a.label });
  }
}

function AppRow({ app }: { app: SignInApp }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<AppError | undefined>();
  const save = async (clientId: string | null) => {
    setError(undefined);
    const r = await call('relaysSetSignInApp', { provider: app.provider, clientId });
    if (!r.ok) return setError(r.error);
    setValue('');
    invalidate();
    notifyDone(clientId ? t('settings.signInApps.saved', { provider: app.label }) : t('settings.signInApps.cleared', { provider: app.label }));
  };
  return (
    <Stack gap={4}>
      <Group align="flex-end" gap="xs">
        <TextInput
          label={t('settings.signInApps.clientId', { provider: app.label })}
          description={source(app)}
          placeholder={app.clientId ?? t('settings.signInApps.placeholder')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          w={440}
        />
        <Button variant="default" disabled={!value.trim()} onClick={() => void save(value.trim())}>
          {t('settings.save')}
        </Button>
        {app.source === 'settings' && (
          <Button variant="subtle" onClick={() => void save(null)}>
            {t('settings.clear')}
          </Button>
        )}
      </Group>
      {error && <CoreError error={error} />}
    </Stack>
  );
}

export function SignInApps() {
  const apps = useQuery('relaysSignInApps', {});
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb={4}>
        {t('settings.signInApps.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('settings.signInApps.intro')}
      </Text>
      <Loading {...apps}>
        {(list) => (
          <Stack>
            {list.map((a) => (
              <AppRow key={a.provider} app={a} />
            ))}
          </Stack>
        )}
      </Loading>
    </Paper>
  );
}
