/** The window: sidebar of sections, the current page, and the status bar. */
import { AppShell, Burger, Center, Group, Loader, NavLink, ScrollArea, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { Suspense, useEffect, useRef } from 'react';
import { api } from '../api';
import { ErrorBoundary } from './ErrorBoundary';
import { StatusBar } from './StatusBar';
import { href, navigate, useRoute } from './router';
import { preloadSections, sections } from './sections';
import { NotFound } from './NotFound';
import { MailboxNotices } from '../components/MailboxNotices';
import { t } from '../i18n';

export function Shell() {
  const route = useRoute();
  const [opened, { toggle, close }] = useDisclosure(false);
  const id = route.path[0] ?? 'home';
  const section = sections.find((s) => s.id === id);
  const Current = section?.component ?? NotFound;
  const mainRef = useRef<HTMLDivElement>(null);

  // Ctrl/Cmd+1…7 jumps to a section, in sidebar order.
  useHotkeys(sections.map((s, i) => [`mod+${i + 1}`, () => navigate(href(s.id))] as [string, () => void]));

  // The desktop menu and its shortcuts (File → Import…, New campaign, …) arrive as app:menu events.
  useEffect(
    () =>
      api.on('app:menu', (cmd) => {
        switch (cmd.action) {
          case 'navigate':
            return navigate(href(cmd.to ?? 'home'));
          case 'import':
            return navigate(href('recipients', 'import'));
          case 'new-template':
            return navigate(href('templates', 'new'));
          case 'new-campaign':
            return navigate(href('campaigns', 'new'));
          case 'new-relay':
            return navigate(href('relays', 'new'));
          default: {
            const never: never = cmd.action;
            return never;
          }
        }
      }),
    [],
  );

  // Once the first screen is up, fetch the other sections' code, so that a first visit shows at once instead of
  // waiting on a lazy chunk (and on Suspense's reveal delay).
  useEffect(() => {
    const t = setTimeout(preloadSections, 300);
    return () => clearTimeout(t);
  }, []);

  const firstPage = useRef(true);
  useEffect(() => {
    close();
    // After navigating, move focus to the new page so keyboard and screen-reader users start at its heading;
    // on the first load, leave it at the top of the document (the skip link comes first).
    if (firstPage.current) firstPage.current = false;
    else mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [id, close]);

  return (
    <>
      <a href="#main" className="skip-link" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        {t('shell.skipToContent')}
      </a>
      <AppShell
        header={{ height: 52 }}
        navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        footer={{ height: 34 }}
        padding="lg"
      >
        <AppShell.Header>
          <Group h="100%" px="md" gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? t('shell.closeNavigation') : t('shell.openNavigation')} />
            <Title order={2} size="h4" fw={700}>
              <a href={href('home')} style={{ color: 'inherit', textDecoration: 'none' }}>
                Postroom
              </a>
            </Title>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label={t('shell.sections')}>
          <ScrollArea type="auto">
            {/* AppShell.Navbar is the "Sections" navigation landmark itself: no second one inside. */}
            <div>
              {sections.map((s, i) => (
                <NavLink
                  key={s.id}
                  href={href(s.id)}
                  label={s.label}
                  description={s.hint}
                  active={s.id === id}
                  aria-current={s.id === id ? 'page' : undefined}
                  rightSection={
                    <Text size="xs" aria-hidden style={{ opacity: 0.8 }}>
                      {i + 1}
                    </Text>
                  }
                  variant="filled"
                  // Full-strength hint text on the active item: Mantine's 0.9 opacity drops it under 4.5:1.
                  styles={{ description: { ['--description-opacity' as string]: 1 } }}
                />
              ))}
            </div>
          </ScrollArea>
        </AppShell.Navbar>
        <AppShell.Main>
          {/* AppShell.Main is the page's `main` landmark; this is only the focus target after navigating. */}
          <div id="main" ref={mainRef} tabIndex={-1} style={{ outline: 'none' }}>
            <VisuallyHidden aria-live="polite">{section?.label ?? t('shell.notFound')}</VisuallyHidden>
            <ErrorBoundary resetKey={route.path.join('/')}>
              <Suspense
                fallback={
                  <Center py="xl">
                    <Loader size="sm" aria-label={t('common.loading')} />
                  </Center>
                }
              >
                <Current sub={route.path.slice(1)} query={route.query} route={route} />
              </Suspense>
            </ErrorBoundary>
          </div>
        </AppShell.Main>
        <AppShell.Footer>
          <StatusBar />
          <MailboxNotices />
        </AppShell.Footer>
      </AppShell>
    </>
  );
}
