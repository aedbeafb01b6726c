/**
 * "Send a test to me": one recipient's message exactly as the campaign would send it (same template, list data,
 * unsubscribe headers and DKIM signature), with `[TEST]` in front of the subject and a fresh Message-ID, sent
 * through the relay to the person's own address only. It takes a slot of the relay's limits, so tests count
 * against the quota honestly. When the relay doesn't take it, the error says which step failed and what to do
 * (the relay test's own words for login and connection failures).
 */
import type { CoreContext } from '../context';
import { PostroomError, type ErrorCode } from '../../../shared/result';
import { parseAddress } from '../../../shared/email-address';
import { getRelay, openRelayPool, rateGate, testRelay, formatDuration, type RelayProfile, type SmtpOutcome, type SendSlot } from '../relay';
import { newMessageId } from './index';
import { preparePreview, type PreviewTarget, type TemplateSource } from './preview';

export interface SendTestRequest extends PreviewTarget {
  relay: string;
  to: string;
}

export interface SendTestResult {
  ok: true;
  to: string;
  messageId: string;
  response: string;
}

/** A test waits at most this long for the relay's pacing (a per-second or per-minute gap); beyond it, it says so. */
const MAX_PACING_WAIT_MS = 5_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function sendTest(ctx: CoreContext, source: TemplateSource, req: SendTestRequest): Promise<SendTestResult> {
  const parsed = parseAddress(req.to.trim());
  if (!parsed.ok) throw new PostroomError('INVALID_INPUT', `The test can't be sent to that address: ${parsed.reason}. Type your own e-mail address.`);
  const to = parsed.address;
  const profile = getRelay(ctx, req.relay);

  const p = preparePreview(ctx, source, req);
  const problem = p.composer.checkRecipient(p.recipient);
  if (problem) throw new PostroomError('CONFLICT', `The campaign couldn't send ${p.recipient.email}'s message, so neither can the test: ${problem}`);
  const from = p.composer.renderParts(p.recipient).from.address;
  const message = await p.composer.compose(p.recipient, newMessageId(from), { subjectPrefix: '[TEST]', to });

  const gate = rateGate(ctx, profile);
  let outcome: SmtpOutcome;
  try {
    const slot = await reserve(gate, profile);
    const pool = openRelayPool(ctx, profile, { connections: 1 });
    try {
      outcome = await pool.send({ raw: message.raw, envelope: message.envelope }, slot);
    } finally {
      await pool.close();
    }
  } finally {
    gate.close();
  }
  if (outcome.kind === 'sent') return { ok: true, to, messageId: message.messageId, response: outcome.response };
  throw await explain(ctx, profile, outcome, to, from);
}

/** A slot of the relay's limits: waits out a short gap, refuses (with the limit's own words) when the wait is long. */
async function reserve(gate: ReturnType<typeof rateGate>, profile: RelayProfile): Promise<SendSlot> {
  const deadline = Date.now() + MAX_PACING_WAIT_MS;
  for (;;) {
    const r = gate.tryReserve();
    if (r.ok) return r.slot;
    const left = deadline - Date.now();
    if (r.waitMs > left) {
      throw new PostroomError(
        'CONFLICT',
        `The test wasn't sent: ${r.message.replace(/;\s*waiting for the next slot\.?$/i, '.')} The next slot of relay "${profile.name}" frees in ${formatDuration(r.waitMs)}; try again then, or use another relay.`,
      );
    }
    await sleep(Math.max(50, r.waitMs));
  }
}

const STEP_CODE: Record<string, ErrorCode> = { dns: 'DNS_FAILED', tcp: 'RELAY_UNREACHABLE', tls: 'TLS_FAILED', smtp: 'RELAY_UNREACHABLE', auth: 'AUTH_FAILED', send: 'SEND_FAILED' };

/** The outcome in a person's words, with the error code the UI acts on. */
async function explain(ctx: CoreContext, profile: RelayProfile, outcome: Exclude<SmtpOutcome, { kind: 'sent' }>, to: string, from: string): Promise<PostroomError> {
  const host = profile.host;
  switch (outcome.kind) {
    case 'auth':
    case 'unreachable': {
      // The relay test walks the steps again and says which one failed and what to do; a timeout isn't waited
      // for twice.
      if (outcome.kind === 'unreachable' && outcome.stage === 'timeout') {
        return new PostroomError('RELAY_UNREACHABLE', `The test wasn't sent: ${host}:${profile.port} didn't answer in time (${outcome.response}). A firewall may block port ${profile.port}, or the host or port of relay "${profile.name}" is wrong.`);
      }
      const diagnosis = await testRelay(ctx, profile);
      if (!diagnosis.ok) return new PostroomError(STEP_CODE[diagnosis.step] ?? 'SEND_FAILED', `The test wasn't sent. ${diagnosis.message}`);
      const code: ErrorCode = outcome.kind === 'auth' ? 'AUTH_FAILED' : outcome.stage === 'tls' ? 'TLS_FAILED' : outcome.stage === 'dns' ? 'DNS_FAILED' : 'RELAY_UNREACHABLE';
      return new PostroomError(code, `The test wasn't sent: ${outcome.response} (the relay answered a moment later, so it may have been passing). Try again.`);
    }
    case 'throttled':
      return new PostroomError('SEND_FAILED', `The test wasn't sent: ${host} asks Postroom to slow down (${outcome.response}). Wait a few minutes and try again.`);
    case 'deferred':
      return new PostroomError(
        'SEND_FAILED',
        outcome.maybeDelivered
          ? `The connection to ${host} was lost just after the test went out, so it may or may not arrive (${outcome.response}). Check your inbox before trying again.`
          : `${host} didn't take the test right now: ${outcome.response}. Try again in a few minutes.`,
      );
    case 'failed':
      return new PostroomError(
        'SEND_FAILED',
        `${host} refused the test message to ${to}: ${outcome.response}. Check that relay "${profile.name}" lets you send from ${from} and that ${to} is right.`,
      );
  }
}
