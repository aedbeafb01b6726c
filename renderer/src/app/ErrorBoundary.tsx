/** Never a blank screen: a page that throws shows what happened and a way back, and the rest keeps working. */
import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { t } from '../i18n';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.warn('[postroom] a screen failed to draw', error, info.componentStack);
  }

  override componentDidUpdate(prev: { resetKey?: string }): void {
    // Navigating elsewhere clears the error: the way back is the sidebar as well as the button.
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Alert color="red" title={t('errorBoundary.title')} role="alert" maw={720}>
        <Stack gap="sm">
          <Text size="sm">
            {t('errorBoundary.body')}
          </Text>
          <Code block>{this.state.error.message}</Code>
          <Group>
            <Button
              onClick={() => {
                this.setState({ error: null });
                location.hash = '#/';
              }}
            >
              {t('errorBoundary.home')}
            </Button>
            <Button variant="default" onClick={() => this.setState({ error: null })}>
              {t('common.tryAgain')}
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
}
