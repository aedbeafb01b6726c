import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dropzone/styles.css';
import './styles.css';
import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { Shell } from './app/Shell';
import { theme } from './app/theme';
import { LanguageRoot } from './i18n/LanguageRoot';
import { startLanguage } from './i18n/choice';

// The CSP forbids eval; tell zod (pulled in with the contract) never to try compiling validators.
z.config({ jitless: true });
startLanguage();

createRoot(document.getElementById('root')!).render(
  <MantineProvider theme={theme} defaultColorScheme="auto">
    <Notifications position="top-right" />
    <LanguageRoot>
      <Shell />
    </LanguageRoot>
  </MantineProvider>,
);
