/**
 * Send benchmark (issue 5): 20,000 personalised messages (a 5 KB HTML template with 6 fields, plus its text part)
 * from the outbox — claim → merge → compose → SMTP → status committed — to Postfix's `smtp-sink` on 127.0.0.1
 * with 1, 4 and 8 connections; in the same run `smtp-source -d` with the same sessions and message count, its
 * `-l` set to the size of Postroom's composed message. Then 100,000 messages at 4 connections to watch RSS.
 *
 * Prints messages/s for both, the ratio, peak RSS, and where Postroom's time goes.
 * Targets: ≥ 0.15 of smtp-source at 4 connections; RSS growth < 50 MB over 100,000 messages.
 * `POSTROOM_BENCH_MESSAGES` / `POSTROOM_BENCH_LONG` change the counts (LONG=0 skips the 100,000 run),
 * `POSTROOM_BENCH_CONNECTIONS=4` runs only some connection counts, `POSTROOM_BENCH_WORKER=0` composes on the
 * engine thread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createService, type Service } from '../../electron/core/service';
import { dispatch } from '../../shared/router';
import { insertTemplate } from '../../electron/core/store/templates';
import { createRelay } from '../../electron/core/relay';
import { Engine } from '../../electron/core/outbox/engine';
import { prepareComposer, newMessageId } from '../../electron/core/compose';
import { build } from 'esbuild';
import { ComposePool, defaultWorkerCount } from '../../electron/core/outbox/compose-pool';
import { FIELDS, ensurePostfix, populate, smtpSource, startSink, templateHtml } from './helpers';

/** Builds the compose worker the way scripts/build.mjs does, so the engine composes off its thread as in dist/. */
async function buildWorker(): Promise<string> {
  // Inside the checkout, so that the worker finds node_modules as dist/compose-worker.cjs does.
  const outfile = path.resolve('node_modules/.cache/postroom-bench/compose-worker.cjs');
  await build({
    entryPoints: [path.resolve('electron/core/outbox/compose-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
    define: { __POSTROOM_VERSION__: JSON.stringify('bench') },
    nodePaths: [path.resolve('node_modules')],
  });
  return outfile;
}
let workerFile: string | null = null;

const MESSAGES = Number(process.env.POSTROOM_BENCH_MESSAGES ?? 20_000);
const LONG = Number(process.env.POSTROOM_BENCH_LONG ?? 100_000);
const WORKERS = process.env.POSTROOM_BENCH_WORKERS ? Number(process.env.POSTROOM_BENCH_WORKERS) : undefined;

async function call(service: Service, channel: Parameters<typeof dispatch>[1], input: unknown) {
  const r = await dispatch(service.handlers, channel, input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

interface RunResult {
  /** CPU time of this process (every thread) per message, ms. */
  cpuPerMessage: number;
  rate: number;
  seconds: number;
  peakRss: number;
  rssSamples: Array<{ sent: number; rss: number }>;
  stats: Engine['stats'];
}

async function runCampaign(service: Service, name: string, list: string, relay: string, n: number): Promise<RunResult> {
  await call(service, 'campaigns:create', { name, list, template: 'bench', relays: [relay] });
  await call(service, 'campaigns:send', { campaign: name });
  const engine = new Engine(service.ctx, { composeWorker: workerFile, composeWorkers: WORKERS });
  const id = (service.ctx.db.prepare(`SELECT id FROM campaigns WHERE name = ?`).get(name) as { id: number }).id;
  const state = service.ctx.db.prepare(`SELECT state FROM campaigns WHERE id = ?`);
  const rssSamples: RunResult['rssSamples'] = [];
  let peak = 0;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    peak = Math.max(peak, rss);
    rssSamples.push({ sent: engine.stats.sent, rss });
  }, 500);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  engine.start();
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if ((state.get(id) as { state: string }).state !== 'sending') {
        clearInterval(t);
        resolve();
      }
    }, 20);
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  await engine.stop();
  const final = (state.get(id) as { state: string }).state;
  if (final !== 'completed' || engine.stats.sent !== n) throw new Error(`campaign ${name} ended ${final} with ${engine.stats.sent} of ${n} sent`);
  return { rate: n / seconds, seconds, peakRss: peak, rssSamples, stats: engine.stats, cpuPerMessage: (cpu.user + cpu.system) / 1000 / n };
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  ensurePostfix();
  // POSTROOM_BENCH_DIR=/dev/shm puts the data folder in memory: shows how much of the time is the disk's fsync.
  const dir = fs.mkdtempSync(path.join(process.env.POSTROOM_BENCH_DIR ?? os.tmpdir(), 'postroom-bench-send-'));
  const service = createService({ dataDir: dir, host: 'cli' });
  const sink = await startSink();
  workerFile = process.env.POSTROOM_BENCH_WORKER === '0' ? null : await buildWorker();
  try {
    const now = Date.now();
    insertTemplate(service.ctx.db, { name: 'bench', subject: 'Spring news for {{ first_name }}', from: 'The Shop <shop@example.com>', replyTo: null, format: 'html', body: templateHtml(), text: null, attachField: null }, now);
    populate(service, 'bench', MESSAGES);
    const templateId = (service.ctx.db.prepare(`SELECT id FROM templates WHERE name = 'bench'`).get() as { id: number }).id;
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'probe', listName: 'bench', unsubscribe: { mailto: 'unsubscribe@example.com' } });
    const sample = await composer.compose(
      { email: 'person1@example.net', name: null, fields: { first_name: 'Anna1', last_name: 'Berg1', company: 'Company 1', city: 'Lyon', plan: 'Standard', renewal_date: '2027-02-11' } },
      newMessageId('shop@example.com'),
    );
    const size = sample.raw.length;
    if (workerFile) {
      const probe = new ComposePool(service.ctx, { templateId, campaignName: 'probe', listName: 'bench', unsubscribe: null }, composer, workerFile);
      if (!(await probe.usesWorker())) {
        console.log(`The compose worker didn't start (${probe.failure}); composing on the engine thread.`);
        workerFile = null;
      }
      await probe.close();
    }
    console.log(`Composition on ${workerFile ? `${WORKERS ?? defaultWorkerCount()} worker thread(s)` : 'the engine thread'}.`);
    console.log(`${MESSAGES.toLocaleString('en-US')} messages, template ${templateHtml().length} bytes of HTML with ${FIELDS.length} fields; composed message ${size} bytes; data folder on ${dir}; ${os.cpus().length} CPUs`);
    console.log('');
    console.log(`Load average before: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log('conns  postroom msg/s  smtp-source msg/s  ratio   time  cpu/msg (source)  compose  claim  commits(n)         send-wait  gate');
    const rssStart = process.memoryUsage.rss();
    let peak = rssStart;
    const connCounts = (process.env.POSTROOM_BENCH_CONNECTIONS ?? '1,4,8').split(',').map(Number);
    for (const conns of connCounts) {
      createRelay(service.ctx, { name: `sink${conns}`, host: '127.0.0.1', port: sink.port, security: 'none', limits: { connections: conns } });
      const r = await runCampaign(service, `bench-${conns}`, 'bench', `sink${conns}`, MESSAGES);
      peak = Math.max(peak, r.peakRss);
      const src = smtpSource(sink.port, conns, MESSAGES, size);
      const s = r.stats;
      console.log(
        `${String(conns).padStart(5)}  ${r.rate.toFixed(0).padStart(14)}  ${src.rate.toFixed(0).padStart(17)}  ${(r.rate / src.rate).toFixed(3).padStart(5)}  ${r.seconds.toFixed(1).padStart(5)}s` +
          `  ${r.cpuPerMessage.toFixed(2).padStart(5)}ms (${src.cpuPerMessage.toFixed(2)}ms)` +
          `  ${(s.composeMs / 1000).toFixed(1).padStart(6)}s  ${(s.claimMs / 1000).toFixed(1).padStart(4)}s  ${(s.commit.commitMs / 1000).toFixed(1).padStart(5)}s (${s.commit.commits} for ${s.commit.writes})` +
          `  ${(s.sendMs / 1000).toFixed(1).padStart(8)}s  ${(s.gateWaitMs / 1000).toFixed(1)}s`,
      );
    }
    console.log('');
    console.log('cpu/msg: CPU of every Postroom thread per message (smtp-source\'s own in brackets; smtp-sink not counted);');
    console.log('compose: claim-to-composed latency summed over messages (overlaps sending); claim: leasing rows; commits: synchronous=FULL group commits');
    console.log('(n commits for n writes: acceptances + begins); send-wait: summed over connections, time with the relay.');
    console.log(`Peak RSS during the 20,000-message runs: ${mb(peak)} (start ${mb(rssStart)}).`);

    if (LONG > 0) {
      populate(service, 'long', LONG);
      createRelay(service.ctx, { name: 'sink-long', host: '127.0.0.1', port: sink.port, security: 'none', limits: { connections: 4 } });
      const r = await runCampaign(service, 'long', 'long', 'sink-long', LONG);
      const after10k = r.rssSamples.find((x) => x.sent >= Math.min(10_000, LONG / 10))?.rss ?? r.rssSamples[0]?.rss ?? 0;
      const end = r.rssSamples.at(-1)?.rss ?? 0;
      console.log('');
      console.log(
        `${LONG.toLocaleString('en-US')} messages at 4 connections: ${r.rate.toFixed(0)} msg/s; RSS ${mb(after10k)} after the first ${Math.min(10_000, LONG / 10).toLocaleString('en-US')}, ` +
          `${mb(end)} at the end (growth ${mb(end - after10k)}), peak ${mb(r.peakRss)}.`,
      );
    }
  } finally {
    sink.child.kill('SIGTERM');
    await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
