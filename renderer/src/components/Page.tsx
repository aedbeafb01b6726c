/** The frame of every page: a heading (the page's accessible name), an optional line under it, actions. */
import { Group, Stack, Text, Title, Loader, Center } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import type { AppError } from '../../../shared/result';
import { CoreError } from './CoreError';
import { t } from '../i18n';

export function Page({ title, description, actions, children }: { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Postroom`;
  }, [title]);
  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <div style={{ flex: '1 1 360px', minWidth: 0 }}>
          <Title order={1} size="h2">
            {title}
          </Title>
          {description && (
            <Text c="dimmed" size="sm" mt={4} maw="72ch">
              {description}
            </Text>
          )}
        </div>
        {actions && <Group gap="sm">{actions}</Group>}
      </Group>
      {children}
    </Stack>
  );
}

/** Shows a spinner while loading, the error if any, else the content. */
export function Loading<T>({ data, error, reload, children, label }: { data: T | undefined; error?: AppError; reload?: () => void; label?: string; children: (data: T) => ReactNode }) {
  if (error) return <CoreError error={error} onRetry={reload} />;
  if (data === undefined)
    return (
      <Center py="xl">
        <Loader size="sm" aria-label={label ?? t('common.loading')} />
      </Center>
    );
  return <>{children(data)}</>;
}
