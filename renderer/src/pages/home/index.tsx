/**
 * Home: the first-run checklist, ticked from real counts (app:overview), and the door to sample data.
 */
import { Badge, Button, Group, Modal, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '../../api/hooks';
import type { AppError } from '../../../../shared/result';
import { CoreError, notifyDone } from '../../components/CoreError';
import { isAddress, loadSampleData, sampleAddresses, SAMPLE_LIST } from './sample';
import type { SectionProps } from '../../app/sections';
import { href } from '../../app/router';
import { Loading, Page } from '../../components/Page';
import { StepMark } from '../../components/StepMark';
import type { Overview } from '../../../../shared/contract/app';

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
    title: 'Connect a sending account',
    why: 'A relay is the account or server your mail is sent through, such as Gmail or your web host. Pick your provider and Postroom fills in its limits.',
    done: (o) => o.relays > 0,
    doneText: (o) => `${o.relays} relay${o.relays === 1 ? '' : 's'} set up`,
    action: 'Add a relay',
    to: href('relays', 'new'),
  },
  {
    id: 'recipients',
    title: 'Import your recipients',
    why: 'Bring in the spreadsheet of people you write to (CSV or Excel). Postroom checks addresses and removes duplicates.',
    done: (o) => o.lists > 0 && o.recipients > 0,
    doneText: (o) => `${o.recipients.toLocaleString()} recipients in ${o.lists} list${o.lists === 1 ? '' : 's'}`,
    action: 'Import a spreadsheet',
    to: href('recipients', 'import'),
  },
  {
    id: 'template',
    title: 'Write your first newsletter',
    why: 'Write the message once, with fields like the first name filled in for each person.',
    done: (o) => o.templates > 0,
    doneText: (o) => `${o.templates} template${o.templates === 1 ? '' : 's'} written`,
    action: 'Write a template',
    to: href('templates'),
  },
  {
    id: 'campaign',
    title: 'Send it',
    why: 'Choose the list, the template and the relay, check the summary, and send. Postroom paces it to your provider’s limits.',
    done: (o) => o.campaignsSent > 0,
    doneText: (o) => `${o.campaignsSent} campaign${o.campaignsSent === 1 ? '' : 's'} sent`,
    action: 'Start a campaign',
    to: href('campaigns'),
  },
];

function TwoDoors({ firstStep }: { firstStep: Step }) {
  const [open, setOpen] = useState(false);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Welcome to Postroom
        </Title>
        <Text size="sm">
          Postroom sends your newsletter to everyone on your spreadsheet, each with their own name in it, through the e-mail account
          you already have. Set it up with your own data, or look around with sample data first.
        </Text>
        <Group>
          <Button component="a" href={firstStep.to}>
            Set up
          </Button>
          <Button variant="default" onClick={() => setOpen(true)}>
            Try it with sample data
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
    <Modal opened={opened} onClose={onClose} title={<Title order={2} size="h4">Try it with sample data</Title>} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          void loadSampleData(own).then((r) => {
            setBusy(false);
            if (r.ok) {
              notifyDone(`Added the list “${SAMPLE_LIST}” and a sample newsletter. Next: add a relay to send through.`, 'Sample data is ready');
              onClose();
            } else setError(r.error);
          });
        }}
      >
        <Stack>
          <Text size="sm">
            Postroom adds a list of 8 made-up customers and a starter newsletter. Every sample address is a variation of your own
            (like <em>you+sample-anna@…</em>), which your mail provider delivers to you: whatever you send to the sample list only
            ever reaches your own inbox.
          </Text>
          <TextInput label="Your e-mail address" type="email" placeholder="you@example.com" value={own} onChange={(e) => setOwn(e.currentTarget.value)} required data-autofocus />
          {valid && (
            <Text size="xs" c="dimmed">
              Sample addresses: {sampleAddresses(own).slice(0, 2).join(', ')}, …
            </Text>
          )}
          {error && <CoreError error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!valid} loading={busy}>
              Add sample data
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
    <Page title="Home" description="From a spreadsheet to a sent newsletter in four steps.">
      <Loading {...q} label="Loading your progress">
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
                    {done === STEPS.length ? 'All set: you have sent your first campaign' : 'Getting started'}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {done} of {STEPS.length} done
                  </Text>
                </Group>
                <Progress value={(done / STEPS.length) * 100} aria-label={`${done} of ${STEPS.length} steps done`} />
              </Paper>
              <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Checklist">
                {STEPS.map((s, i) => {
                  const isDone = s.done(o);
                  const isNext = s === next;
                  return (
                    <Paper key={s.id} component="li" withBorder p="md" aria-label={`Step ${i + 1}: ${s.title}${isDone ? ' (done)' : ''}`}>
                      <Group align="flex-start" wrap="nowrap" gap="md">
                        <StepMark done={isDone} n={i + 1} />
                        <Stack gap={4} style={{ flex: 1 }}>
                          <Group gap="xs">
                            <Text fw={600}>{s.title}</Text>
                            {isDone && (
                              <Badge color="green" variant="light">
                                Done
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
