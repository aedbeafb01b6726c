import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import { hostileFiles, writeHostileFiles, writeNormalCsv } from '../core/import/hostile-files';

// The real `postroom import`, as a person runs it, with a 256 MB heap: each crafted file ends in one clear line
// naming the problem and exit 1 (not "JavaScript heap out of memory", signal 6), and the next import is right.
let dir: string;
let files: Map<string, string>;
beforeAll(async () => {
  if (!fs.existsSync('dist/cli.cjs') || !fs.existsSync('dist/import-worker.cjs')) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-cli-hostile-')); // kept for every test, removed after all
  files = await writeHostileFiles(dir);
}, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function postroom(data: string, args: string[]) {
  // A hang guard only (a minute): each of these ends in a second or two.
  return spawnSync(process.execPath, ['--max-old-space-size=256', 'bin/postroom.js', ...args, '--data', data], { encoding: 'utf8', timeout: 60_000 });
}

describe('postroom import of hostile files, with a 256 MB heap', () => {
  for (const hostile of hostileFiles) {
    it(`refuses ${hostile.what} with one line naming the problem and exit 1, then imports a normal file`, () => {
      const data = path.join(dir, `data-${hostile.name}`);
      const r = postroom(data, ['import', files.get(hostile.name)!, '--list', 'Customers', '--json']);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^postroom: ${hostile.name.replace('.', '\\.')} `));
      expect(r.stderr).toMatch(hostile.expect);

      const ok = postroom(data, ['import', writeNormalCsv(dir), '--list', 'Customers', '--json']);
      expect(ok.status, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ list: 'Customers', rows: 500, imported: 500, updated: 0, duplicates: 0, invalid: 0, suppressed: 0 });
    }, 90_000);
  }
});
