/** Settings: theme, where the data lives, which version this is. */
import { Code, CopyButton, Button, Group, Paper, SegmentedControl, Stack, Text, Title, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useQuery } from '../../api/hooks';
import type { SectionProps } from '../../app/sections';
import { Loading, Page } from '../../components/Page';

const HOSTS = { desktop: 'Desktop app', browser: 'In your browser (postroom serve)', cli: 'Command line', test: 'Test' } as const;

export function SettingsPage(_: SectionProps) {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const info = useQuery('appInfo', {});
  return (
    <Page title="Settings">
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Title order={2} size="h4" id="theme-label">
            Theme
          </Title>
          <Text size="sm" c="dimmed">
            “Automatic” follows your computer’s light or dark setting.
          </Text>
          <SegmentedControl
            aria-labelledby="theme-label"
            value={colorScheme}
            onChange={(v) => setColorScheme(v as MantineColorScheme)}
            data={[
              { value: 'auto', label: 'Automatic' },
              { value: 'light', label: 'Light' },
              { value: 'dark', label: 'Dark' },
            ]}
            w="fit-content"
          />
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          About this copy of Postroom
        </Title>
        <Loading {...info}>
          {(i) => (
            <Stack gap="sm">
              <div>
                <Text size="sm" fw={600}>
                  Data folder
                </Text>
                <Text size="sm" c="dimmed">
                  Your lists, templates, relays and the outbox live here. Back up this folder to keep everything.
                </Text>
                <Group gap="xs" mt={4}>
                  <Code>{i.dataDir}</Code>
                  <CopyButton value={i.dataDir}>
                    {({ copied, copy }) => (
                      <Button size="compact-xs" variant="default" onClick={copy} aria-label="Copy the data folder's path">
                        {copied ? 'Copied' : 'Copy'}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
              </div>
              <div>
                <Text size="sm" fw={600}>
                  Version
                </Text>
                <Text size="sm">
                  {i.name} {i.version}
                </Text>
              </div>
              <div>
                <Text size="sm" fw={600}>
                  Running as
                </Text>
                <Text size="sm">{HOSTS[i.host]}</Text>
              </div>
            </Stack>
          )}
        </Loading>
      </Paper>
    </Page>
  );
}
