/**
 * "Other SMTP server" without knowing its settings: given the server's name and the account, try the usual
 * port and security pairs as Thunderbird's account set-up does — 465 with TLS, 587 with STARTTLS, 25 with
 * STARTTLS — and keep the first (in that order of preference) that connects and signs in. Unencrypted only for
 * a server on this computer, or when the person chose it: a password never crosses a network in the clear
 * without being asked. The pairs are tried at once (a firewalled port costs its timeout only once).
 */
import type { CoreContext } from '../context';
import type { RelayCreate, RelayDetectResult, Security } from '../../../shared/contract/relays';
import { draftRelay } from './profiles';
import { testRelay, type RelayTestOptions } from './test-relay';

export interface Candidate {
  port: number;
  security: Security;
}

export interface DetectOptions extends RelayTestOptions {
  /** The pairs to try, in order of preference (default: 465 TLS, 587 STARTTLS, 25 STARTTLS, then 25 unencrypted when allowed). */
  candidates?: Candidate[];
  /** Also try without encryption though the server isn't on this computer. */
  allowUnencrypted?: boolean;
}

const STEP_ORDER = ['dns', 'tcp', 'tls', 'smtp', 'token', 'auth', 'send'] as const;

/** A server on this computer: its traffic never leaves it. */
export function isLocalHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}

/** "mail.example.com:2525" → host and port; an IPv6 address without brackets is a host alone. */
export function splitHostPort(value: string): { host: string; port?: number } {
  const v = value.trim();
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(v);
  if (!m) return { host: v };
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1]!.replace(/^\[|\]$/g, ''), port } : { host: v };
}

/** The pairs tried for a host (and a port the person gave with it), most secure first. */
export function defaultCandidates(host: string, port: number | undefined, allowUnencrypted: boolean): Candidate[] {
  const plain = allowUnencrypted || isLocalHost(host);
  if (port !== undefined) {
    return [{ port, security: 'tls' }, { port, security: 'starttls' }, ...(plain ? [{ port, security: 'none' as const }] : [])];
  }
  return [
    { port: 465, security: 'tls' },
    { port: 587, security: 'starttls' },
    { port: 25, security: 'starttls' },
    ...(plain ? [{ port: 25, security: 'none' as const }, { port: 587, security: 'none' as const }] : []),
  ];
}

/** Finds the port and security that work for `draft` (its own port and security are ignored). Never rejects. */
export async function detectRelaySettings(ctx: CoreContext, draft: RelayCreate, opts: DetectOptions = {}): Promise<RelayDetectResult> {
  const { host, port } = splitHostPort(draft.host ?? '');
  const allowPlain = opts.allowUnencrypted === true || isLocalHost(host);
  const candidates = (opts.candidates ?? defaultCandidates(host, port, allowPlain)).filter((c) => c.security !== 'none' || allowPlain);
  const timeouts = { connectMs: 8_000, greetingMs: 8_000, ...opts.timeouts };
  const results = await Promise.all(
    candidates.map(async (c) => {
      try {
        return await testRelay(ctx, draftRelay(ctx, { ...draft, preset: 'custom', host, port: c.port, security: c.security }), { ...opts, secret: opts.secret ?? draft.password, timeouts });
      } catch (err) {
        // A draft the core refuses (no password for a login, a bad host) is the same for every pair.
        return { ok: false as const, step: 'dns' as const, message: (err as Error).message, passed: [] };
      }
    }),
  );
  const tried = candidates.map((c, i) => ({ ...c, ok: results[i]!.ok, message: results[i]!.message }));
  const found = results.findIndex((r) => r.ok);
  if (found >= 0) {
    const c = candidates[found]!;
    const r = results[found]!;
    return { ok: true, host, port: c.port, security: c.security, message: r.message, ...(r.note ? { note: r.note } : {}), passed: r.passed, tried };
  }
  // None worked: tell the failure that got furthest (a refused password says more than a closed port).
  let best = 0;
  results.forEach((r, i) => {
    const step = (x: typeof r) => (x.ok ? STEP_ORDER.length : STEP_ORDER.indexOf(x.step));
    if (step(r) > step(results[best]!)) best = i;
  });
  const worst = results[best];
  const ports = [...new Set(candidates.map((c) => c.port))].join(', ');
  if (!worst || worst.ok) {
    return { ok: false, step: 'tcp', message: `Nothing to try: give the server's name.`, passed: [], tried };
  }
  const noneAnswered = results.every((r) => !r.ok && (r.step === 'tcp' || r.step === 'dns'));
  return {
    ok: false,
    step: worst.step,
    message: noneAnswered
      ? `${worst.message} Postroom tried port${candidates.length > 1 ? 's' : ''} ${ports}${allowPlain ? '' : ' with encryption'}; check the server's name, or ask your provider for its SMTP port.`
      : worst.message,
    // The sentence by code only when it is the test's own, unchanged.
    ...(!noneAnswered && worst.note ? { note: worst.note } : {}),
    passed: worst.passed,
    tried,
  };
}
