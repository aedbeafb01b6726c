/**
 * The spam-filter check: a composed message run through the local SpamAssassin (Debian/Ubuntu package
 * `spamassassin`, Homebrew `spamassassin`), with network tests off (-L), so nothing leaves the computer.
 */
import type * as ChildProcess from 'node:child_process';
import type { SpamCheck } from '../../../shared/contract/templates';
import { onFirstUse } from '../first-use';

// Loaded when a check runs: loading node:child_process took 7 ms of every command's start that opens the service.
const childProcess = onFirstUse<typeof ChildProcess>('node:child_process');

const NOT_INSTALLED =
  "SpamAssassin isn't installed on this computer, so the spam-filter check can't run. Install it (Debian/Ubuntu: 'sudo apt-get install spamassassin'; macOS: 'brew install spamassassin') and try again.";

/** Reads SpamAssassin's report ("Content analysis details"): the score, the threshold and each rule that fired. */
export function parseSpamReport(report: string): Omit<SpamCheck, 'available' | 'message'> {
  const head = /Content analysis details:\s*\((-?[\d.]+) points, (-?[\d.]+) required\)/.exec(report);
  const rules: SpamCheck['rules'] = [];
  const table = report.slice(report.search(/^\s*pts rule name/m));
  let inTable = false;
  for (const line of table.split(/\r?\n/)) {
    if (/^----/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    const m = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$/.exec(line);
    if (m) rules.push({ score: Number(m[1]), name: m[2]!, description: m[3]!.trim() });
    else if (/^\s{10,}\S/.test(line) && rules.length) rules[rules.length - 1]!.description += ' ' + line.trim();
    else if (!line.trim()) break;
  }
  return { score: head ? Number(head[1]) : null, threshold: head ? Number(head[2]) : null, rules };
}

export interface SpamOptions {
  /** The spamassassin program (tests point it elsewhere to see the "not installed" answer). */
  command?: string;
  timeoutMs?: number;
}

/** Runs `spamassassin -L -x -t` on the message. Never throws: a missing program is an answer, not an error. */
export function spamCheck(raw: Buffer, opts: SpamOptions = {}): Promise<SpamCheck> {
  const command = opts.command ?? 'spamassassin';
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    let done = false;
    const finish = (v: SpamCheck) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(v);
    };
    const unavailable = (message: string): SpamCheck => ({ available: false, score: null, threshold: null, rules: [], message });
    // -L: local tests only (no DNS blocklists, no Razor/Pyzor); -x: don't create ~/.spamassassin; -t: test mode, report appended.
    const child = childProcess().spawn(command, ['-L', '-x', '-t'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(unavailable(`SpamAssassin did not answer within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} seconds. Try again.`));
    }, opts.timeoutMs ?? 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(unavailable(e.code === 'ENOENT' ? NOT_INSTALLED : `SpamAssassin could not be started: ${e.message}.`));
    });
    child.stdin.on('error', () => undefined); // it may exit before reading everything; 'close' reports it
    child.on('close', (code) => {
      const report = parseSpamReport(out);
      if (report.score === null) {
        const why = err.trim().split('\n').pop() ?? `exit code ${code}`;
        finish(unavailable(`SpamAssassin ran but gave no report (${why}). Check that it works with 'spamassassin --lint'.`));
        return;
      }
      const verdict =
        report.score >= (report.threshold ?? 5)
          ? `Scored ${report.score} of ${report.threshold}: SpamAssassin would call this spam. See the rules below.`
          : report.score > 1
            ? `Scored ${report.score} (spam from ${report.threshold}). Some filters are stricter: look at the rules below.`
            : `Scored ${report.score} (spam from ${report.threshold}): looks like ordinary mail.`;
      finish({ available: true, ...report, message: verdict });
    });
    child.stdin.end(raw);
  });
}
