/** Serving the built renderer: shared by the browser host and the desktop app's app:// protocol. */
import fs from 'node:fs';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * The file to answer `pathname` with, or undefined when it would escape `staticDir`. Paths that name no file
 * get index.html (the window's own routes). `missing` is true when the renderer hasn't been built.
 */
export function resolveStatic(staticDir: string, pathname: string): { file: string; mime: string; missing: boolean } | undefined {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  rel = rel === '/' || rel === '' ? 'index.html' : rel.replace(/^\/+/, '');
  const root = path.resolve(staticDir);
  const file = path.resolve(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  let target = file;
  if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) target = path.join(root, 'index.html');
  return { file: target, mime: MIME[path.extname(target)] ?? 'application/octet-stream', missing: !fs.existsSync(target) };
}

/** Where the built renderer is, whether we run from dist/ (bundled) or from the sources (tests). */
export function defaultStaticDir(): string {
  const candidates = [path.resolve(__dirname, 'renderer'), path.resolve(__dirname, '../../dist/renderer'), path.resolve(process.cwd(), 'dist/renderer')];
  return candidates.find((c) => fs.existsSync(path.join(c, 'index.html'))) ?? candidates[0]!;
}
