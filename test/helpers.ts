/** Small helpers every Node-side test uses: a fresh data folder per test, removed afterwards. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

export function tempDir(prefix = 'postroom-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  while (made.length) fs.rmSync(made.pop()!, { recursive: true, force: true });
});

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
