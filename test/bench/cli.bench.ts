/**
 * Whole-command benchmark (issue 17): `postroom` as a person or a script runs it, one process per command from
 * start to finish, against a reference on the same machine. Each side runs alternately and the medians are
 * compared (on a shared 2-core machine one run can be twice as slow as the next):
 *   start-up  `postroom --version`, `--help`, `lists`, `status C` against `node -e 0` (goal: --version, --help < 0.15 s)
 *   import    `postroom import` of 100,000 rows × 6 columns against `sqlite3 .import` into a table with a unique
 *             NOCASE index (goal ≥ 0.6)
 *   send      `postroom send C --follow` of 20,000 messages, 4 connections, to Postfix's smtp-sink, against
 *             `smtp-source -d -s 4 -l SIZE` with SIZE the composed message's (goal ≥ 0.30)
 * `npm run bench -- import` and `-- send` give the same work measured inside one warm process.
 * Runs the command line as built (bin/postroom.js; its core is built first). `POSTROOM_BENCH_CLI=startup,import,send`
 * picks parts, `POSTROOM_BENCH_RUNS` the runs per side (default 15 for start-up, 7 for import, 5 for send).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createService } from '../../electron/core/service';
import { insertTemplate } from '../../electron/core/store/templates';
import { createRelay } from '../../electron/core/relay';
import { dispatch } from '../../shared/router';
import { childrenCpuMs, ensurePostfix, ensureSqlite3, generate, median, populate, smtpSource, sqliteReference, startSink, templateHtml } from './helpers';

const BIN = path.resolve('bin/postroom.js');
const PARTS = (process.env.POSTROOM_BENCH_CLI ?? 'startup,import,send').split(',');
const runs = (fallback: number) => Number(process.env.POSTROOM_BENCH_RUNS) || fallback;
const IMPORT_ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 100_000);
const MESSAGES = Number(process.env.POSTROOM_BENCH_MESSAGES ?? 20_000);

interface Timed {
  seconds: number;
  /** CPU time of the process and its threads (children's user + system). */
  cpu: number;
}

/** Runs a command to its end; throws with its stderr when it fails. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Timed & { stdout: string } {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, env });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { seconds, cpu: (childrenCpuMs() - c0) / 1000, stdout: r.stdout };
}

const postroom = (args: string[]) => timed(process.execPath, [BIN, ...args]);

function load(): string {
  return `load average ${os.loadavg()[0]!.toFixed(1)}`;
}

/** `runs` alternating runs of each side; returns the medians by the clock, and the range of the per-pair ratios. */
function alternate(n: number, ours: () => Timed, reference: () => Timed) {
  const a: Timed[] = [];
  const b: Timed[] = [];
  for (let i = 0; i < n; i++) {
    a.push(ours());
    b.push(reference());
  }
  const ratios = a.map((x, i) => b[i]!.seconds / x.seconds).sort((x, y) => x - y);
  return { ours: median(a, (x) => x.seconds), ref: median(b, (x) => x.seconds), cpuOurs: median(a, (x) => x.cpu).cpu, cpuRef: median(b, (x) => x.cpu).cpu, ratios };
}

const s = (x: number) => `${x.toFixed(3)} s`;

/** One line of the start-up table: the command (without its data folder), both medians, the difference, CPU. */
function startupRow(args: string[], r: ReturnType<typeof alternate>): string {
  const command = args.filter((a) => !a.startsWith('/')).join(' ').replace('--data', '').trim();
  return `postroom ${command.padEnd(19)}  ${s(r.ours.seconds)}  ${s(r.ref.seconds)}     ${s(r.ours.seconds - r.ref.seconds)}   ${s(r.cpuOurs)} (${s(r.cpuRef)})`;
}

/** A data folder with the bench list, template, a relay to the sink with 4 connections and a draft campaign C. */
async function sendFolder(dir: string, port: number): Promise<void> {
  const service = createService({ dataDir: dir, host: 'cli' });
  try {
    insertTemplate(service.ctx.db, { name: 'bench', subject: 'Spring news for {{ first_name }}', from: 'The Shop <shop@example.com>', replyTo: null, format: 'html', body: templateHtml(), text: null, attachField: null }, Date.now());
    populate(service, 'bench', MESSAGES);
    createRelay(service.ctx, { name: 'sink', host: '127.0.0.1', port, security: 'none', limits: { connections: 4 } });
    const r = await dispatch(service.handlers, 'campaigns:create', { name: 'C', list: 'bench', template: 'bench', relays: ['sink'] });
    if (!r.ok) throw new Error(r.error.message);
  } finally {
    await service.close();
  }
}

async function main(): Promise<void> {
  // The command line as it is now: its core is built first (the renderer isn't needed).
  const built = spawnSync(process.execPath, ['scripts/build.mjs', 'core'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('The build failed.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-cli-bench-'));
  try {
    console.log(`Whole commands, one process each (node ${process.version}, ${os.cpus().length} CPUs); medians of alternating runs.`);

    if (PARTS.includes('startup')) {
      const data = path.join(dir, 'startup');
      postroom(['lists', 'create', 'Customers', '--data', data]);
      const n = runs(15);
      console.log(`\nStart-up: ${n} runs of each command alternating with \`node -e 0\` (${load()})`);
      console.log('command                      postroom   node -e 0   difference   CPU (node -e 0)');
      for (const args of [['--version'], ['--help'], ['lists', '--data', data], ['relay', 'list', '--data', data], ['send', '--help']]) {
        const r = alternate(n, () => postroom(args), () => timed(process.execPath, ['-e', '0']));
        console.log(startupRow(args, r));
      }
      // A CA file named in the environment is read by every Node process before it runs anything (~75 ms on the
      // development machine): the same commands without it show what is Postroom's.
      if (process.env.NODE_EXTRA_CA_CERTS) {
        const bare = { ...process.env };
        delete bare.NODE_EXTRA_CA_CERTS;
        const plain = (cmd: string, args: string[]) => timed(cmd, args, bare);
        console.log(`Without NODE_EXTRA_CA_CERTS (set here to ${process.env.NODE_EXTRA_CA_CERTS}):`);
        for (const args of [['--version'], ['--help'], ['lists', '--data', data]]) {
          const r = alternate(n, () => plain(process.execPath, [BIN, ...args]), () => plain(process.execPath, ['-e', '0']));
          console.log(startupRow(args, r));
        }
      }
      console.log(`(${load()} after)`);
    }

    if (PARTS.includes('import')) {
      const sqlite3 = ensureSqlite3();
      const file = path.join(dir, 'recipients.csv');
      generate(file, IMPORT_ROWS);
      const n = runs(7);
      console.log(`\nImport: \`postroom import\` of ${IMPORT_ROWS.toLocaleString('en')} rows × 6 columns, ${n} runs alternating with sqlite3 .import (${load()})`);
      if (!sqlite3) console.log('  sqlite3 is not available: no reference.');
      else {
        let k = 0;
        const r = alternate(
          n,
          () => {
            const data = path.join(dir, `import-${k++}`);
            const t = postroom(['import', file, '--list', 'Bench', '--json', '--data', data]);
            const summary = JSON.parse(t.stdout) as { imported: number };
            if (summary.imported !== IMPORT_ROWS) throw new Error(`imported ${summary.imported} of ${IMPORT_ROWS}`);
            fs.rmSync(data, { recursive: true, force: true });
            return t;
          },
          () => sqliteReference(sqlite3, file, dir),
        );
        console.log(`  postroom import : ${s(r.ours.seconds)} (CPU ${s(r.cpuOurs)})  ${Math.round(IMPORT_ROWS / r.ours.seconds).toLocaleString('en')} rows/s`);
        console.log(`  sqlite3 .import : ${s(r.ref.seconds)} (CPU ${s(r.cpuRef)})  ${Math.round(IMPORT_ROWS / r.ref.seconds).toLocaleString('en')} rows/s`);
        console.log(`  ratio (medians) : ${(r.ref.seconds / r.ours.seconds).toFixed(2)} by the clock (runs ${r.ratios[0]!.toFixed(2)}–${r.ratios.at(-1)!.toFixed(2)}), ${(r.cpuRef / r.cpuOurs).toFixed(2)} by CPU; goal ≥ 0.6 (${load()} after)`);
      }
      fs.rmSync(file, { force: true });
    }

    if (PARTS.includes('send')) {
      ensurePostfix();
      const sink = await startSink();
      try {
        const base = path.join(dir, 'send-base');
        await sendFolder(base, sink.port);
        const size = Buffer.byteLength(postroom(['preview', 'C', '--recipient', 'person1@example.net', '--raw', '--data', base]).stdout.replace(/\n$/, '').replace(/\r?\n/g, '\r\n'));
        const n = runs(5);
        console.log(`\nSend: \`postroom send C --follow\`, ${MESSAGES.toLocaleString('en')} messages of ${size} bytes, 4 connections to smtp-sink; ${n} runs alternating with smtp-source -d -s 4 -l ${size} (${load()})`);
        let k = 0;
        const r = alternate(
          n,
          () => {
            const data = path.join(dir, `send-${k++}`);
            fs.cpSync(base, data, { recursive: true });
            const t = postroom(['send', 'C', '--follow', '--json', '--data', data]);
            const done = JSON.parse(t.stdout.trim().split('\n').pop()!) as { state: string; sent: number };
            if (done.state !== 'completed' || done.sent !== MESSAGES) throw new Error(`the send ended ${done.state} with ${done.sent} sent`);
            fs.rmSync(data, { recursive: true, force: true });
            return t;
          },
          () => {
            const c0 = childrenCpuMs();
            const src = smtpSource(sink.port, 4, MESSAGES, size);
            return { seconds: MESSAGES / src.rate, cpu: (childrenCpuMs() - c0) / 1000 };
          },
        );
        console.log(`  postroom send --follow : ${s(r.ours.seconds)} (CPU ${s(r.cpuOurs)})  ${Math.round(MESSAGES / r.ours.seconds).toLocaleString('en')} msg/s`);
        console.log(`  smtp-source -d -s 4    : ${s(r.ref.seconds)} (CPU ${s(r.cpuRef)})  ${Math.round(MESSAGES / r.ref.seconds).toLocaleString('en')} msg/s`);
        console.log(`  ratio (medians)        : ${(r.ref.seconds / r.ours.seconds).toFixed(2)} by the clock (runs ${r.ratios[0]!.toFixed(2)}–${r.ratios.at(-1)!.toFixed(2)}); goal ≥ 0.30 (${load()} after)`);
      } finally {
        sink.child.kill('SIGTERM');
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
