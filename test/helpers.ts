/** Small helpers every Node-side test uses: a fresh data folder per test, removed afterwards. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
