/**
 * Signing in to a relay that takes no password (Microsoft 365, Google): "Sign in with Microsoft" opens the
 * provider's own page (the system browser in the desktop app, a new tab in the browser), the form waits with a
 * Cancel, then shows the signed-in address and Sign out. Also the few settings of a sign-in (provider address for
 * other servers, the app registration's client ID), explained in plain words.
 */
import { Alert, Button, Group, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PresetName, RelaySummary } from '../../../../shared/contract/relays';
import type { AppError } from '../../../../shared/result';
import { api } from '../../api';
import { call, invalidate, useQuery } from '../../api/hooks';
import { CoreError } from '../../components/CoreError';
import { t } from '../../i18n';
import { rich } from '../../i18n/rich';

/** The provider behind a preset: the words on its button. */
export function providerOf(preset: PresetName): { key: 'microsoft' | 'google'; label: string } | null {
  if (preset === 'm365') return { key: 'microsoft', label: 'Microsoft' };
  if (preset === 'gmail' || preset === 'workspace') return { key: 'google', label: 'Google' };
  return null;
}

export interface SignInFieldsValue {
  oauthIssuer: string;
  oauthClientId: string;
}

/** The sign-in settings: the provider's address (only for other servers) and the client ID, with its default said plainly. */
export function SignInFields({ preset, value, onChange, saved }: { preset: PresetName; value: SignInFieldsValue; onChange: (v: SignInFieldsValue) => void; saved?: RelaySummary }) {
  const apps = useQuery('relaysSignInApps', {});
  const provider = providerOf(preset);
  const app = provider ? apps.data?.find((a) => a.provider === provider.key) : undefined;
  const ownId = saved?.oauth?.clientIdSource === 'relay' ? saved.oauth.clientId : null;
  const defaultWords = !provider
    ? t('signIn.clientIdHint')
    : app?.clientId
      ? t('signIn.clientIdDefault', { source: app.source === 'built-in' ? 'builtIn' : app.source === 'settings' ? 'settings' : 'env', env: app.env ?? '' })
      : t('signIn.noApp', { provider: provider.label });
  return (
    <Stack gap="sm">
      {!provider && (
        <TextInput
          label={t('signIn.issuer')}
          description={t('signIn.issuerHint')}
          placeholder="https://login.example.com"
          value={value.oauthIssuer || (saved?.oauth?.issuer ?? '')}
          onChange={(e) => onChange({ ...value, oauthIssuer: e.currentTarget.value })}
          required
          maw={520}
        />
      )}
      <TextInput
        label={t('signIn.clientId')}
        description={defaultWords}
        placeholder={ownId ?? app?.clientId ?? t('signIn.clientIdPlaceholder')}
        value={value.oauthClientId}
        onChange={(e) => onChange({ ...value, oauthClientId: e.currentTarget.value })}
        maw={520}
      />
    </Stack>
  );
}

type Phase = { kind: 'idle' } | { kind: 'waiting'; attempt: string; url: string } | { kind: 'failed'; message: string };

/**
 * The sign-in itself. `prepare` saves the form first (a sign-in belongs to a saved relay) and answers with it.
 */
export function SignIn({ preset, saved, prepare, disabled }: { preset: PresetName; saved?: RelaySummary; prepare: () => Promise<RelaySummary | undefined>; disabled?: boolean }) {
  const provider = providerOf(preset);
  const words = provider?.label ?? t('signIn.theProvider');
  const info = useQuery('appInfo', {});
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<AppError | undefined>();
  const relay = useQuery('relaysGet', { relay: saved?.name ?? '' }, { enabled: !!saved, refreshOn: ['relays:changed'] });
  const current = relay.data ?? saved;

  useEffect(() => {
    if (phase.kind !== 'waiting') return;
    return api.on('relays:signInDone', (d) => {
      if (d.attempt !== phase.attempt) return;
      setPhase(d.ok ? { kind: 'idle' } : { kind: 'failed', message: d.message });
      invalidate();
    });
  }, [phase]);

  // Leaving the form stops the wait.
  useEffect(() => () => {
    if (phase.kind === 'waiting') void call('relaysSignInCancel', { attempt: phase.attempt });
  }, [phase]);

  const start = async () => {
    setError(undefined);
    const r0 = await prepare();
    if (!r0) return;
    const r = await call('relaysSignIn', { relay: r0.name });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setPhase({ kind: 'waiting', attempt: r.value.attempt, url: r.value.url });
  };

  const cancel = async () => {
    if (phase.kind !== 'waiting') return;
    await call('relaysSignInCancel', { attempt: phase.attempt });
    setPhase({ kind: 'idle' });
  };

  const signOut = async () => {
    if (!current) return;
    const r = await call('relaysSignOut', { relay: current.name });
    if (!r.ok) setError(r.error);
    invalidate();
  };

  const signedIn = current?.auth === 'oauth2' && current.signedIn;
  const again = current?.auth === 'oauth2' && !current.signedIn && !!current.oauth?.problem;
  const label = again ? t('signIn.signInAgainWith', { provider: words }) : t('signIn.signInWith', { provider: words });

  return (
    <Stack gap="sm" aria-live="polite">
      {phase.kind === 'waiting' ? (
        <Alert variant="light" color="blue" title={t('signIn.waiting')} icon={<Loader size="xs" />}>
          <Stack gap="xs">
            <Text size="sm">
              {info.data?.host === 'desktop'
                ? t('signIn.browserOpened', { provider: words })
                : t('signIn.openTab', { provider: words })}
            </Text>
            <Group>
              <Button component="a" href={phase.url} target="_blank" rel="noopener noreferrer" size="xs">
                {t('signIn.openPage', { provider: words })}
              </Button>
              <Button variant="default" size="xs" onClick={() => void cancel()}>
                {t('signIn.cancel')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : signedIn ? (
        <Group>
          <Text size="sm" role="status">
            {rich('signIn.signedInAs', { who: current.oauth?.signedInAs ?? current.user ?? '', b: (c) => <strong>{c}</strong> })}
          </Text>
          <Button variant="default" size="xs" onClick={() => void signOut()}>
            {t('signIn.signOut')}
          </Button>
        </Group>
      ) : (
        <Stack gap="xs">
          {again && (
            <Alert color="orange" variant="light" title={t('signIn.again')}>
              {current?.oauth?.problem}
            </Alert>
          )}
          <Group>
            <Button onClick={() => void start()} disabled={disabled}>
              {label}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('signIn.ownPage', { provider: words })}
          </Text>
        </Stack>
      )}
      {phase.kind === 'failed' && (
        <Alert color="red" variant="light" title={t('signIn.notSignedIn')} role="alert">
          {phase.message}
        </Alert>
      )}
      {error && <CoreError error={error} />}
    </Stack>
  );
}
