// `npm start`: builds, then launches the desktop app. Where Electron's binary isn't installed and can't be
// fetched (offline, or a machine like CI), it says so in one line and serves the browser UI instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const run = (args, opts = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', ...opts });

if (run(['scripts/build.mjs']).status !== 0) process.exit(1);

function electronBinary() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) {
    // Electron 45 fetches its binary on first launch. Try once, quietly, with a time limit.
    const r = spawnSync(process.execPath, [path.join(dir, 'install.js')], { cwd: dir, stdio: 'ignore', timeout: 120_000 });
    if (r.status !== 0 || !existsSync(pathFile)) return undefined;
  }
  const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

const forceBrowser = process.argv.includes('--browser') || process.env.POSTROOM_BROWSER === '1';
const bin = forceBrowser ? undefined : electronBinary();
if (bin) {
  // Electron's binary uses the Electron ABI; our better-sqlite3 is built for Node (so tests run).
  // Rebuilding for Electron happens in `npm run dist`; for development, electron-builder's install-app-deps.
  const child = spawn(bin, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!forceBrowser) console.log("Electron's binary isn't available on this machine (it couldn't be downloaded), so Postroom opens in your browser instead.");
  const child = spawn(process.execPath, ['bin/postroom.js', 'serve', ...process.argv.slice(2).filter((a) => a !== '--browser')], { cwd: root, stdio: 'inherit' });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
