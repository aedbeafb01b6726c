// `npm run bench`: runs every benchmark in test/bench/*.bench.ts (or those named on the command line:
// `npm run bench -- import`). Each is bundled with esbuild and run in its own Node process, so its peak
// RSS is its own. Benchmarks print their results; they are measurements, not pass/fail tests.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const wanted = process.argv.slice(2);
const files = readdirSync('test/bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark matches ${wanted.join(' ')}. Available: ${readdirSync('test/bench').join(', ')}`);
  process.exit(2);
}
const out = mkdtempSync(path.join(os.tmpdir(), 'postroom-bench-'));
let failed = 0;
for (const f of files) {
  const outfile = path.join(out, f.replace(/\.ts$/, '.cjs'));
  await build({
    entryPoints: [path.join('test/bench', f)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
    define: { __POSTROOM_VERSION__: JSON.stringify(pkg.version) },
    nodePaths: [path.resolve('node_modules')],
  });
  console.log(`\n=== ${f} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: process.cwd(), env: { ...process.env, NODE_PATH: path.resolve('node_modules'), POSTROOM_WORKER_DIR: path.resolve('dist') } });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
