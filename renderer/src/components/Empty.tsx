/** An empty screen: what belongs here, and the one action that fills it. */
import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function Empty({ title, children, action, actionHref, onAction }: { title: string; children: ReactNode; action?: string; actionHref?: string; onAction?: () => void }) {
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack align="center" gap="sm" ta="center" maw={520} mx="auto">
        <Title order={2} size="h4">
          {title}
        </Title>
        <Text c="dimmed" size="sm">
          {children}
        </Text>
        {action &&
          (actionHref ? (
            <Button component="a" href={actionHref} mt="xs">
              {action}
            </Button>
          ) : (
            <Button onClick={onAction} mt="xs">
              {action}
            </Button>
          ))}
      </Stack>
    </Paper>
  );
}
