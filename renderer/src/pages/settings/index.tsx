/** Settings: theme, language, sender domains (`#/settings/domains`), where the data lives, which version this is. */
import { Anchor, Code, CopyButton, Button, Group, Paper, Radio, SegmentedControl, Stack, Text, Title, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '../../api/hooks';
import type { SectionProps } from '../../app/sections';
import { Loading, Page } from '../../components/Page';
import { Notice } from '../../components/Notice';
import { href } from '../../app/router';
import { NotFound } from '../../app/NotFound';
import { SenderDomains } from './SenderDomains';
import { SignInApps } from './SignInApps';
import { t } from '../../i18n';
import { chooseLanguage, languageChoice, systemLanguage } from '../../i18n/choice';
import { LANGUAGE_NAMES, LANGUAGES } from '../../i18n/languages';
import type { LanguageChoice } from '../../../../shared/contract/app';

const HOSTS = { desktop: 'settings.host.desktop', browser: 'settings.host.browser', cli: 'settings.host.cli', test: 'settings.host.test' } as const;

/** Settings → Language: the computer's language, or one of ours; applies at once and is remembered by the core. */
function LanguageSetting() {
  const [value, setValue] = useState<LanguageChoice>(languageChoice());
  const system = LANGUAGE_NAMES[systemLanguage() as keyof typeof LANGUAGE_NAMES] ?? LANGUAGE_NAMES.en;
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={2} size="h4" id="language-label">
          {t('settings.language')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('settings.languageHint')}
        </Text>
        <Radio.Group
          aria-labelledby="language-label"
          value={value}
          onChange={(v) => {
            setValue(v as LanguageChoice);
            void chooseLanguage(v as LanguageChoice);
          }}
        >
          <Group gap="lg" mt={4}>
            <Radio value="system" label={t('settings.languageSystem', { language: system })} />
            {LANGUAGES.map((l) => (
              <Radio key={l} value={l} label={LANGUAGE_NAMES[l]} lang={l} />
            ))}
          </Group>
        </Radio.Group>
      </Stack>
    </Paper>
  );
}

export function SettingsPage({ sub, query }: SectionProps) {
  if (sub[0] === 'domains' && sub.length === 1) return <SenderDomains focus={query.get('domain')} />;
  if (sub.length > 0) return <NotFound />;
  return <GeneralSettings />;
}

function GeneralSettings() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const info = useQuery('appInfo', {});
  return (
    <Page title={t('nav.settings')}>
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Title order={2} size="h4" id="theme-label">
            {t('settings.theme')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('settings.themeHint')}
          </Text>
          <SegmentedControl
            aria-labelledby="theme-label"
            value={colorScheme}
            onChange={(v) => setColorScheme(v as MantineColorScheme)}
            data={[
              { value: 'auto', label: t('settings.themeAuto') },
              { value: 'light', label: t('settings.themeLight') },
              { value: 'dark', label: t('settings.themeDark') },
            ]}
            w="fit-content"
          />
        </Stack>
      </Paper>
      <LanguageSetting />
      <SignInApps />
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          {t('settings.domains.title')}
        </Title>
        <Text size="sm">
          {t('settings.domains.intro')}{' '}
          <Anchor underline="always" href={href('settings', 'domains')}>
            {t('settings.domains.open')}
          </Anchor>
        </Text>
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          {t('settings.about')}
        </Title>
        <Loading {...info}>
          {(i) => (
            <Stack gap="sm">
              <div>
                <Text size="sm" fw={600}>
                  {t('settings.dataFolder')}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('settings.dataFolderHint')}
                </Text>
                <Group gap="xs" mt={4}>
                  <Code>{i.dataDir}</Code>
                  <CopyButton value={i.dataDir}>
                    {({ copied, copy }) => (
                      <Button size="compact-xs" variant="default" onClick={copy} aria-label={t('settings.copyPath')}>
                        {copied ? t('settings.copied') : t('settings.copy')}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
              </div>
              <div>
                <Text size="sm" fw={600}>
                  {t('settings.secrets.title')}
                </Text>
                {i.secrets === 'keychain' ? (
                  <Text size="sm" c="dimmed">
                    {t('settings.secrets.keychain')}
                  </Text>
                ) : (
                  <Notice color="yellow" title={t('settings.secrets.fileTitle')} mt={4}>
                    <Text size="sm">
                      {i.host === 'desktop' ? t('settings.secrets.fileDesktop') : t('settings.secrets.fileHere')}
                    </Text>
                  </Notice>
                )}
              </div>
              <div>
                <Text size="sm" fw={600}>
                  {t('settings.version')}
                </Text>
                <Text size="sm">
                  {i.name} {i.version}
                </Text>
              </div>
              <div>
                <Text size="sm" fw={600}>
                  {t('settings.runningAs')}
                </Text>
                <Text size="sm">{t(HOSTS[i.host])}</Text>
              </div>
            </Stack>
          )}
        </Loading>
      </Paper>
    </Page>
  );
}
