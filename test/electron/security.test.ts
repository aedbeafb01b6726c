import { describe, expect, it, vi } from 'vitest';

// security.ts imports only types from electron; the mock proves nothing else is pulled in at run time.
vi.mock('electron', () => {
  throw new Error('security.ts must not need the electron module at run time');
});

const {
  APP_URL,
  externalUrl,
  hardenSession,
  hardenWebContents,
  installSecurity,
  isAppUrl,
  isTrustedSender,
  registerAppScheme,
  secureWindowOptions,
  appResponseHeaders,
} = await import('../../electron/security');

type Handler = (...args: unknown[]) => void;

function fakeContents() {
  const handlers = new Map<string, Handler>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  return {
    handlers,
    open: (url: string) => openHandler!({ url }),
    contents: {
      on: vi.fn((event: string, fn: Handler) => handlers.set(event, fn)),
      setWindowOpenHandler: vi.fn((fn: typeof openHandler) => (openHandler = fn)),
    },
  };
}

function navigate(handlers: Map<string, Handler>, event: string, url: string): boolean {
  let prevented = false;
  handlers.get(event)!({ preventDefault: () => (prevented = true) }, url);
  return prevented;
}

describe('Electron hardening', () => {
  it('gives every window a sandboxed, context-isolated renderer without Node', () => {
    const prefs = secureWindowOptions('/app/preload.cjs')!;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('serves the window from app://, registered as a secure standard scheme', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(APP_URL).toBe('app://postroom/index.html');
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(protocol.registerSchemesAsPrivileged.mock.calls[0]![0][0].privileges.bypassCSP).toBeUndefined();
  });

  it('sends a strict Content-Security-Policy with every app:// response', () => {
    const csp = appResponseHeaders('text/html')['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(eval|inline)/);
    expect(csp).toContain("object-src 'none'");
  });

  it('denies every permission request and check', () => {
    let request: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: ((...a: unknown[]) => boolean) | undefined;
    hardenSession({
      setPermissionRequestHandler: (fn) => (request = fn as typeof request),
      setPermissionCheckHandler: (fn) => (check = fn as typeof check),
    } as Parameters<typeof hardenSession>[0]);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn();
      request!({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(check!({}, 'media', 'app://postroom', {})).toBe(false);
  });

  it('keeps navigation inside app:// and hands web links to the system browser', () => {
    const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
    const { handlers, contents } = fakeContents();
    hardenWebContents(contents as never, shell);
    expect(navigate(handlers, 'will-navigate', 'app://postroom/index.html#/recipients')).toBe(false);
    expect(navigate(handlers, 'will-navigate', 'https://example.com/news')).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/news');
    expect(navigate(handlers, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
    expect(navigate(handlers, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(handlers.has('will-attach-webview')).toBe(true);
  });

  it('never opens a new window; only parsed http(s) and mailto links leave the app', () => {
    const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
    const f = fakeContents();
    hardenWebContents(f.contents as never, shell);
    expect(f.open('https://postroom.example/help')).toEqual({ action: 'deny' });
    expect(f.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(f.open('file:///C:/Windows/system32/calc.exe')).toEqual({ action: 'deny' });
    expect(f.open('smb://server/share')).toEqual({ action: 'deny' });
    expect(shell.openExternal.mock.calls.map((c) => c[0])).toEqual(['https://postroom.example/help']);
  });

  it('rejects links that hide credentials or have no host', () => {
    expect(externalUrl('https://user:pass@bank.example/')).toBeUndefined();
    expect(externalUrl('https://')).toBeUndefined();
    expect(externalUrl('http:')).toBeUndefined();
    expect(externalUrl('not a url')).toBeUndefined();
    expect(externalUrl('mailto:shop@example.com')).toBe('mailto:shop@example.com');
  });

  it('trusts IPC only from the top frame of our own page', () => {
    expect(isTrustedSender({ url: 'app://postroom/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://postroom/index.html', parent: {} as never })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://evil/index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isAppUrl('about:srcdoc')).toBe(false);
  });

  it('hardens every web contents the app creates, and the default session', () => {
    const appHandlers = new Map<string, Handler>();
    const app = { on: vi.fn((event: string, fn: Handler) => appHandlers.set(event, fn)) };
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    installSecurity(app as never, session as never, { openExternal: vi.fn() });
    expect(session.setPermissionRequestHandler).toHaveBeenCalled();
    const f = fakeContents();
    appHandlers.get('web-contents-created')!({}, f.contents);
    expect(f.contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(f.handlers.has('will-navigate')).toBe(true);
  });
});
