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
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PresetInfo, PresetName, RelayLimits, RelaySummary, RelayTestResult, Security } from '../../../../shared/contract/relays';
import type { AppError } from '../../../../shared/result';
import { call, invalidate, useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { CoreError, notifyDone } from '../../components/CoreError';
import { Loading, Page } from '../../components/Page';

const SECURITY: Array<{ value: Security; label: string }> = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)' },
  { value: 'tls', label: 'TLS from the start (usually port 465)' },
  { value: 'none', label: 'None: unencrypted (only for a server on your own network)' },
];

const STEP_NAMES: Record<string, string> = {
  dns: 'Finding the server',
  tcp: 'Connecting',
  tls: 'Securing the connection',
  smtp: 'Talking to the server',
  auth: 'Signing in',
  send: 'Sending the test message',
};

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
}

function fromPreset(p: PresetInfo, name: string): FormState {
  return {
    preset: p.name,
    name,
    host: p.host ?? '',
    port: p.port,
    security: p.security,
    user: p.user ?? '',
    auth: p.auth[0] === 'oauth2' && p.auth.includes('password') ? 'password' : (p.auth[0] ?? 'password'),
    password: '',
    acceptSelfSigned: false,
    limits: { ...p.limits },
    sendTo: '',
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
  };
}

export function NewRelay() {
  const presets = useQuery('relaysPresets', {});
  return (
    <Page title="Add a relay" description="A relay is the account or server your mail is sent through. Pick your provider: Postroom fills in its server and limits.">
      <Loading {...presets}>{(list) => <RelayEditor presets={list} />}</Loading>
    </Page>
  );
}

export function EditRelay({ name }: { name: string }) {
  const presets = useQuery('relaysPresets', {});
  const relay = useQuery('relaysGet', { relay: name });
  return (
    <Page title={`Relay “${name}”`} description="The account or server your mail is sent through.">
      <Loading data={presets.data && relay.data ? { presets: presets.data, relay: relay.data } : undefined} error={presets.error ?? relay.error} reload={relay.reload}>
        {({ presets: list, relay: r }) => <RelayEditor presets={list} existing={r} />}
      </Loading>
    </Page>
  );
}

function RelayEditor({ presets, existing }: { presets: PresetInfo[]; existing?: RelaySummary }) {
  const [form, setForm] = useState<FormState>(() => (existing ? fromRelay(existing) : fromPreset(presets[0]!, presets[0]!.label)));
  /** The relay as saved: set once the form has been saved, so later saves update it. */
  const [saved, setSaved] = useState<RelaySummary | undefined>(existing);
  const [busy, setBusy] = useState<'save' | 'test' | undefined>();
  const [error, setError] = useState<AppError | undefined>();
  const [test, setTest] = useState<RelayTestResult | undefined>();
  const preset = presets.find((p) => p.name === form.preset) ?? presets[presets.length - 1]!;
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));

  useEffect(() => setTest(undefined), [form.host, form.port, form.security, form.user, form.password, form.auth]);

  const choosePreset = (name: string) => {
    const p = presets.find((x) => x.name === name);
    if (!p) return;
    const keepName = form.name && !presets.some((x) => x.label === form.name);
    setForm({ ...fromPreset(p, keepName ? form.name : p.label), user: p.user ?? form.user, password: form.password });
  };

  const save = async (): Promise<RelaySummary | undefined> => {
    setError(undefined);
    const fields = {
      preset: form.preset,
      host: form.host.trim(),
      port: form.port,
      security: form.security,
      user: form.auth === 'none' ? null : form.user.trim() || null,
      auth: form.auth,
      ...(form.password ? { password: form.password } : {}),
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
    const relay = await save();
    if (relay) {
      const r = await call('relaysTest', { relay: relay.name, ...(form.sendTo.trim() ? { sendTo: form.sendTo.trim() } : {}) });
      if (r.ok) setTest(r.value);
      else setError(r.error);
    }
    setBusy(undefined);
  };

  const saveOnly = async () => {
    setBusy('save');
    const relay = await save();
    setBusy(undefined);
    if (relay) {
      notifyDone(`Saved the relay “${relay.name}”.`);
      navigate(href('relays'));
    }
  };

  const remove = async () => {
    if (!saved) return;
    const r = await call('relaysRemove', { relay: saved.name });
    if (r.ok) {
      invalidate();
      notifyDone(`Removed the relay “${saved.name}”. Its password was forgotten too.`);
      navigate(href('relays'));
    } else setError(r.error);
  };

  const needsPassword = form.auth !== 'none' && !(saved && saved.passwordSource !== 'none');
  const canSave = form.name.trim() && form.host.trim() && (!needsPassword || form.password) && (form.auth === 'none' || form.user.trim());

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void saveAndTest();
      }}
    >
      <Stack maw={860}>
        <Paper withBorder p="md">
          <Radio.Group label={<Title order={2} size="h4">Provider</Title>} value={form.preset} onChange={choosePreset}>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} mt="sm">
              {presets.map((p) => (
                <Radio key={p.name} value={p.name} label={p.label} />
              ))}
            </SimpleGrid>
          </Radio.Group>
          <Text size="sm" c="dimmed" mt="sm">
            {preset.notes}
          </Text>
        </Paper>

        <Paper withBorder p="md">
          <Stack>
            <Title order={2} size="h4">
              Account
            </Title>
            <TextInput label="Relay name" description="How this relay is called in Postroom." value={form.name} onChange={(e) => set('name', e.currentTarget.value)} required maw={360} />
            <Group align="flex-start" grow>
              <TextInput label="Server" placeholder="smtp.example.com" value={form.host} onChange={(e) => set('host', e.currentTarget.value)} required />
              <NumberInput label="Port" value={form.port} onChange={(v) => set('port', Number(v) || 587)} min={1} max={65535} allowDecimal={false} maw={140} />
            </Group>
            <Select label="Encryption" data={SECURITY} value={form.security} onChange={(v) => v && set('security', v as Security)} allowDeselect={false} maw={440} />
            {preset.auth.length > 0 && (
              <div>
                <Text size="sm" fw={500} id="signin-label">
                  Sign in with
                </Text>
                <SegmentedControl
                  aria-labelledby="signin-label"
                  value={form.auth}
                  onChange={(v) => set('auth', v as FormState['auth'])}
                  data={[
                    ...(preset.auth.includes('password') ? [{ value: 'password', label: 'User name and password' }] : []),
                    ...(preset.auth.includes('oauth2') ? [{ value: 'oauth2', label: 'OAuth2 access token' }] : []),
                    ...(form.preset === 'custom' ? [{ value: 'none', label: 'No sign-in' }] : []),
                  ]}
                />
              </div>
            )}
            {form.auth !== 'none' && (
              <Group grow align="flex-start">
                <TextInput label="User name" placeholder="you@example.com" value={form.user} onChange={(e) => set('user', e.currentTarget.value)} autoComplete="username" required />
                <PasswordInput
                  label={form.auth === 'oauth2' ? 'Access token' : 'Password'}
                  description={saved && saved.passwordSource !== 'none' ? 'Saved. Type a new one only to change it.' : 'Kept encrypted on this computer, never in plain text.'}
                  value={form.password}
                  onChange={(e) => set('password', e.currentTarget.value)}
                  autoComplete="new-password"
                  required={needsPassword}
                  visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the password' }}
                />
              </Group>
            )}
            {form.preset === 'custom' && (
              <Checkbox
                label="Accept a self-signed certificate"
                description="Only for a server you run yourself: it turns off the check that you are talking to the right server."
                checked={form.acceptSelfSigned}
                onChange={(e) => set('acceptSelfSigned', e.currentTarget.checked)}
              />
            )}
          </Stack>
        </Paper>

        <Paper withBorder p="md">
          <Title order={2} size="h4">
            Sending limits
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            Postroom never sends faster than this, across all campaigns, and carries the rest over to later. {preset.label === 'Other SMTP server' ? 'Ask your provider for its limits.' : `Filled in from ${preset.label}'s published limits; change them to match your plan.`} Leave a box empty for no limit.
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 5 }}>
            {(
              [
                ['perSecond', 'Per second'],
                ['perMinute', 'Per minute'],
                ['perHour', 'Per hour'],
                ['perDay', 'Per day'],
              ] as const
            ).map(([k, label]) => (
              <NumberInput
                key={k}
                label={label}
                placeholder="No limit"
                value={form.limits[k] ?? ''}
                min={1}
                allowDecimal={false}
                thousandSeparator=","
                onChange={(v) => set('limits', { ...form.limits, [k]: v === '' || Number(v) < 1 ? null : Number(v) })}
              />
            ))}
            <NumberInput label="Connections" value={form.limits.connections} min={1} max={50} allowDecimal={false} onChange={(v) => set('limits', { ...form.limits, connections: Math.max(1, Number(v) || 1) })} />
          </SimpleGrid>
          {saved && (
            <Text size="sm" mt="sm">
              Used in the last 24 hours: {saved.quota.usedToday.toLocaleString()}
              {saved.quota.dailyLimit ? ` of ${saved.quota.dailyLimit.toLocaleString()}` : ''}.
            </Text>
          )}
        </Paper>

        <Paper withBorder p="md">
          <Stack>
            <Title order={2} size="h4">
              Test the connection
            </Title>
            <TextInput
              label="Also send a test message to (optional)"
              description="Leave empty to only connect and sign in, without sending anything."
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
                {saved ? 'Save and test connection' : 'Save and test connection'}
              </Button>
              <Button variant="default" onClick={() => void saveOnly()} loading={busy === 'save'} disabled={!canSave || !!busy}>
                {test?.ok ? 'Done' : 'Save without testing'}
              </Button>
              {existing && (
                <Button variant="subtle" color="red" onClick={() => void remove()} ml="auto">
                  Remove this relay
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
    <Alert color={result.ok ? 'green' : 'red'} variant="light" title={result.ok ? 'The connection works' : `${STEP_NAMES[result.step] ?? 'The test'} failed`} role={result.ok ? 'status' : 'alert'}>
      <Stack gap="xs">
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {result.message}
        </Text>
        {result.passed.length > 0 && (
          <List size="sm" spacing={2} listStyleType="none" aria-label="Steps that worked">
            {result.passed.map((s, i) => (
              <List.Item key={i}>✓ {STEP_NAMES[s.toLowerCase()] ?? s}</List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Alert>
  );
}
