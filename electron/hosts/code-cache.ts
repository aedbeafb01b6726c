/**
 * A V8 code cache for the command line's bundle (issue 17). Compiling dist/cli.cjs (650 KB) took some 21 ms of
 * every `postroom` start. The build compiles it once and writes what V8 made beside it (dist/cli.cjs.cache);
 * bin/postroom.js runs the bundle through vm.Script with that cache, the way require() runs a file. (Node 22's
 * module.enableCompileCache does this for every module; Node 20 has none.)
 *
 * V8 takes a cache for any source of the same length, so the file carries a copy of the bytes it was made from,
 * and V8 sees the cache only when those are the bundle's bytes exactly and this Node made it. Anything else (no
 * file, a later build, another Node, a cut-off file) compiles the bundle as usual, as does V8's own refusal.
 * Comparing the bytes costs 1-2 ms a start; a sha256 cost 9 ms, most of it loading node:crypto.
 * Built to dist/code-cache.cjs by scripts/build.mjs, which writes the cache with it.
 */
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** What became of a bundle's code cache when it ran. In every case but 'accepted' V8 compiled the bundle itself. */
export type CodeCacheUse =
  /** V8 used the cache. */
  | 'accepted'
  /** Made from these bytes by this Node, but V8 refused it (V8 flags such as --max-old-space-size, a damaged file). */
  | 'rejected'
  /** Not made from these bytes by this Node, or not a cache: V8 never saw it. */
  | 'mismatch'
  /** No cache file, or one that can't be read. */
  | 'missing';

/** The file beside a bundle that holds its code cache. */
export function codeCacheFile(bundle: string): string {
  return `${bundle}.cache`;
}

/**
 * Compiles `bundle` (an absolute path to a CommonJS file) without running it and writes its code cache beside it.
 * The build runs this with the Node that will run the command line; another Node simply won't use the cache.
 * Such a cache holds little more than the top level: esbuild wraps each module of a bundle in a function, which V8
 * compiles only when the module first loads. The build then warms it (warmCodeCaches).
 */
export function writeCodeCache(bundle: string): void {
  const source = fs.readFileSync(bundle);
  writeCache(bundle, source, compile(bundle, source).createCachedData());
}

/** Every bundle this process ran through runWithCodeCache: one registry for the copies of this module that dist/ bundles (dist/zod-loader.cjs has its own). */
type Ran = Map<string, { script: vm.Script; source: Buffer }>;
const ran = ((globalThis as Record<symbol, unknown>)[Symbol.for('postroom.codeCache.ran')] ??= new Map()) as Ran;

/**
 * Runs `bundle` (the command line's) as `postroom ARGS` would, from its code cache, and when the command has ended
 * well writes the code cache of every bundle it ran (the command line's and zod's) again, now with all V8 compiled
 * meanwhile: the modules that command loaded, its handlers, zod's schemas. The build runs a few everyday commands so,
 * one after another, each starting from the cache the one before wrote (`postroom lists`: 220-256 → 162-199 ms).
 */
export function warmCodeCaches(bundle: string, args: string[]): void {
  process.argv = [process.argv[0]!, bundle, ...args];
  process.once('exit', (code) => {
    if (code !== 0) return;
    for (const [file, { script, source }] of ran) writeCache(file, source, script.createCachedData());
  });
  runWithCodeCache(bundle, undefined);
}

function writeCache(bundle: string, source: Buffer, data: Buffer): void {
  const file = codeCacheFile(bundle);
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, Buffer.concat([Buffer.from(header(source.length, data.length), 'latin1'), source, data]));
  // Renamed into place, so a command starting meanwhile reads the old cache or the new one, never half of one.
  fs.renameSync(partial, file);
}

/**
 * Runs `bundle` (an absolute path to a CommonJS file) as require() would, as a module whose parent is `parent`,
 * compiled from its code cache when the cache was made from these very bytes. Returns what it exported, and what
 * became of the cache.
 */
export function runWithCodeCache(bundle: string, parent?: Module): { exports: unknown; cache: CodeCacheUse } {
  const source = fs.readFileSync(bundle);
  let file: Buffer | null = null;
  try {
    file = fs.readFileSync(codeCacheFile(bundle));
  } catch {
    // No cache (or an unreadable one): compile as usual.
  }
  const cachedData = file && cachedDataFor(source, file);
  const script = compile(bundle, source, cachedData ?? undefined);
  const cache: CodeCacheUse = !file ? 'missing' : !cachedData ? 'mismatch' : script.cachedDataRejected ? 'rejected' : 'accepted';
  ran.set(bundle, { script, source });

  // The module require() would make: the bundle reads __dirname and __filename, and requires packages from
  // node_modules as a file in dist/ would.
  const dir = path.dirname(bundle);
  const mod = new Module(bundle, parent);
  mod.filename = bundle;
  // Node's own lookup list for a module in `dir`: undocumented, and the same in every release since 0.x.
  mod.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(dir);
  const requireHere = createRequire(bundle);
  requireHere.cache[bundle] = mod;
  try {
    (script.runInThisContext() as CommonJsWrapper).call(mod.exports, mod.exports, requireHere, mod, bundle, dir);
  } catch (e) {
    delete requireHere.cache[bundle];
    throw e;
  }
  mod.loaded = true;
  return { exports: mod.exports, cache };
}

type CommonJsWrapper = (this: unknown, exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;

/** The one way the bundle is compiled, for writing its cache and for running it, so that both see the same code. */
function compile(bundle: string, source: Buffer, cachedData?: Buffer): vm.Script {
  return new vm.Script(Module.wrap(source.toString('utf8')), {
    filename: bundle,
    cachedData,
    // Node 20 answers an import() from a vm.Script only through this loader, which warns that it is experimental,
    // so the build turns the command line's import()s into require()s (scripts/build.mjs). One left over still loads.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
}

function header(sourceBytes: number, dataBytes: number): string {
  return `postroom code cache 1 node ${process.version} ${process.arch} ${sourceBytes} ${dataBytes}\n`;
}

/** The V8 data in a cache file, if the file was made by this Node from exactly `source`; null otherwise. */
function cachedDataFor(source: Buffer, file: Buffer): Buffer | null {
  const end = file.subarray(0, 200).indexOf('\n');
  const m = end < 0 ? null : /^postroom code cache 1 node \S+ \S+ (\d+) (\d+)\n$/.exec(file.toString('latin1', 0, end + 1));
  if (!m || m[0] !== header(source.length, Number(m[2]))) return null;
  const start = end + 1 + source.length;
  if (file.length !== start + Number(m[2]) || !source.equals(file.subarray(end + 1, start))) return null;
  return file.subarray(start);
}
