// Builds everything the app runs from dist/: the Electron main and preload, the command line (esbuild,
// CommonJS, node_modules left external so better-sqlite3's native module loads as installed), and the
// renderer (Vite). `npm test`, `npm start` and `npm run dist` all build first.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const only = process.argv[2]; // 'core' or 'renderer' to build one half

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: {
    __POSTROOM_VERSION__: JSON.stringify(pkg.version),
    // A distributor's own app registrations for "Sign in with Microsoft / Google" (README: Signing in); none by default.
    __POSTROOM_MICROSOFT_CLIENT_ID__: JSON.stringify(process.env.POSTROOM_BUILD_MICROSOFT_CLIENT_ID ?? ''),
    __POSTROOM_GOOGLE_CLIENT_ID__: JSON.stringify(process.env.POSTROOM_BUILD_GOOGLE_CLIENT_ID ?? ''),
  },
};

/** The command line's bundle takes zod from dist/zod-loader.cjs (electron/hosts/zod-loader.ts), beside it in dist/. */
const zodFromCache = {
  name: 'zod-from-cache',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, () => ({ path: './zod-loader.cjs', external: true }));
  },
};

if (only !== 'renderer') {
  await Promise.all([
    // bin/postroom.js runs this bundle through vm.Script with a code cache (electron/hosts/code-cache.ts), where
    // Node 20 loads an import() only with an experimental warning: its packages' import()s become require()s.
    build({ ...common, entryPoints: ['./electron/hosts/cli-main.ts'], outfile: 'dist/cli.cjs', supported: { 'dynamic-import': false }, plugins: [zodFromCache] }),
    build({ ...common, entryPoints: ['./electron/hosts/code-cache.ts'], outfile: 'dist/code-cache.cjs' }),
    // zod in one file, which the command line loads from a code cache of its own (electron/hosts/zod-loader.ts).
    build({ ...common, packages: undefined, sourcemap: false, stdin: { contents: "module.exports = require('zod');", resolveDir: process.cwd(), sourcefile: 'zod.cjs' }, outfile: 'dist/zod.cjs' }),
    build({ ...common, entryPoints: ['./electron/hosts/zod-loader.ts'], outfile: 'dist/zod-loader.cjs' }),
    // The outbox composes messages on a worker thread (electron/core/outbox/compose-pool.ts).
    build({ ...common, entryPoints: ['./electron/core/outbox/compose-worker.ts'], outfile: 'dist/compose-worker.cjs' }),
    // Imports parse and check spreadsheet rows on a worker thread (electron/core/import/import-worker.ts).
    build({ ...common, entryPoints: ['./electron/core/import/import-worker.ts'], outfile: 'dist/import-worker.cjs' }),
    build({ ...common, entryPoints: ['./electron/main.ts'], outfile: 'dist/main.cjs', external: ['electron'] }),
    // A sandboxed preload can require only 'electron' and a few Node built-ins: bundle everything else in.
    build({ ...common, packages: undefined, entryPoints: ['./electron/preload.ts'], outfile: 'dist/preload.cjs', external: ['electron'], platform: 'browser', format: 'cjs' }),
    // The command line answers --help and checks arguments from every command's spec, written out here, so that it
    // loads a command's module only to run it (electron/hosts/cli/table.ts).
    // --version and --help are answered by bin/postroom.js from a file written here too (electron/hosts/cli.ts, quickAnswers).
    build({
      ...common,
      sourcemap: false,
      stdin: { contents: "export * from './electron/hosts/cli/table'; export { quickAnswers, QUICK_ANSWERS_FILE } from './electron/hosts/cli';", resolveDir: process.cwd(), sourcefile: 'cli-table.ts', loader: 'ts' },
      outfile: 'dist/.cli-table.cjs',
    }),
  ]);
  const table = createRequire(import.meta.url)('../dist/.cli-table.cjs');
  writeFileSync(`dist/${table.COMMANDS_FILE}`, await table.commandsJson());
  writeFileSync(`dist/${table.QUICK_ANSWERS_FILE}`, JSON.stringify(table.quickAnswers((await table.loadedTable()).specs)));
  rmSync('dist/.cli-table.cjs');
  // What V8 compiles the command line's bundle and zod to, so that a `postroom` start doesn't compile them again.
  const { writeCodeCache } = createRequire(import.meta.url)('../dist/code-cache.cjs');
  for (const f of ['dist/cli.cjs', 'dist/zod.cjs']) writeCodeCache(path.resolve(f));
  // Then warmed with what everyday commands compile, in a data folder of their own (electron/hosts/code-cache.ts).
  const warm = mkdtempSync(path.join(os.tmpdir(), 'postroom-build-warm-'));
  try {
    const csv = path.join(warm, 'warm.csv');
    writeFileSync(csv, 'email,first_name\nwarm@example.com,Warm\n');
    const data = ['--data', path.join(warm, 'data')];
    for (const args of [['import', csv, '--list', 'Warm'], ['lists'], ['recipients', 'Warm'], ['template', 'list'], ['relay', 'list'], ['campaign', 'list']]) {
      const r = spawnSync(process.execPath, ['-e', 'require(process.argv[1]).warmCodeCaches(process.argv[2], process.argv.slice(3))', path.resolve('dist/code-cache.cjs'), path.resolve('dist/cli.cjs'), ...args, ...data], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (r.status !== 0) console.warn(`build: 'postroom ${args.join(' ')}' ended with ${r.status ?? r.signal} while warming the code cache; the cache is as the commands before it left it.`);
    }
  } finally {
    rmSync(warm, { recursive: true, force: true });
  }
}
if (only !== 'core') {
  rmSync('dist/renderer', { recursive: true, force: true });
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
