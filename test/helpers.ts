/** Small helpers every Node-side test uses: a fresh data folder per test, removed afterwards. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterEach } from 'vitest';
import { migrations } from '../electron/core/store/migrations';

const made: string[] = [];

export function tempDir(prefix = 'postroom-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  while (made.length) fs.rmSync(made.pop()!, { recursive: true, force: true });
});

/** The migrations up to and including `version`, to build a database as an older Postroom left it. */
export function migrationsUpTo(version: number) {
  return migrations.slice(0, migrations.findIndex((m) => m.version === version) + 1);
}

/** Collects what a CLI run printed, for in-process `runCli` tests. */
export function captureIo(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  return {
    out,
    err,
    controller,
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: { ...env },
      cwd: process.cwd(),
      stopSignal: controller.signal,
    },
  };
}

/**
 * The packages and files an entry point reaches without a dynamic import(), as the build bundles it (packages
 * external): what a process or thread started from it loads before it does anything.
 */
export async function reachedAtStart(entry: string): Promise<string[]> {
  const r = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'node', format: 'cjs', packages: 'external', metafile: true, logLevel: 'silent', outfile: 'out.cjs' });
  const inputs: Metafile['inputs'] = r.metafile.inputs;
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of inputs[file]?.imports ?? []) if (i.kind !== 'dynamic-import') walk(i.path);
  };
  walk(entry);
  return [...seen];
}
