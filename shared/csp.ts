/**
 * The Content-Security-Policy of the Postroom window, for the desktop (app:// protocol) and the browser host.
 * Scripts only from our own bundle; no eval; no plugins; nothing may frame us; previews are sandboxed iframes
 * (srcdoc) whose scripts never run. Styles allow inline because Mantine sets CSS variables in a <style> tag.
 */
export function contentSecurityPolicy(opts: { connect?: string[] } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: cid:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.connect?.length ? ` ${opts.connect.join(' ')}` : ''}`,
    "frame-src 'self' about: blob: data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The security headers of every response the window's pages come with, in the desktop app and the browser host. */
export function securityHeaders(opts: { connect?: string[] } = {}): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(opts),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}
