/**
 * Every Electron hardening decision, in one place (Electron's security checklist, applied):
 * sandboxed, context-isolated renderers without Node; the window served from app:// with a strict CSP;
 * navigation and new windows denied except an allow-list (links open in the system browser after parsing);
 * permission requests denied; every IPC sender's frame checked.
 * Fuses are set at packaging time in electron-builder.yml. Secrets go through safeStorage (main.ts).
 */
import type { App, BrowserWindowConstructorOptions, Protocol, Session, Shell, WebContents, WebFrameMain } from 'electron';
import { securityHeaders } from '../shared/csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'postroom';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** Schemes a link in the window may open in the system browser or mail program. */
const EXTERNAL_PROTOCOLS = new Set(['https:', 'http:', 'mailto:']);

/** Must run before the app is ready: app:// behaves like https (secure, standard, fetch, streams). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

/** The options of every Postroom window. */
export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
    safeDialogs: true,
  };
}

/** The headers every app:// response carries. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return { 'content-type': contentType, ...securityHeaders() };
}

/** Is this URL one of ours (the window's own pages)? */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The URL to hand to the OS for a link the user clicked, or undefined when it must not leave the app. */
export function externalUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (!EXTERNAL_PROTOCOLS.has(u.protocol)) return undefined;
    if (u.protocol !== 'mailto:' && !u.hostname) return undefined;
    if (u.username || u.password) return undefined; // https://user:pass@… is a phishing trick in a link
    return u.toString();
  } catch {
    return undefined;
  }
}

/** Only our own top-level page may call the core. Frames (the template preview iframe) and foreign pages may not. */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent) return false;
  return isAppUrl(frame.url);
}

/** Denies every permission request (camera, notifications from the page, geolocation, …); the app needs none. */
export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Navigation stays inside app://; new windows are never created; external links go to the OS after parsing. */
export function hardenWebContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, shell: Pick<Shell, 'openExternal'>): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    const ext = externalUrl(url);
    if (ext) void shell.openExternal(ext);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const ext = externalUrl(url);
    if (ext) void shell.openExternal(ext);
    return { action: 'deny' };
  });
}

/** Applies the hardening to every web contents the app ever creates, and to the default session. */
export function installSecurity(app: Pick<App, 'on'>, session: Parameters<typeof hardenSession>[0], shell: Pick<Shell, 'openExternal'>): void {
  hardenSession(session);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, shell));
}
