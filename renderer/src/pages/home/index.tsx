/**
 * Home: the first-run checklist, ticked from real counts (app:overview), and the door to sample data.
 */
import { Badge, Button, Group, Modal, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '../../api/hooks';
import type { AppError } from '../../../../shared/result';
import { CoreError, notifyDone } from '../../components/CoreError';
import { isAddress, loadSampleData, sampleAddresses } from './sample';
import type { SectionProps } from '../../app/sections';
import { SETUP_DOORS } from '../../app/setup-path';
import { Loading, Page } from '../../components/Page';
import { StepMark } from '../../components/StepMark';
import type { Overview } from '../../../../shared/contract/app';
import { t } from '../../i18n';
import { rich } from '../../i18n/rich';

interface Step {
  id: string;
  title: string;
  why: string;
  done: (o: Overview) => boolean;
  doneText: (o: Overview) => string;
  action: string;
  to: string;
}

const STEPS: Step[] = [
  {
    id: 'relay',
    get title() { return t('home.relay.title'); },
    get why() { return t('home.relay.why'); },
    done: (o) => o.relays > 0,
    doneText: (o) => t('home.relay.done', { count: o.relays }),
    get action() { return t('home.relay.action'); },
    to: SETUP_DOORS.relay.to,
  },
  {
    id: 'recipients',
    get title() { return t('home.recipients.title'); },
    get why() { return t('home.recipients.why'); },
    done: (o) => o.lists > 0 && o.recipients > 0,
    doneText: (o) => t('home.recipients.done', { count: o.recipients, lists: o.lists }),
    get action() { return t('common.importSpreadsheet'); },
    to: SETUP_DOORS.recipients.to,
  },
  {
    id: 'template',
    get title() { return t('home.template.title'); },
    get why() { return t('home.template.why'); },
    done: (o) => o.templates > 0,
    doneText: (o) => t('home.template.done', { count: o.templates }),
    get action() { return t('home.template.action'); },
    to: SETUP_DOORS.template.to,
  },
  {
    id: 'campaign',
    get title() { return t('home.campaign.title'); },
    get why() { return t('home.campaign.why'); },
    done: (o) => o.campaignsSent > 0,
    doneText: (o) => t('home.campaign.done', { count: o.campaignsSent }),
    get action() { return t('common.startCampaign'); },
    to: SETUP_DOORS.campaign.to,
  },
];

function TwoDoors({ firstStep }: { firstStep: Step }) {
  const [open, setOpen] = useState(false);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('home.welcome')}
        </Title>
        <Text size="sm">
          {t('home.welcomeBody')}
        </Text>
        <Group>
          <Button component="a" href={firstStep.to}>
            {t('home.setUp')}
          </Button>
          <Button variant="default" onClick={() => setOpen(true)}>
            {t('home.trySample')}
          </Button>
        </Group>
      </Stack>
      <SampleDialog opened={open} onClose={() => setOpen(false)} />
    </Paper>
  );
}

function SampleDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [own, setOwn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const valid = isAddress(own);
  return (
    <Modal opened={opened} onClose={onClose} title={<Title order={2} size="h4">{t('home.trySample')}</Title>} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          void loadSampleData(own).then((r) => {
            setBusy(false);
            if (r.ok) {
              notifyDone(t('home.sampleDone', { list: r.value.listName }), t('home.sampleDoneTitle'));
              onClose();
            } else setError(r.error);
          });
        }}
      >
        <Stack>
          <Text size="sm">
            {rich('home.sampleBody', { em: (c) => <em>{c}</em> })}
          </Text>
          <TextInput label={t('common.yourAddress')} type="email" placeholder={t('common.addressPlaceholder')} value={own} onChange={(e) => setOwn(e.currentTarget.value)} required data-autofocus />
          {valid && (
            <Text size="xs" c="dimmed">
              {t('home.sampleAddresses', { addresses: sampleAddresses(own).slice(0, 2).join(', ') })}
            </Text>
          )}
          {error && <CoreError error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!valid} loading={busy}>
              {t('home.addSample')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** For the e2e performance measurement: when Home first shows real data (navigation → interactive). */
function markInteractive(): void {
  if (performance.getEntriesByName('postroom:home-interactive').length === 0) performance.mark('postroom:home-interactive');
}

export function HomePage(_: SectionProps) {
  const q = useQuery('appOverview', {});
  return (
    <Page title={t('nav.home')} description={t('home.description')}>
      <Loading {...q} label={t('home.loading')}>
        {(o) => {
          markInteractive();
          const done = STEPS.filter((s) => s.done(o)).length;
          const next = STEPS.find((s) => !s.done(o));
          return (
            <Stack gap="md" maw={760}>
              {o.lists === 0 && o.templates === 0 && o.campaigns === 0 && next && <TwoDoors firstStep={next} />}
              <Paper withBorder p="md">
                <Group justify="space-between" mb="xs">
                  <Title order={2} size="h4">
                    {done === STEPS.length ? t('home.allSet') : t('nav.home.hint')}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {t('home.progress', { done, total: STEPS.length })}
                  </Text>
                </Group>
                <Progress value={(done / STEPS.length) * 100} aria-label={t('home.progressLabel', { done, total: STEPS.length })} />
              </Paper>
              <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('home.checklist')}>
                {STEPS.map((s, i) => {
                  const isDone = s.done(o);
                  const isNext = s === next;
                  return (
                    <Paper key={s.id} component="li" withBorder p="md" aria-label={isDone ? t('home.stepDone', { n: i + 1, title: s.title }) : t('home.step', { n: i + 1, title: s.title })}>
                      <Group align="flex-start" wrap="nowrap" gap="md">
                        <StepMark done={isDone} n={i + 1} />
                        <Stack gap={4} style={{ flex: 1 }}>
                          <Group gap="xs">
                            <Text fw={600}>{s.title}</Text>
                            {isDone && (
                              <Badge color="green" variant="light">
                                {t('home.done')}
                              </Badge>
                            )}
                          </Group>
                          <Text size="sm" c="dimmed">
                            {isDone ? s.doneText(o) : s.why}
                          </Text>
                        </Stack>
                        {!isDone && (
                          <Button component="a" href={s.to} variant={isNext ? 'filled' : 'default'} style={{ flexShrink: 0 }}>
                            {s.action}
                          </Button>
                        )}
                      </Group>
                    </Paper>
                  );
                })}
              </Stack>
            </Stack>
          );
        }}
      </Loading>
    </Page>
  );
}
