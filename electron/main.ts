/**
 * The desktop shell: app lifecycle, the window, menus, tray, power. Thin: it wires the Electron-free core
 * (electron/core/service.ts) to Electron. Hardening lives in security.ts.
 */
import path from 'node:path';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  nativeImage,
  powerSaveBlocker,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
  type MenuItemConstructorOptions,
} from 'electron';
import { createService, type Service } from './core/service';
import { resolveDataDir } from './core/paths';
import { keychainSecretBox, type Keystore } from './core/secrets';
import { getSetting, setSetting } from './core/store/settings';
import { defaultStaticDir, resolveStatic } from './hosts/static-files';
import { pruneUploadsWhileRunning, saveUpload } from './hosts/uploads';
import { dispatch, registerContract } from '../shared/router';
import { EVENT_CHANNEL } from '../shared/api';
import type { MenuCommand } from '../shared/contract/app';
import { PostroomError } from '../shared/errors';
import { APP_HOST, APP_URL, appResponseHeaders, installSecurity, isTrustedSender, registerAppScheme, secureWindowOptions } from './security';

registerAppScheme(protocol);
app.setName('Postroom');

let service: Service | undefined;
let win: BrowserWindow | undefined;
let tray: Tray | undefined;
let quitting = false;
let sendingNow = false;
let powerBlock: number | undefined;

function dataDirFromArgs(): string {
  const i = process.argv.indexOf('--data');
  return resolveDataDir(i >= 0 ? process.argv[i + 1] : undefined);
}

/** Electron's safeStorage as the core's Keystore (the logic is in core/secrets.ts); on a Linux without a keyring it would be plain text. */
const safeStorageKeystore: Keystore = {
  available: () =>
    safeStorage.isEncryptionAvailable() && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text'),
  seal: (plain) => safeStorage.encryptString(plain),
  unseal: (sealed) => safeStorage.decryptString(sealed),
};

/** The system's folder picker, for `app:chooseFolder` (e.g. a campaign's attachments folder). */
async function chooseFolderDialog(opts: { title?: string; defaultPath?: string }): Promise<string | null> {
  const options = { title: opts.title, defaultPath: opts.defaultPath, properties: ['openDirectory' as const] };
  const r = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

function iconPath(): string {
  return path.join(__dirname, '..', 'assets', 'icon.png');
}

/** app:// serves the built renderer, and accepts uploads exactly like the browser host. */
function registerAppProtocol(svc: Service): void {
  const staticDir = defaultStaticDir();
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    if (url.pathname === '/upload' && request.method === 'POST' && request.body) {
      const saved = await saveUpload(Readable.fromWeb(request.body as NodeReadableStream), svc.ctx.dataDir, url.searchParams.get('name') ?? 'upload');
      return new Response(JSON.stringify(saved), { headers: appResponseHeaders('application/json') });
    }
    const found = resolveStatic(staticDir, url.pathname);
    if (!found || found.missing) return new Response("The Postroom window hasn't been built. Run 'npm run build'.", { status: 404 });
    return new Response(Readable.toWeb(fs.createReadStream(found.file)) as unknown as BodyInit, { headers: appResponseHeaders(found.mime) });
  });
}

function registerIpc(svc: Service): void {
  registerContract(
    {
      handle(channel, fn) {
        ipcMain.handle(channel, (event, input) => {
          if (!isTrustedSender(event.senderFrame)) {
            return { ok: false, error: { code: 'INVALID_INPUT', message: 'Refused: this request did not come from the Postroom window.' } };
          }
          return fn(input);
        });
      },
    },
    svc.handlers,
  );
  svc.events.onAny((event, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, { event, payload });
  });
  // Signing in to a relay happens in the system browser (RFC 8252 §8.12: not in an embedded view). Only a
  // provider's https page, or one on this computer, is opened.
  svc.events.on('relays:signInStarted', ({ url }) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return;
    }
    const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
    if (u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) void shell.openExternal(u.href);
  });
}

function sendMenu(command: MenuCommand): void {
  if (!service) return;
  showWindow();
  service.events.emit('app:menu', command);
}

function buildMenu(): void {
  const go = (to: NonNullable<MenuCommand['to']>, accelerator: string, label: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => sendMenu({ action: 'navigate', to }),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Import Recipients…', accelerator: 'CmdOrCtrl+I', click: () => sendMenu({ action: 'import' }) },
        { label: 'New Template', accelerator: 'CmdOrCtrl+T', click: () => sendMenu({ action: 'new-template' }) },
        { label: 'New Campaign', accelerator: 'CmdOrCtrl+N', click: () => sendMenu({ action: 'new-campaign' }) },
        { label: 'Add Relay…', click: () => sendMenu({ action: 'new-relay' }) },
        { type: 'separator' },
        { label: 'Open Data Folder', click: () => service && void shell.openPath(service.ctx.dataDir) },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        go('home', 'CmdOrCtrl+0', 'Home'),
        go('campaigns', 'CmdOrCtrl+1', 'Campaigns'),
        go('recipients', 'CmdOrCtrl+2', 'Recipients'),
        go('templates', 'CmdOrCtrl+3', 'Templates'),
        go('relays', 'CmdOrCtrl+4', 'Relays'),
        go('outbox', 'CmdOrCtrl+5', 'Outbox'),
        go('settings', 'CmdOrCtrl+,', 'Settings'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Postroom on the Web', click: () => void shell.openExternal('https://github.com/postroom/postroom') }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

function createWindow(svc: Service): BrowserWindow {
  const saved = getSetting<WindowState>(svc.ctx.db, 'window');
  const w = new BrowserWindow({
    width: saved?.width ?? 1200,
    height: saved?.height ?? 800,
    x: saved?.x,
    y: saved?.y,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Postroom',
    icon: iconPath(),
    webPreferences: secureWindowOptions(path.join(__dirname, 'preload.cjs')),
  });
  if (saved?.maximized) w.maximize();
  w.once('ready-to-show', () => w.show());
  let timer: NodeJS.Timeout | undefined;
  const remember = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (w.isDestroyed()) return;
      const b = w.getNormalBounds();
      setSetting(svc.ctx.db, 'window', { ...b, maximized: w.isMaximized() } satisfies WindowState);
    }, 400);
  };
  w.on('resize', remember);
  w.on('move', remember);
  w.on('close', (event) => {
    // Sending continues with the window closed: keep running in the tray until the person quits.
    if (!quitting && sendingNow) {
      event.preventDefault();
      w.hide();
      ensureTray();
    }
  });
  void w.loadURL(APP_URL);
  return w;
}

function showWindow(): void {
  if (!service) return;
  if (!win || win.isDestroyed()) win = createWindow(service);
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function ensureTray(): void {
  if (tray) return;
  tray = new Tray(nativeImage.createFromPath(iconPath()).resize({ width: 16, height: 16 }));
  tray.setToolTip('Postroom is sending');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Postroom', click: showWindow },
      { type: 'separator' },
      { label: 'Quit (sending pauses until Postroom runs again)', click: () => app.quit() },
    ]),
  );
  tray.on('click', showWindow);
}

/** Keeps the computer awake while this process's engine sends, and tells the person when a campaign is done. */
function watchSending(svc: Service): void {
  svc.events.on('outbox:busy', ({ busy }) => {
    sendingNow = busy;
    if (busy && powerBlock === undefined) powerBlock = powerSaveBlocker.start('prevent-app-suspension');
    if (!busy && powerBlock !== undefined) {
      powerSaveBlocker.stop(powerBlock);
      powerBlock = undefined;
    }
    // Closed to the tray only to finish sending: now it's done, leave.
    if (!busy && tray && (!win || win.isDestroyed() || !win.isVisible())) app.quit();
  });
  const known = new Map<number, string>();
  void dispatch(svc.handlers, 'campaigns:list', {}).then((r) => {
    if (r.ok) for (const c of r.value) if (!known.has(c.id)) known.set(c.id, c.state);
  });
  svc.events.on('campaign:progress', (p) => {
    const before = known.get(p.id);
    known.set(p.id, p.state);
    if (p.state !== 'completed' || before === 'completed' || !Notification.isSupported()) return;
    const failed = p.failed ? `, ${p.failed} failed` : '';
    new Notification({ title: 'Campaign sent', body: `${p.campaign}: ${p.sent} sent${failed}.`, icon: iconPath() }).show();
  });
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', showWindow);
  await app.whenReady();
  installSecurity(app, session.defaultSession, shell);
  const dataDir = dataDirFromArgs();
  try {
    service = createService({ dataDir, host: 'desktop', secrets: keychainSecretBox(dataDir, safeStorageKeystore), chooseFolder: chooseFolderDialog, locale: app.getLocale() });
    service.tasks.start(); // the engine and any other background work
  } catch (err) {
    const message = err instanceof PostroomError ? err.message : `Postroom couldn't start: ${(err as Error).message}`;
    dialog.showErrorBox("Postroom can't open its data", message);
    app.exit(1);
    return;
  }
  pruneUploadsWhileRunning(dataDir);
  registerAppProtocol(service);
  registerIpc(service);
  buildMenu();
  win = createWindow(service);
  watchSending(service);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !sendingNow) app.quit();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    if (!service) return;
    event.preventDefault();
    const svc = service;
    service = undefined;
    void svc.close().finally(() => app.exit(0));
  });
}

void start();
