import { createTheme, Drawer, Modal, Notification } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 7 in light and 8 in dark keep white text on filled buttons, and links on the page, above 4.5:1.
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  // Someone who asked their system for less motion gets toasts, menus and dialogs without their animations.
  respectReducedMotion: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, "Helvetica Neue", Arial, sans-serif',
  components: {
    // Mantine's close buttons are icons without a name: give every one a name screen readers can say.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss this message' } } }),
  },
});
