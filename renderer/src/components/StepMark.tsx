import { Text, ThemeIcon } from '@mantine/core';

/** A checklist step's mark: its number while open, a tick once done (Home's checklist, the campaign composer). */
export function StepMark({ done, n, size = 'md' }: { done: boolean; n: number; size?: 'sm' | 'md' }) {
  const [box, tick] = size === 'sm' ? [26, 14] : [28, 16];
  return (
    <ThemeIcon radius="xl" size={box} color={done ? 'green' : 'gray'} variant={done ? 'filled' : 'light'} aria-hidden>
      {done ? (
        <svg width={tick} height={tick} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round">
          <path d="M5 12l5 5L20 7" />
        </svg>
      ) : (
        <Text size={size === 'sm' ? 'xs' : 'sm'} fw={700}>
          {n}
        </Text>
      )}
    </ThemeIcon>
  );
}
