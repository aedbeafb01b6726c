import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCacheFile, writeCodeCache, type CodeCacheUse } from '../../electron/hosts/code-cache';
import { tempDir } from '../helpers';

// The command line's code cache (electron/hosts/code-cache.ts): written by the build, used by bin/postroom.js.
// Whether V8 takes a cache shows only in a process of its own: a V8 that compiled the same source already answers
// from memory and never reads the cache. So the loader runs in child processes, built from its source here.
let loaderDir: string;
let loader: string;
beforeAll(async () => {
  if (!fs.existsSync('dist/cli.cjs.cache') || !fs.existsSync('dist/cli-commands.json')) spawnSync(process.execPath, ['scripts/build.mjs', 'core'], { stdio: 'inherit' });
  loaderDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-code-cache-'));
  loader = path.join(loaderDir, 'code-cache.cjs');
  await build({ entryPoints: ['electron/hosts/code-cache.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: loader, logLevel: 'silent' });
}, 120_000);
afterAll(() => fs.rmSync(loaderDir, { recursive: true, force: true }));

const VERSION = JSON.parse(fs.readFileSync('package.json', 'utf8')).version;

const ANSWER = "'use strict';\nexports.answer = 42;\nexports.where = [__filename, __dirname];\n";
/** The same module changed without changing its length, as a rebuild can. */
const CHANGED = ANSWER.replace('42', '43');

/** A small CommonJS module in a fresh folder, and its path. */
function moduleFile(source: string): string {
  const file = path.join(tempDir(), 'bundle.cjs');
  fs.writeFileSync(file, source);
  return file;
}

/** Runs `file` through runWithCodeCache in a fresh process: what became of its cache, and what it exported. */
function runFresh(file: string): { cache: CodeCacheUse; exports: unknown } {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(require(process.argv[1]).runWithCodeCache(process.argv[2])))', loader, file], { encoding: 'utf8' });
  expect(r).toMatchObject({ status: 0, stderr: '' });
  return JSON.parse(r.stdout);
}

/** Where V8's data starts in a cache file: after the header line and the copy of the source. */
function dataStart(cache: Buffer, sourceBytes: number): number {
  return cache.indexOf('\n') + 1 + sourceBytes;
}

/** The command line's bundle with `code` in place of the line that starts it, and the same length in bytes. */
function sameLengthStart(bundle: string, code: string): string {
  const start = 'void main(builtTable(__dirname));';
  expect(bundle.split(start)).toHaveLength(2);
  expect(code.length).toBeLessThanOrEqual(start.length);
  return bundle.replace(start, code.padEnd(start.length));
}

/** bin/postroom.js and the built command line, copied to a fresh folder so that a test may change them. */
function copiedCommand(): { bin: string; dist: string } {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'bin'));
  fs.mkdirSync(path.join(root, 'dist'));
  fs.copyFileSync('bin/postroom.js', path.join(root, 'bin/postroom.js'));
  for (const f of ['cli.cjs', 'cli.cjs.cache', 'code-cache.cjs', 'cli-commands.json']) fs.copyFileSync(path.join('dist', f), path.join(root, 'dist', f));
  return { bin: path.join(root, 'bin/postroom.js'), dist: path.join(root, 'dist') };
}

function run(bin: string, args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, POSTROOM_DATA: tempDir() } });
}

describe('the command line with its code cache', () => {
  it('runs from the cache the build wrote, which V8 accepts', () => {
    // What bin/postroom.js does, telling what became of the cache.
    const runner = path.join(tempDir(), 'run.cjs');
    fs.writeFileSync(
      runner,
      `const { cache } = require(${JSON.stringify(path.resolve('dist/code-cache.cjs'))}).runWithCodeCache(${JSON.stringify(path.resolve('dist/cli.cjs'))}, module);
       process.on('exit', () => process.stderr.write(cache));`,
    );
    expect(run(runner, ['--version'])).toMatchObject({ status: 0, stdout: `${VERSION}\n`, stderr: 'accepted' });
  });

  it('is what bin/postroom.js runs, except with --enable-source-maps', () => {
    const { bin, dist } = copiedCommand();
    const file = path.join(dist, 'cli.cjs');
    const bundle = fs.readFileSync(file);
    // A doctored cache: V8's data from another bundle of the same length, filed under this bundle's bytes. What
    // runs shows where the code came from.
    fs.writeFileSync(file, sameLengthStart(bundle.toString('utf8'), 'process.stdout.write("cached");'));
    writeCodeCache(file);
    fs.writeFileSync(file, bundle);
    const cache = fs.readFileSync(codeCacheFile(file));
    bundle.copy(cache, cache.indexOf('\n') + 1);
    fs.writeFileSync(codeCacheFile(file), cache);
    expect(run(bin, ['--version'])).toMatchObject({ status: 0, stdout: 'cached' });
    // Node maps stack traces only in files require() compiled.
    const mapped = spawnSync(process.execPath, ['--enable-source-maps', bin, '--version'], { encoding: 'utf8' });
    expect(mapped).toMatchObject({ status: 0, stdout: `${VERSION}\n` });
  });

  it('takes zod from its own bundle and code cache, which V8 accepts, loaded by the first command that needs it', () => {
    const bundle = fs.readFileSync('dist/cli.cjs', 'utf8');
    expect(bundle).not.toMatch(/require\("zod"\)/);
    expect(bundle).toMatch(/require\("\.\/zod-loader\.cjs"\)/);
    const probe = `const { cache, exports } = require(${JSON.stringify(path.resolve('dist/code-cache.cjs'))}).runWithCodeCache(${JSON.stringify(path.resolve('dist/zod.cjs'))});
      process.stdout.write(cache + ' ' + exports.z.object({ n: exports.z.number() }).parse({ n: 1 }).n);`;
    expect(spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' })).toMatchObject({ status: 0, stdout: 'accepted 1' });
    // The loader runs dist/zod.cjs from its cache: given V8's data of another file of the same length (filed under
    // the file's own bytes), what it exports is the other file's.
    const dir = tempDir();
    fs.copyFileSync('dist/zod-loader.cjs', path.join(dir, 'zod-loader.cjs'));
    const zod = path.join(dir, 'zod.cjs');
    const real = Buffer.from('module.exports = { cached: false };');
    fs.writeFileSync(zod, 'module.exports = { cached: true  };');
    writeCodeCache(zod);
    fs.writeFileSync(zod, real);
    const cache = fs.readFileSync(codeCacheFile(zod));
    real.copy(cache, cache.indexOf('\n') + 1);
    fs.writeFileSync(codeCacheFile(zod), cache);
    const loaded = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(require(process.argv[1]).cached))', path.join(dir, 'zod-loader.cjs')], { encoding: 'utf8' });
    expect(loaded).toMatchObject({ status: 0, stdout: 'true' });
    // A data command runs with it, with and without source maps (then zod is require()d as a file).
    expect(run('bin/postroom.js', ['lists', '--json'])).toMatchObject({ status: 0, stdout: '[]\n', stderr: '' });
    expect(spawnSync(process.execPath, ['--enable-source-maps', 'bin/postroom.js', 'lists', '--json', '--data', tempDir()], { encoding: 'utf8' })).toMatchObject({ status: 0, stdout: '[]\n' });
  });

  it('was warmed by the build with what everyday commands compile, beyond what compiling the bundles alone gives', () => {
    for (const bundle of ['dist/cli.cjs', 'dist/zod.cjs']) {
      const copy = path.join(tempDir(), path.basename(bundle));
      fs.copyFileSync(bundle, copy);
      writeCodeCache(copy);
      const source = fs.statSync(bundle).size;
      const warmed = fs.readFileSync(codeCacheFile(bundle));
      const compiled = fs.readFileSync(codeCacheFile(copy));
      expect(warmed.length - dataStart(warmed, source), bundle).toBeGreaterThan(1.5 * (compiled.length - dataStart(compiled, source)));
    }
  });

  it('has no import() left in the bundle, which Node 20 would load from a vm.Script only with a warning', () => {
    expect(fs.readFileSync('dist/cli.cjs', 'utf8')).not.toMatch(/\bimport\(/);
  });

  it('ignores a cache made from a bundle of the same length, and runs the bundle as it is now', () => {
    const { bin, dist } = copiedCommand();
    const file = path.join(dist, 'cli.cjs');
    // Top-level code, which the cache holds compiled: were the cache used, the old bundle's start would run.
    fs.writeFileSync(file, sameLengthStart(fs.readFileSync(file, 'utf8'), 'process.stdout.write("changed");'));
    expect(run(bin, ['--version'])).toMatchObject({ status: 0, stdout: 'changed', stderr: '' });
  });

  it('runs without a cache, with a file that is not a cache, and without the loader', () => {
    const { bin, dist } = copiedCommand();
    fs.rmSync(path.join(dist, 'cli.cjs.cache'));
    expect(run(bin, ['--version'])).toMatchObject({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
    fs.writeFileSync(path.join(dist, 'cli.cjs.cache'), 'not a cache\n');
    expect(run(bin, ['--version'])).toMatchObject({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
    // A build from before the code cache.
    fs.rmSync(path.join(dist, 'code-cache.cjs'));
    expect(run(bin, ['--version'])).toMatchObject({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('says the command line has not been built when it has not', () => {
    const { bin, dist } = copiedCommand();
    fs.rmSync(path.join(dist, 'cli.cjs'));
    const r = run(bin, ['--version']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/hasn't been built yet\. Run 'npm run build'/);
  });
});

describe('runWithCodeCache', () => {
  it('runs a module as require() would, from the cache written for it', () => {
    const file = moduleFile(ANSWER);
    writeCodeCache(file);
    expect(runFresh(file)).toEqual({ cache: 'accepted', exports: { answer: 42, where: [file, path.dirname(file)] } });
  });

  it('does not offer V8 a cache made from other bytes of the same length, with which V8 would run the old module', () => {
    const file = moduleFile(ANSWER);
    writeCodeCache(file);
    fs.writeFileSync(file, CHANGED);
    expect(runFresh(file)).toMatchObject({ cache: 'mismatch', exports: { answer: 43 } });

    // Why the cache carries its source: V8 checks the length only, takes the stale cache and runs the old code.
    const v8Alone = spawnSync(
      process.execPath,
      [
        '-e',
        `const [file, cache, start] = process.argv.slice(1);
         const vm = require('node:vm'), fs = require('node:fs'), m = { exports: {} };
         const script = new vm.Script(require('node:module').wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData: fs.readFileSync(cache).subarray(+start) });
         script.runInThisContext()(m.exports, require, m, file, '.');
         process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected, answer: m.exports.answer }));`,
        file,
        codeCacheFile(file),
        String(dataStart(fs.readFileSync(codeCacheFile(file)), CHANGED.length)),
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(v8Alone.stdout)).toEqual({ rejected: false, answer: 42 });
  });

  it('compiles the module when its cache is missing, cut off, from another Node or damaged', () => {
    const file = moduleFile(ANSWER);
    const cache = codeCacheFile(file);
    expect(runFresh(file)).toMatchObject({ cache: 'missing', exports: { answer: 42 } });

    writeCodeCache(file);
    const good = fs.readFileSync(cache);
    fs.writeFileSync(cache, good.subarray(0, good.length - 100));
    expect(runFresh(file)).toMatchObject({ cache: 'mismatch', exports: { answer: 42 } });

    fs.writeFileSync(cache, Buffer.from(good.toString('latin1').replace(process.version, 'v0.0.0'), 'latin1'));
    expect(runFresh(file)).toMatchObject({ cache: 'mismatch', exports: { answer: 42 } });

    // The header and the copy of the source are right, V8's data is not: V8 refuses it.
    const damaged = Buffer.from(good);
    damaged.fill(0, dataStart(good, ANSWER.length), dataStart(good, ANSWER.length) + 8);
    fs.writeFileSync(cache, damaged);
    expect(runFresh(file)).toMatchObject({ cache: 'rejected', exports: { answer: 42 } });
  });

  it('is warmed by running a command: every bundle it ran gets a cache with what V8 compiled meanwhile', () => {
    // A bundle that runs another through a second copy of the loader, as the command line runs zod (dist/zod-loader.cjs).
    const dir = tempDir();
    const loader2 = path.join(dir, 'loader-copy.cjs');
    fs.copyFileSync(loader, loader2);
    const body = (name: string) => `function ${name}() { let s = 0; for (let i = 0; i < 10; i++) { s += [i, i * 2, String(i)].length; if (s > 1e9) throw new Error('${name}'); } return s; }`;
    const inner = path.join(dir, 'inner.cjs');
    fs.writeFileSync(inner, `${body('work')}\nexports.work = work;\n`);
    const main = path.join(dir, 'main.cjs');
    fs.writeFileSync(
      main,
      `const inner = require(${JSON.stringify(loader2)}).runWithCodeCache(${JSON.stringify(inner)}).exports;\n${body('run')}\n` +
        `exports.answer = 42;\nif (process.argv.includes('go')) { run(); inner.work(); }\nif (process.argv.includes('fail')) process.exitCode = 1;\n`,
    );
    const dataOf = (file: string) => {
      const c = fs.readFileSync(codeCacheFile(file));
      return c.subarray(dataStart(c, fs.statSync(file).size));
    };
    writeCodeCache(main);
    writeCodeCache(inner);
    const compiled = [dataOf(main), dataOf(inner)];
    const warm = (args: string[]) => spawnSync(process.execPath, ['-e', 'require(process.argv[1]).warmCodeCaches(process.argv[2], process.argv.slice(3))', loader, main, ...args], { encoding: 'utf8' });
    // A command that failed leaves the caches as they were.
    expect(warm(['go', 'fail'])).toMatchObject({ status: 1, stderr: '' });
    expect([dataOf(main), dataOf(inner)]).toEqual(compiled);
    expect(warm(['go'])).toMatchObject({ status: 0, stderr: '' });
    expect(dataOf(main).length).toBeGreaterThan(compiled[0]!.length);
    expect(dataOf(inner).length).toBeGreaterThan(compiled[1]!.length);
    expect(runFresh(main)).toEqual({ cache: 'accepted', exports: { answer: 42 } });
    expect(runFresh(inner)).toMatchObject({ cache: 'accepted' });
  });

  it("still loads a package from an import() the build didn't turn into require()", () => {
    const file = moduleFile("exports.load = () => import('node:path').then((m) => typeof m.join);\n");
    const r = spawnSync(process.execPath, ['-e', 'require(process.argv[1]).runWithCodeCache(process.argv[2]).exports.load().then((t) => process.stdout.write(t))', loader, file], {
      encoding: 'utf8',
    });
    expect(r).toMatchObject({ status: 0, stdout: 'function' });
  });
});
