/**
 * Import benchmark (issue 3): generates 100,000- and 1,000,000-row, 6-column CSVs, imports each through the
 * app's own import (`importFile`, what `lists:import` runs: detection, parsing, address checks, de-duplication,
 * staging and the final transaction into the list), and times `sqlite3`'s own `.import` of the same file into a
 * table with a case-insensitive unique index on the address, i.e. the same de-duplication work.
 *
 * Each import runs in a child process of its own, so its peak RSS is its own (both threads of the import
 * counted). Each side runs several times, alternating, and the medians are compared: on a shared 2-core machine
 * one run can be a quarter slower than the next. Prints every run, rows/s for both, the ratio (target ≥ 0.6) by
 * the clock and by CPU time, and where Postroom's time goes on each thread. Run: `npm run bench -- import`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createService } from '../../electron/core/service';
import { importFile } from '../../electron/core/import/importer';
import { prestartImportWorker } from '../../electron/core/import/worker-feed';
import { importWorkerFile } from '../../electron/core/import/worker-file';
import { ensureSqlite3, generate, median, sqliteReference } from './helpers';

// `IMPORT_BENCH_ROWS=100000` runs one size only; `IMPORT_BENCH_RUNS=5` runs each side 5 times (default: 9 at
// 100,000 rows, 3 at a million).
const SIZES = process.env.IMPORT_BENCH_ROWS ? process.env.IMPORT_BENCH_ROWS.split(',').map(Number) : [100_000, 1_000_000];
const runsFor = (rows: number) => Math.max(1, Number(process.env.IMPORT_BENCH_RUNS ?? (rows >= 1_000_000 ? 3 : 9)));
interface PostroomRun {
  seconds: number;
  cpu: number;
  rows: number;
  imported: number;
  timings: Record<string, number>;
  maxRssMb: number;
}

/** The child: one import, then its numbers as JSON on the last line of stdout. */
async function child(file: string, dataDir: string): Promise<void> {
  // The worker as the build made it (dist/import-worker.cjs: run `npm run build` first); without it the import
  // runs on the calling thread.
  await importWorkerFile();
  // As `postroom import` does: the import worker starts, then the database is opened (the app starts it when the
  // file is previewed). POSTROOM_BENCH_COLD=1 leaves it to the import, to time a cold start.
  if (!process.env.POSTROOM_BENCH_COLD) await prestartImportWorker();
  const service = createService({ dataDir, host: 'cli' });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await importFile(service.ctx.db, { path: file, listName: 'Bench', importId: 'bench', now: () => Date.now() });
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  await service.close();
  const s = result.summary;
  console.log(JSON.stringify({ seconds, cpu, rows: s.rows, imported: s.imported, invalid: s.invalid, duplicates: s.duplicates, timings: result.timings, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  if (process.argv[2] === 'child') return child(process.argv[3]!, process.argv[4]!);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-import-bench-'));
  const sqlite3 = ensureSqlite3();
  try {
    for (const n of SIZES) {
      const RUNS = runsFor(n);
      const file = path.join(dir, `recipients-${n}.csv`);
      generate(file, n);
      const mb = fs.statSync(file).size / 1024 / 1024;
      console.log(`\n${n.toLocaleString('en')} rows × 6 columns (${mb.toFixed(0)} MB CSV), ${RUNS} runs of each, alternating`);
      const ours: PostroomRun[] = [];
      const refs: Array<{ seconds: number; cpu: number; rows: number }> = [];
      for (let r = 0; r < RUNS; r++) {
        const data = path.join(dir, `data-${n}-${r}`);
        const run = spawnSync(process.execPath, ['--expose-gc', __filename, 'child', file, data], { encoding: 'utf8', env: process.env });
        if (run.status !== 0) throw new Error(`the import failed:\n${run.stderr}`);
        fs.rmSync(data, { recursive: true, force: true });
        const p = JSON.parse(run.stdout.trim().split('\n').pop()!) as PostroomRun;
        ours.push(p);
        const line = `  run ${r + 1}: Postroom ${p.seconds.toFixed(2)} s (CPU ${p.cpu.toFixed(2)} s, peak RSS ${p.maxRssMb.toFixed(0)} MB)`;
        if (sqlite3) {
          const ref = sqliteReference(sqlite3, file, dir);
          refs.push(ref);
          console.log(`${line} · sqlite3 ${ref.seconds.toFixed(2)} s · ratio ${(ref.seconds / p.seconds).toFixed(2)}`);
        } else console.log(line);
      }
      // Medians: on a shared 2-core machine one run of either side can be a quarter slower than the next.
      const p = median(ours, (x) => x.seconds);
      const pRate = p.rows / p.seconds;
      console.log(`  Postroom import : ${p.seconds.toFixed(2)} s (CPU ${p.cpu.toFixed(2)} s)  ${Math.round(pRate).toLocaleString('en')} rows/s  peak RSS ${Math.max(...ours.map((x) => x.maxRssMb)).toFixed(0)} MB at most  (imported ${p.imported.toLocaleString('en')})  — the median run`);
      const t = p.timings;
      const sec = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(2)} s`;
      console.log(`    worker thread : decode ${sec(t.decode)} · parse ${sec(t.parse)} · validate ${sec(t.validate)}  (side by side with the writer)`);
      console.log(`    calling thread: de-dup & suppression ${sec(t.dedupe)} · insert into the stage ${sec(t.insert)} · commit ${sec(t.merge)} · waiting for the worker ${sec(t.waiting)} · total ${sec(t.total)}`);
      if (sqlite3) {
        const ref = median(refs, (x) => x.seconds);
        const rRate = ref.rows / ref.seconds;
        const ratios = ours.map((o, i) => refs[i]!.seconds / o.seconds).sort((x, y) => x - y);
        console.log(`  sqlite3 .import : ${ref.seconds.toFixed(2)} s (CPU ${ref.cpu.toFixed(2)} s)  ${Math.round(rRate).toLocaleString('en')} rows/s  (${ref.rows.toLocaleString('en')} rows)  — the median run`);
        console.log(
          `  ratio Postroom / sqlite3 (medians): ${(pRate / rRate).toFixed(2)} by the clock (runs ${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)}), ` +
            `${(median(refs, (x) => x.cpu).cpu / median(ours, (x) => x.cpu).cpu).toFixed(2)} by CPU time (target ≥ 0.60); load average ${os.loadavg()[0]!.toFixed(1)}`,
        );
      } else console.log('  sqlite3 .import : not available (apt-get install sqlite3 failed); no reference');
      fs.rmSync(file, { force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
