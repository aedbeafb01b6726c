import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';

// The real `postroom` binary, as a person or an outside test runs it.
beforeAll(() => {
  if (!fs.existsSync('dist/cli.cjs') || !fs.existsSync('dist/renderer/index.html')) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}, 120_000);

function run(args: string[]) {
  return spawnSync(process.execPath, ['bin/postroom.js', ...args], { encoding: 'utf8', env: { ...process.env, POSTROOM_DATA: tempDir() } });
}

describe('bin/postroom.js', () => {
  it('exits 0 for --version and prints the package version', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
  });

  it('answers --version and --help without loading the bundle, with what the command line itself says', () => {
    // A hook that tells every module file Node loads.
    const hook = path.join(tempDir(), 'trace-loads.cjs');
    fs.writeFileSync(hook, "const M = require('node:module'); const load = M._load; M._load = function (r, parent, main) { const f = M._resolveFilename(r, parent, main); if (f.startsWith('/')) process.stderr.write('loaded ' + f + '\\n'); return load.apply(this, arguments); };");
    for (const arg of ['--version', '-v', '--help', '-h']) {
      // The bundle's own answer, then the quick one.
      const own = spawnSync(process.execPath, ['dist/cli.cjs', arg], { encoding: 'utf8' });
      const quick = spawnSync(process.execPath, ['-r', hook, 'bin/postroom.js', arg], { encoding: 'utf8' });
      expect(quick.status, arg).toBe(0);
      expect(own.status, arg).toBe(0);
      expect(quick.stdout, arg).toBe(own.stdout);
      expect(quick.stdout.length).toBeGreaterThan(4);
      const loaded = quick.stderr.split('\n').filter((l) => l.startsWith('loaded '));
      expect(loaded.some((l) => l.endsWith('bin/postroom.js')), arg).toBe(true);
      expect(loaded.filter((l) => l.includes('/dist/')), arg).toEqual([]);
    }
    // Anything else, even one word, goes to the command line as before.
    expect(run(['--version', '--json']).stdout.trim()).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
    expect(run(['lists', '--help']).stdout).toMatch(/^Usage: postroom lists/);
  });

  it('stops without a stack trace when its reader goes away (postroom … | head -1)', async () => {
    const data = tempDir();
    const csv = path.join(data, 'many.csv');
    fs.writeFileSync(csv, 'email,first_name\n' + Array.from({ length: 5000 }, (_, i) => `reader${i}@example.com,Name ${i}`).join('\n'));
    expect(spawnSync(process.execPath, ['bin/postroom.js', 'import', csv, '--list', 'Many', '--data', data], { encoding: 'utf8' }).status).toBe(0);
    // More than a pipe holds (some 350 KB), so the command is still writing when the reader goes.
    for (const args of [['recipients', 'Many', '--json'], ['recipients', 'Many']]) {
      const child = spawn(process.execPath, ['bin/postroom.js', ...args, '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      // The first bytes, then the reader closes its end, as `head -1` does.
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
      expect(err, args.join(' ')).toBe('');
      expect(code, args.join(' ')).not.toBeNull();
    }
  }, 30_000);

  it('exits 2 for a usage error, with one line on stderr and no stack trace', () => {
    const r = run(['lists', '--no-such-flag']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('serve prints the address with its token as the first line, and serves only with that token', async () => {
    const child = spawn(process.execPath, ['bin/postroom.js', 'serve', '--data', tempDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const m = /^Postroom is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+))$/.exec(first);
      expect(m).not.toBeNull();
      const status = (path: string) =>
        new Promise<number>((resolve, reject) => {
          http.get({ host: '127.0.0.1', port: Number(m![2]), path }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          }).on('error', reject);
        });
      expect(await status('/')).toBe(403);
      expect(await status(`/?token=${m![3]}`)).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
    expect(code).toBe(0);
  });
});
