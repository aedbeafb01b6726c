// `npm start`: builds, then launches the desktop app. Where Electron's binary isn't installed and can't be
// fetched (offline, or a machine like CI), it says so in one line and serves the browser UI instead.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2).filter((a) => a !== '--browser');
const forceBrowser = process.argv.includes('--browser') || process.env.POSTROOM_BROWSER === '1';

if (spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

/** Electron's executable, fetching it on first launch (Electron 45 installs without it). */
function electronBinary() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) {
    const r = spawnSync(process.execPath, [path.join(dir, 'install.js')], { cwd: dir, stdio: 'ignore', timeout: 180_000 });
    if (r.status !== 0 || !existsSync(pathFile)) return undefined;
  }
  const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

/**
 * better-sqlite3 in node_modules is built for Node (so the tests and the command line run). Electron needs one
 * built for its own ABI: build a copy once, beside it, and hand its path to the app (POSTROOM_SQLITE_BINDING).
 */
function electronSqliteBinding() {
  const version = require('electron/package.json').version;
  const out = path.join(root, 'node_modules', '.postroom-electron', `better_sqlite3-electron-${version}.node`);
  if (existsSync(out)) return out;
  const src = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'postroom-sqlite-'));
  try {
    cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
    const gyp = process.env.npm_config_node_gyp ?? require.resolve('node-gyp/bin/node-gyp.js');
    const r = spawnSync(process.execPath, [gyp, 'rebuild', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: work, stdio: 'ignore' });
    const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
    if (r.status !== 0 || !existsSync(built)) return undefined;
    mkdirSync(path.dirname(out), { recursive: true });
    cpSync(built, out);
    return out;
  } catch {
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function serveInBrowser(reason) {
  if (reason) console.log(reason);
  const child = spawn(process.execPath, ['bin/postroom.js', 'serve', ...args], { cwd: root, stdio: 'inherit' });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (forceBrowser) {
  serveInBrowser();
} else {
  const bin = electronBinary();
  const binding = bin && electronSqliteBinding();
  if (!bin) {
    serveInBrowser("Electron's binary isn't available on this machine (it couldn't be downloaded), so Postroom opens in your browser instead:");
  } else if (!binding) {
    serveInBrowser("Couldn't build the database module for Electron (it needs Electron's headers from the internet), so Postroom opens in your browser instead:");
  } else {
    const child = spawn(bin, ['.', ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, POSTROOM_SQLITE_BINDING: binding } });
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}
