/**
 * An Alert whose title keeps 4.5:1 contrast: Mantine's light alert writes the title in shade 6 on a pale tint
 * of the same colour (yellow is 2.7:1). In the light scheme the title is darkened; the dark scheme is unchanged.
 */
import { Alert, type AlertProps } from '@mantine/core';

export function Notice({ color = 'blue', styles, ...rest }: AlertProps & { color?: string }) {
  return (
    <Alert
      color={color}
      variant="light"
      styles={{ title: { color: `light-dark(color-mix(in srgb, var(--mantine-color-${color}-9) 55%, black), var(--mantine-color-${color}-light-color))` }, ...(styles as object) }}
      {...rest}
    />
  );
}
