/**
 * A small coloured label for a state ("Sent", "Retrying", "has a fallback"). Mantine's light badge puts shade 6
 * text on a pale tint, under 4.5:1 at badge size in the light scheme; this keeps the tint and darkens the text
 * there (shade 9 mixed with black), while the dark scheme keeps Mantine's own light text.
 */
import { Badge, type BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';

export function StateBadge({ color, children, title, ...rest }: { color: string; children: ReactNode; title?: string } & Omit<BadgeProps, 'color' | 'variant'>) {
  return (
    <Badge
      color={color}
      variant="light"
      tt="none"
      title={title}
      // minWidth: a table squeezed by longer words (German, French) must not cut a state down to "Ge…".
      style={{ color: `light-dark(color-mix(in srgb, var(--mantine-color-${color}-9) 55%, black), var(--mantine-color-${color}-light-color))`, minWidth: 'max-content' }}
      {...rest}
    >
      {children}
    </Badge>
  );
}
