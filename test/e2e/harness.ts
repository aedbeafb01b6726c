/**
 * Shared pieces for the end-to-end tests: a real `postroom serve` child process on a temp data folder, Debian's
 * Chromium driven by playwright-core, console-error capture, axe-core checks, screenshots in both schemes, a
 * real SMTP server on 127.0.0.1, and the command line.
 *
 * Build first (`npm run build`): the tests run what dist/ holds, as a user would.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page, type ConsoleMessage } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/postroom.js');
export const SCREENSHOT_DIR = path.join(ROOT, 'docs/screenshots');
export const CHROMIUM = process.env.POSTROOM_CHROMIUM ?? '/usr/bin/chromium';

export function tempDataDir(prefix = 'postroom-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Server {
  url: string;
  origin: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server wrote to stderr (printed when a test fails to start it). */
  stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `postroom serve --data DIR` and waits for its first line: the address with the token. */
export async function startServer(dataDir = tempDataDir()): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve', '--data', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = readline.createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`postroom serve printed nothing in 20 s. stderr:\n${stderr}`)), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`postroom serve exited with ${code}. stderr:\n${stderr}`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line);
      if (m) resolve(m[1]!);
      else reject(new Error(`Unexpected first line from postroom serve: ${line}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    process: child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Runs the command line (`node bin/postroom.js ...`) and returns its output; rejects on a non-zero exit. */
export async function cli(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's 'chromium' package (or set POSTROOM_CHROMIUM).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * The usual frame of a test file: one `postroom serve` on a fresh data folder and one Chromium, started before
 * the file's tests and stopped after. `prepare` may fill the data folder first (e.g. a CLI import).
 * Use as `const env = setupApp();` then `env.server`, `env.browser` inside tests.
 */
export function setupApp(prepare?: (dataDir: string) => Promise<void>): { server: Server; browser: Browser } {
  const env = {} as { server: Server; browser: Browser };
  beforeAll(async () => {
    const dataDir = tempDataDir();
    await prepare?.(dataDir);
    env.server = await startServer(dataDir);
    env.browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export interface AppPage {
  page: Page;
  context: BrowserContext;
  /** console.error messages, page errors and CSP violations seen so far. */
  errors: string[];
  /** Navigates to a section by its sidebar link and waits for its heading. */
  goTo(section: string, heading?: string | RegExp): Promise<void>;
  close(): Promise<void>;
}

/** Opens the app (loads the token URL, lands on Home) in a fresh browser context. */
export async function openApp(browser: Browser, server: Server, opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number }; locale?: string } = {}): Promise<AppPage> {
  // The browser's language is the window's (Settings → Language: System): English unless a test asks for another.
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 }, colorScheme: opts.colorScheme ?? 'light', locale: opts.locale ?? 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  await page.goto(server.url);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  return {
    page,
    context,
    errors,
    async goTo(section, heading) {
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: new RegExp(`^${section}\\b`) }).click();
      await page.getByRole('heading', { level: 1, name: heading ?? section }).waitFor();
    },
    close: () => context.close(),
  };
}

/** Fails with the list of serious or critical axe-core violations on the page as it is now. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Message previews are the user's own e-mail in an iframe with scripts off: axe can't run inside one (its
  // injection waits forever), and their content isn't Postroom's UI to judge.
  const results = await new AxeBuilder({ page }).exclude('iframe[sandbox=""]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const lines = bad.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} → ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`);
    throw new Error(`Accessibility problems on "${screen}":\n${lines.join('\n')}`);
  }
}

/** What may change under a running axe scan: the colour scheme, the finite animations running, and each toast shown with its opacity. */
interface Motion {
  scheme: string | null;
  running: number;
  /** Each toast's opacity as it shows: its own times its ancestors'. */
  toasts: number[];
}

async function motion(page: Page): Promise<Motion> {
  return page.evaluate(() => ({
    scheme: document.documentElement.getAttribute('data-mantine-color-scheme'),
    running: document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity).length,
    toasts: [...document.querySelectorAll('.mantine-Notification-root')].map((toast) => {
      let opacity = 1;
      for (let e: Element | null = toast; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      return opacity;
    }),
  }));
}

/** Did the page stand still between two looks? (Opacities to two places: a toast that moved, moved more than that.) */
function sameMotion(a: Motion, b: Motion): boolean {
  const key = (m: Motion) => `${m.scheme} ${m.running} ${m.toasts.map((o) => o.toFixed(2)).join(',')}`;
  return key(a) === key(b);
}

/**
 * Waits (2 s at most, looking every 50 ms) until no transition or finite animation is running and every toast is
 * fully shown (or gone): a toast fading in, or colours changing with the scheme, would be judged half-way (a fading
 * toast's text has the contrast of neither scheme; Mantine steps its toasts' opacity from script, between
 * transitions). Spinners and other endless animations are left running.
 */
async function settled(page: Page): Promise<void> {
  const end = Date.now() + 2000;
  for (;;) {
    const m = await motion(page);
    if ((m.running === 0 && m.toasts.every((o) => o === 1)) || Date.now() >= end) return;
    await page.waitForTimeout(50);
  }
}

/**
 * expectAccessible on a settled page. A scan takes a second or more, and a toast may begin to close (its time is
 * up) or to show while it runs, or the scheme flip late: axe then judges text half-faded, or in the colours of the
 * other scheme. When the page moved under a scan that found problems, it is judged again once settled; a page that
 * stood still fails at once.
 */
async function expectAccessibleSettled(page: Page, screen: string): Promise<void> {
  const before = await motion(page);
  try {
    await expectAccessible(page, screen);
  } catch (err) {
    if (sameMotion(await motion(page), before)) throw err;
    await settled(page);
    await expectAccessible(page, screen);
  }
}

/**
 * Saves docs/screenshots/<screen>-light.png and -dark.png, and runs axe-core in each scheme (contrast
 * differs between them). Leaves the page in light.
 */
export async function captureScreen(page: Page, screen: string, opts: { fullPage?: boolean; axe?: boolean } = {}): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Mantine re-reads the scheme on the media query's change event, late when the page is busy (a campaign sending):
    // judged before that, the page has the new scheme's backgrounds under text still in the old one's colours.
    await page
      .waitForFunction((s) => document.documentElement.getAttribute('data-mantine-color-scheme') === s, scheme, { timeout: 2000, polling: 25 })
      .catch(() => undefined);
    await settled(page);
    if (opts.axe !== false) await expectAccessibleSettled(page, `${screen} (${scheme})`);
    await shoot(page, path.join(SCREENSHOT_DIR, `${screen}-${scheme}.png`), opts.fullPage ?? false);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/**
 * A full-page shot grows the viewport to the page's height instead of stitching, so the window's fixed header
 * and status bar sit where they belong rather than in the middle of the picture.
 */
async function shoot(page: Page, file: string, fullPage: boolean): Promise<void> {
  const size = page.viewportSize();
  if (!fullPage || !size) {
    await page.screenshot({ path: file });
    return;
  }
  const height = await page.evaluate(() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight));
  await page.setViewportSize({ width: size.width, height: Math.min(Math.max(height, size.height), 4000) });
  await page.waitForTimeout(100);
  await page.screenshot({ path: file });
  await page.setViewportSize(size);
}

export interface SmtpPeer {
  port: number;
  /** Messages received: envelope and raw source. */
  messages: Array<{ from: string; to: string[]; raw: string }>;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (port 0). By default it accepts user "user" / password "secret" without TLS. */
export async function startSmtp(options: Partial<SMTPServerOptions> & { user?: string; password?: string } = {}): Promise<SmtpPeer> {
  const { user = 'user', password = 'secret', ...rest } = options;
  const messages: SmtpPeer['messages'] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === password) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
    ...rest,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Writes a CSV of `n` generated recipients (email, first_name, last_name, city) and returns its path. */
export function writeRecipientsCsv(dir: string, n: number, name = `recipients-${n}.csv`): string {
  const file = path.join(dir, name);
  const cities = ['Lyon', 'Leeds', 'Graz', 'Porto', 'Gent', 'Turku', 'Cork', 'Brno'];
  const lines = ['email,first_name,last_name,city'];
  for (let i = 1; i <= n; i++) lines.push(`person${i}@example.com,Name${i},Surname${i},${cities[i % cities.length]}`);
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  return file;
}

/** Fails when the page logged errors; `allow` lists patterns that a test expects (e.g. a refused login). */
export function expectNoErrors(app: AppPage, allow: RegExp[] = []): void {
  const unexpected = app.errors.filter((e) => !allow.some((re) => re.test(e)));
  if (unexpected.length) throw new Error(`The page logged errors:\n${unexpected.join('\n')}`);
}
