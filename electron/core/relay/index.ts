/**
 * The relay area: everything that talks SMTP. Relay profiles (with their provider's limits), the connection
 * pool that hands composed messages to a relay, the classification of every reply (RFC 5321 reply classes,
 * RFC 3463 enhanced status codes), the durable rate gate that paces all sends to a relay across connections,
 * campaigns and processes, the throttle controller that slows down when the relay asks, and the connection
 * test that says which step failed.
 *
 * How the engine uses it, per message:
 * ```ts
 * const relay = getRelay(ctx, 'office');               // profile (throws NOT_FOUND)
 * const gate = rateGate(ctx, relay);                   // one per relay per process; shares the SQLite ledger
 * const throttle = throttleController(relay, ctx.clock);
 * const pool = openRelayPool(ctx, relay, { connections: throttle.connections() });
 * ...
 * const r = gate.tryReserve({ minGapMs: throttle.gapMs() });
 * if (!r.ok) { sleep(r.waitMs); continue; }           // r.reason says which limit (day → quota message)
 * const outcome = await pool.send({ raw, envelope }, r.slot);  // settles the slot itself
 * throttle.observe(outcome); pool.setConnections(throttle.connections());
 * switch (outcome.kind) { case 'sent': ... case 'deferred': nextRetryDelayMs(relay.retry, attempts) ... }
 * ...
 * await pool.close(); gate.close();                    // on stop: writes buffered answers, stops lease renewal
 * ```
 * A send under way holds a lease in the ledger that this process renews; if the process dies, the slot frees
 * itself within 30 s. Outcomes `auth` and `unreachable` (and `throttled` with attempted: false) are not attempts:
 * their slot is given back. An `auth` outcome without `code` is local (e.g. the --password-env variable is not
 * set): its `response` is then a whole sentence, not the server's words.
 * Only this folder imports nodemailer's SMTP code.
 */
export type { Security } from '../../../shared/contract/relays';
export type { PresetName, Preset } from './presets';
export { PRESETS, PRESET_NAMES, presetOf } from './presets';

export type { RelayLimits, RetryPolicy, AuthKind, RelayProfile, RelayInput, RelayPatch } from './profiles';
/**
 * getRelay(ctx, idOrName): the profile (throws PostroomError NOT_FOUND with a sentence a person reads).
 * listRelays(ctx): every profile, by name.
 * createRelay / updateRelay / removeRelay: the store operations behind the contract (passwords sealed with ctx.secrets).
 * resolveSecret(ctx, profile): the password / OAuth2 token now (env var read at call time); null when auth is 'none'.
 * draftRelay(ctx, input): a profile (id 0) from settings not saved yet, to test before adding.
 */
export { getRelay, listRelays, createRelay, updateRelay, removeRelay, resolveSecret, draftRelay } from './profiles';

export type { SmtpOutcome, UnreachableStage } from './classify';
/** classifyReply(code, text): a reply to the mail transaction → outcome. classifySmtpError(err, phase, host): a nodemailer error → outcome. */
export { classifyReply, classifySmtpError, parseEnhancedCode } from './classify';

export type { OutboundMessage, RelaySession, PoolOptions, Resolver, RelayTimeouts } from './pool';
/**
 * openRelayPool(ctx, profile, opts?): up to `connections` SMTP connections to the relay, reused between
 * messages. No queue of its own beyond callers waiting for a free connection, no requeue, no `rateLimit`:
 * every send resolves with exactly one SmtpOutcome (never rejects), and retries belong to the outbox.
 * The secret is resolved each time a connection logs in (a `--password-env` variable is read then).
 */
export { openRelayPool } from './pool';

export type { RateGate, SendSlot, Reservation, LimitWindow, RelayQuota } from './rate-gate';
/**
 * rateGate(ctx, profile, opts?): the durable pacing ledger of one relay (SQLite `relay_sends`, IMMEDIATE
 * transactions), shared by every connection, campaign and process. tryReserve() before handing a message over;
 * the slot is settled by pool.send (or by hand with slot.settle(outcome)).
 */
export { rateGate, relayQuota } from './rate-gate';

export type { ThrottleController } from './throttle';
/** throttleController(profile, clock): fewer connections and longer gaps after 421 / 4.7.x, then recovery. */
export { throttleController } from './throttle';

export type { RelayTestResult, RelayTestStep, RelayTestOptions } from './test-relay';
/** testRelay(ctx, profile, opts?): DNS → TCP → TLS → SMTP greeting → authentication (→ a short test message). */
export { testRelay } from './test-relay';

/** parseDuration('30s') → 30000; parseRate('5/s') → { count: 5, unit: 'second' }; formatDuration(ms). */
export { parseDuration, parseRate, formatDuration, type ParsedRate } from './units';

/** nextRetryDelayMs(policy, attempts): exponential backoff with jitter between retry.minMs and retry.maxMs. */
export { nextRetryDelayMs, hasGivenUp, probeDelayMs } from './backoff';

export type { SignInAttempt, SignInOptions, AccessTokenOptions } from './oauth';
/**
 * Signing in (OAuth2, relay/oauth.ts). getAccessToken(ctx, relay, { refused? }): a valid access token for an
 * `oauth2` relay, renewed when due (one renewal at a time, across processes); pass `refused` with the token a
 * server just refused to get a renewed one. Throws PostroomError AUTH_FAILED when a person must sign in again
 * (the relay is then marked so), RELAY_UNREACHABLE when the provider can't be reached. The mailbox (IMAP) work
 * uses it for `mailbox add --oauth-from RELAY`: XOAUTH2 with `user=<relay.user>` and this token.
 * startSignIn(ctx, relay, { timeoutMs }): the authorization-code flow with PKCE and a loopback redirect.
 */
export { getAccessToken, startSignIn, signOut } from './oauth';
