/**
 * Add or change a relay: choose the provider, fill in what it needs, test the connection (the answer in plain
 * words, naming the step that failed), and see or change the provider's limits.
 */
import {
  Alert,
  Button,
  Checkbox,
  Group,
  List,
  NumberInput,
  Paper,
  PasswordInput,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { PresetInfo, PresetName, RelayLimits, RelaySummary, RelayTestResult, Security } from '../../../../shared/contract/relays';
import type { AppError } from '../../../../shared/result';
import { call, invalidate, useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { CoreError, notifyDone } from '../../components/CoreError';
import { Loading, Page } from '../../components/Page';
import { providerOf, SignIn, SignInFields, type SignInFieldsValue } from './SignIn';
import { NextStep } from '../../components/NextStep';
import { RelayServerFields } from './RelayServerFields';
import { t } from '../../i18n';
import { coreMessage } from '../../i18n/core-messages';

// Functions, not constants: worded in the language the window speaks when they are drawn.
const securityOptions = (): Array<{ value: Security; label: string }> => [
  { value: 'starttls', label: t('relayForm.sec.starttls') },
  { value: 'tls', label: t('relayForm.sec.tls') },
  { value: 'none', label: t('relayForm.sec.none') },
];

/** A provider's name and advice in the window's words (the core's presets carry English). */
const PRESET_NOTES = {
  gmail: 'preset.gmail.notes',
  workspace: 'preset.workspace.notes',
  m365: 'preset.m365.notes',
  ses: 'preset.ses.notes',
  sendgrid: 'preset.sendgrid.notes',
  mailgun: 'preset.mailgun.notes',
  postmark: 'preset.postmark.notes',
  custom: 'preset.custom.notes',
} as const;
const presetLabel = (p: PresetInfo) => (p.name === 'custom' ? t('preset.custom.label') : p.label);
const presetNotes = (p: PresetInfo) => (p.name in PRESET_NOTES ? t(PRESET_NOTES[p.name as keyof typeof PRESET_NOTES]) : p.notes);

/** The relay test's steps (the core's names for them) in the window's words. */
function stepName(step: string): string | undefined {
  const key = (
    {
      dns: 'relayForm.step.dns',
      tcp: 'relayForm.step.tcp',
      tls: 'relayForm.step.tls',
      smtp: 'relayForm.step.smtp',
      auth: 'relayForm.step.auth',
      // The core's words for its steps (relay/test-relay.ts STEP_WORDS), as a test's `passed` lists them.
      authentication: 'relayForm.step.auth',
      'test message': 'relayForm.step.send',
      'sign-in discovery': 'relayForm.step.discovery',
      'access token': 'relayForm.step.accessToken',
      token: 'relayForm.step.token',
      send: 'relayForm.step.send',
    } as const
  )[step.toLowerCase()];
  return key ? t(key) : undefined;
}

interface FormState {
  preset: PresetName;
  name: string;
  host: string;
  port: number;
  security: Security;
  user: string;
  auth: 'none' | 'password' | 'oauth2';
  password: string;
  acceptSelfSigned: boolean;
  limits: RelayLimits;
  sendTo: string;
  /** Sign-in (OAuth2) settings; empty = the relay's saved ones or the provider's defaults. */
  oauth: SignInFieldsValue;
  /** "Other SMTP server": find the port and encryption by trying the usual ones (relays:detect). */
  detect: boolean;
}

function fromPreset(p: PresetInfo, name: string): FormState {
  return {
    preset: p.name,
    name,
    host: p.host ?? '',
    port: p.port,
    security: p.security,
    user: p.user ?? '',
    // Microsoft 365 and Google: signing in is the way in (password sign-in is being switched off).
    auth: p.auth[0] ?? 'password',
    password: '',
    acceptSelfSigned: false,
    limits: { ...p.limits },
    sendTo: '',
    oauth: { oauthIssuer: '', oauthClientId: '' },
    detect: p.name === 'custom',
  };
}

function fromRelay(r: RelaySummary): FormState {
  return {
    preset: (r.preset as PresetName) ?? 'custom',
    name: r.name,
    host: r.host,
    port: r.port,
    security: r.security,
    user: r.user ?? '',
    auth: r.auth,
    password: '',
    acceptSelfSigned: r.acceptSelfSigned,
    limits: { ...r.limits },
    sendTo: '',
    oauth: { oauthIssuer: '', oauthClientId: '' },
    detect: false,
  };
}

export function NewRelay() {
  const presets = useQuery('relaysPresets', {});
  return (
    <Page title={t('relayForm.titleNew')} description={t('relayForm.descriptionNew')}>
      <Loading {...presets}>{(list) => <RelayEditor presets={list} />}</Loading>
    </Page>
  );
}

export function EditRelay({ name }: { name: string }) {
  const presets = useQuery('relaysPresets', {});
  const relay = useQuery('relaysGet', { relay: name });
  return (
    <Page title={t('relayForm.titleEdit', { name })} description={t('relayForm.descriptionEdit')}>
      <Loading data={presets.data && relay.data ? { presets: presets.data, relay: relay.data } : undefined} error={presets.error ?? relay.error} reload={relay.reload}>
        {({ presets: list, relay: r }) => <RelayEditor presets={list} existing={r} />}
      </Loading>
    </Page>
  );
}

function RelayEditor({ presets, existing }: { presets: PresetInfo[]; existing?: RelaySummary }) {
  const [form, setForm] = useState<FormState>(() => (existing ? fromRelay(existing) : fromPreset(presets[0]!, presetLabel(presets[0]!))));
  /** The relay as saved: set once the form has been saved, so later saves update it. */
  const [saved, setSaved] = useState<RelaySummary | undefined>(existing);
  const [busy, setBusy] = useState<'save' | 'test' | undefined>();
  const [error, setError] = useState<AppError | undefined>();
  const [test, setTest] = useState<RelayTestResult | undefined>();
  const preset = presets.find((p) => p.name === form.preset) ?? presets[presets.length - 1]!;
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));

  // A changed setting makes the last test answer stale, except the port and encryption a detection just filled in.
  const keepTest = useRef(false);
  useEffect(() => {
    if (keepTest.current) keepTest.current = false;
    else setTest(undefined);
  }, [form.host, form.port, form.security, form.user, form.password, form.auth]);

  const choosePreset = (name: string) => {
    const p = presets.find((x) => x.name === name);
    if (!p) return;
    const keepName = form.name && !presets.some((x) => presetLabel(x) === form.name);
    setForm({ ...fromPreset(p, keepName ? form.name : presetLabel(p)), user: p.user ?? form.user, password: form.password });
  };

  const save = async (found?: { host: string; port: number; security: Security }): Promise<RelaySummary | undefined> => {
    setError(undefined);
    const fields = {
      preset: form.preset,
      host: found?.host ?? form.host.trim(),
      port: found?.port ?? form.port,
      security: found?.security ?? form.security,
      // A sign-in fills in its own address: an empty field leaves it as it is.
      ...(form.auth === 'oauth2' && !form.user.trim() ? {} : { user: form.auth === 'none' ? null : form.user.trim() || null }),
      auth: form.auth,
      ...(form.password && form.auth !== 'oauth2' ? { password: form.password } : {}),
      ...(form.auth === 'oauth2' && form.oauth.oauthIssuer.trim() ? { oauthIssuer: form.oauth.oauthIssuer.trim() } : {}),
      ...(form.auth === 'oauth2' && form.oauth.oauthClientId.trim() ? { oauthClientId: form.oauth.oauthClientId.trim() } : {}),
      acceptSelfSigned: form.acceptSelfSigned,
      limits: form.limits,
    };
    const r = saved ? await call('relaysUpdate', { relay: saved.name, name: form.name.trim(), ...fields }) : await call('relaysCreate', { name: form.name.trim(), ...fields });
    if (!r.ok) {
      setError(r.error);
      return undefined;
    }
    setSaved(r.value);
    setForm((f) => ({ ...f, password: '' }));
    invalidate();
    return r.value;
  };

  const saveAndTest = async () => {
    setBusy('test');
    setTest(undefined);
    if (detecting) {
      // Nothing is saved until a port and encryption that work are found.
      const d = await call('relaysDetect', {
        draft: { preset: 'custom', host: form.host.trim(), user: form.auth === 'none' ? null : form.user.trim() || null, auth: form.auth, ...(form.password ? { password: form.password } : {}), acceptSelfSigned: form.acceptSelfSigned },
      });
      if (!d.ok) setError(d.error);
      else if (!d.value.ok) setTest(d.value);
      else {
        const found = { host: d.value.host, port: d.value.port, security: d.value.security };
        const relay = await save(found);
        if (relay) {
          keepTest.current = true;
          setForm((f) => ({ ...f, ...found, detect: false }));
          setTest({ ok: true, message: d.value.message, ...(d.value.note ? { note: d.value.note } : {}), passed: d.value.passed });
          notifyDone(t('relayForm.saved', { name: relay.name }));
        }
      }
      setBusy(undefined);
      return;
    }
    const relay = await save();
    if (relay) {
      const r = await call('relaysTest', { relay: relay.name, ...(form.sendTo.trim() ? { sendTo: form.sendTo.trim() } : {}) });
      if (r.ok) setTest(r.value);
      else setError(r.error);
      // The test may have pinned the server's self-signed certificate: show its fingerprint.
      const again = await call('relaysGet', { relay: relay.name });
      if (again.ok) setSaved(again.value);
    }
    setBusy(undefined);
  };

  const saveOnly = async () => {
    setBusy('save');
    const relay = await save();
    setBusy(undefined);
    if (relay) {
      notifyDone(t('relayForm.saved', { name: relay.name }));
      navigate(href('relays'));
    }
  };

  const remove = async () => {
    if (!saved) return;
    const r = await call('relaysRemove', { relay: saved.name });
    if (r.ok) {
      invalidate();
      notifyDone(t('relayForm.removed', { name: saved.name }));
      navigate(href('relays'));
    } else setError(r.error);
  };

  const detecting = form.preset === 'custom' && form.detect && !saved;
  const needsPassword = form.auth === 'password' && !(saved && saved.passwordSource !== 'none');
  const needsIssuer = form.auth === 'oauth2' && !providerOf(form.preset) && !form.oauth.oauthIssuer.trim() && !saved?.oauth?.issuer;
  const canSave = form.name.trim() && form.host.trim() && (!needsPassword || form.password) && (form.auth !== 'password' || form.user.trim()) && !needsIssuer;

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void saveAndTest();
      }}
    >
      <Stack maw={860}>
        <Paper withBorder p="md">
          <Radio.Group label={<Title order={2} size="h4">{t('relayForm.provider')}</Title>} value={form.preset} onChange={choosePreset}>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} mt="sm">
              {presets.map((p) => (
                <Radio key={p.name} value={p.name} label={presetLabel(p)} />
              ))}
            </SimpleGrid>
          </Radio.Group>
          <Text size="sm" c="dimmed" mt="sm">
            {presetNotes(preset)}
          </Text>
        </Paper>

        <Paper withBorder p="md">
          <Stack>
            <Title order={2} size="h4">
              {t('relayForm.account')}
            </Title>
            <TextInput label={t('relayForm.name')} description={t('relayForm.nameHint')} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} required maw={360} />
            <RelayServerFields
              detect={detecting}
              host={form.host}
              port={form.port}
              security={form.security}
              securityOptions={securityOptions()}
              canDetect={form.preset === 'custom' && !saved}
              onChange={(v) => setForm((f) => ({ ...f, ...v }))}
            />
            {preset.auth.length > 0 && (
              <div>
                <Text size="sm" fw={500} id="signin-label">
                  {t('relayForm.signInWith')}
                </Text>
                <SegmentedControl
                  aria-labelledby="signin-label"
                  value={form.auth}
                  onChange={(v) => set('auth', v as FormState['auth'])}
                  data={[
                    ...(preset.auth.includes('password') ? [{ value: 'password', label: t('relayForm.auth.password') }] : []),
                    ...(preset.auth.includes('oauth2') ? [{ value: 'oauth2', label: t('relayForm.auth.oauth', { provider: providerOf(form.preset)?.label ?? 'OAuth2' }) }] : []),
                    ...(form.preset === 'custom' ? [{ value: 'none', label: t('relayForm.auth.none') }] : []),
                  ]}
                />
              </div>
            )}
            {form.auth === 'oauth2' && (
              <>
                <SignIn preset={form.preset} saved={saved} prepare={save} disabled={!canSave} />
                <SignInFields preset={form.preset} value={form.oauth} onChange={(v) => set('oauth', v)} saved={saved} />
              </>
            )}
            {form.auth === 'password' && (
              <Group grow align="flex-start">
                <TextInput label={t('relayForm.user')} placeholder="you@example.com" value={form.user} onChange={(e) => set('user', e.currentTarget.value)} autoComplete="username" required />
                <PasswordInput
                  label={t('relayForm.password')}
                  description={saved && saved.passwordSource !== 'none' ? t('relayForm.passwordSaved') : t('relayForm.passwordKept')}
                  value={form.password}
                  onChange={(e) => set('password', e.currentTarget.value)}
                  autoComplete="new-password"
                  required={needsPassword}
                  visibilityToggleButtonProps={{ 'aria-label': t('relayForm.showPassword') }}
                />
              </Group>
            )}
            {form.preset === 'custom' && (
              <Checkbox
                label={t('relayForm.selfSigned')}
                description={
                  saved?.acceptSelfSigned && saved.tlsFingerprint
                    ? t('relayForm.selfSignedPinned', { fingerprint: saved.tlsFingerprint })
                    : t('relayForm.selfSignedHint')
                }
                checked={form.acceptSelfSigned}
                onChange={(e) => set('acceptSelfSigned', e.currentTarget.checked)}
              />
            )}
          </Stack>
        </Paper>

        <Paper withBorder p="md">
          <Title order={2} size="h4">
            {t('relayForm.limits')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('relayForm.limitsIntro')} {form.preset === 'custom' ? t('relayForm.limitsAsk') : t('relayForm.limitsFilled', { provider: preset.label })} {t('relayForm.limitsEmpty')}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 5 }}>
            {(
              [
                ['perSecond', t('relayForm.perSecond')],
                ['perMinute', t('relayForm.perMinute')],
                ['perHour', t('relayForm.perHour')],
                ['perDay', t('relayForm.perDay')],
              ] as const
            ).map(([k, label]) => (
              <NumberInput
                key={k}
                label={label}
                placeholder={t('relayForm.noLimit')}
                value={form.limits[k] ?? ''}
                min={1}
                allowDecimal={false}
                thousandSeparator=","
                onChange={(v) => set('limits', { ...form.limits, [k]: v === '' || Number(v) < 1 ? null : Number(v) })}
              />
            ))}
            <NumberInput label={t('relayForm.connections')} value={form.limits.connections} min={1} max={50} allowDecimal={false} onChange={(v) => set('limits', { ...form.limits, connections: Math.max(1, Number(v) || 1) })} />
          </SimpleGrid>
          {saved && (
            <Text size="sm" mt="sm">
              {saved.quota.dailyLimit ? t('relayForm.usedOf', { used: saved.quota.usedToday, limit: saved.quota.dailyLimit }) : t('relayForm.used', { used: saved.quota.usedToday })}
            </Text>
          )}
        </Paper>

        <Paper withBorder p="md">
          <Stack>
            <Title order={2} size="h4">
              {t('relayForm.testTitle')}
            </Title>
            <TextInput
              label={t('relayForm.sendTo')}
              description={t('relayForm.sendToHint')}
              placeholder="you@example.com"
              value={form.sendTo}
              onChange={(e) => set('sendTo', e.currentTarget.value)}
              maw={440}
              type="email"
            />
            {error && <CoreError error={error} />}
            {test && <TestAnswer result={test} />}
            <Group>
              <Button type="submit" loading={busy === 'test'} disabled={!canSave || !!busy}>
                {t('relayForm.saveAndTest')}
              </Button>
              {!detecting && (
                <Button variant="default" onClick={() => void saveOnly()} loading={busy === 'save'} disabled={!canSave || !!busy}>
                  {test?.ok ? t('relayForm.done') : t('relayForm.saveOnly')}
                </Button>
              )}
              {test?.ok && <NextStep after="relay" />}
              {existing && (
                <Button variant="subtle" color="red" onClick={() => void remove()} ml="auto">
                  {t('relayForm.remove')}
                </Button>
              )}
            </Group>
          </Stack>
        </Paper>
      </Stack>
    </form>
  );
}

function TestAnswer({ result }: { result: RelayTestResult }) {
  return (
    <Alert color={result.ok ? 'green' : 'red'} variant="light" title={result.ok ? t('relayForm.works') : t('relayForm.failed', { step: stepName(result.step) ?? t('relayForm.theTest') })} role={result.ok ? 'status' : 'alert'}>
      <Stack gap="xs">
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {result.note ? coreMessage({ ...result.note, message: result.message }) : result.message}
        </Text>
        {result.passed.length > 0 && (
          <List size="sm" spacing={2} listStyleType="none" aria-label={t('relayForm.stepsOk')}>
            {result.passed.map((s, i) => (
              <List.Item key={i}>✓ {stepName(s) ?? s}</List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Alert>
  );
}
