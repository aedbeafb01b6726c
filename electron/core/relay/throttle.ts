/**
 * Slowing down when a relay asks, and recovering when it stops asking. A 421 or a 4.7.x reply means the relay
 * (or the provider behind it) thinks we are too fast: halve the connections and double the gap between sends,
 * at most once per cool-down (replies on several connections to one burst are one signal), then after a quiet
 * spell of successful sends, step back: halve the gap, add a connection, until the profile's own limits again.
 */
import type { Clock } from '../context';
import type { RelayProfile } from './profiles';
import type { SmtpOutcome } from './classify';

export interface ThrottleController {
  /** How many connections to use now (1 … profile.limits.connections). */
  connections(): number;
  /** Extra gap between sends now (ms): pass it to gate.tryReserve({ minGapMs }). 0 when the relay is happy. */
  gapMs(): number;
  /** Report every outcome; returns true when the pace changed (the engine then resizes the pool). */
  observe(outcome: SmtpOutcome): boolean;
  /** Is the relay being slowed down right now? (For progress text: "slowed down: the relay asked us to".) */
  readonly slowed: boolean;
}

export interface ThrottleOptions {
  /** Gap after the first throttle reply (ms). Default 1 s. */
  firstGapMs?: number;
  /** Longest gap (ms). Default 60 s. */
  maxGapMs?: number;
  /** Replies within this long of the last slow-down count as the same signal (ms). Default 5 s. */
  coolDownMs?: number;
  /** Successful sends, with no throttle reply, before each step back up. Default 20. */
  recoverAfter?: number;
  /** And at least this long since the last throttle reply (ms). Default 30 s. */
  quietMs?: number;
}

export function throttleController(profile: RelayProfile, clock: Clock, options: ThrottleOptions = {}): ThrottleController {
  const max = Math.max(1, profile.limits.connections);
  const firstGap = options.firstGapMs ?? 1_000;
  const maxGap = options.maxGapMs ?? 60_000;
  const coolDown = options.coolDownMs ?? 5_000;
  const recoverAfter = options.recoverAfter ?? 20;
  const quiet = options.quietMs ?? 30_000;
  let conns = max;
  let gap = 0;
  let lastThrottle = -Infinity;
  let goodSince = 0;

  return {
    connections: () => conns,
    gapMs: () => gap,
    get slowed() {
      return gap > 0 || conns < max;
    },
    observe(outcome) {
      const now = clock.now();
      if (outcome.kind === 'throttled') {
        goodSince = 0;
        if (now - lastThrottle < coolDown) return false;
        lastThrottle = now;
        conns = Math.max(1, Math.floor(conns / 2));
        gap = Math.min(maxGap, gap ? gap * 2 : firstGap);
        return true;
      }
      if (outcome.kind !== 'sent' || (gap === 0 && conns === max)) return false;
      goodSince += 1;
      if (goodSince < recoverAfter || now - lastThrottle < quiet) return false;
      goodSince = 0;
      gap = gap / 2 < firstGap / 4 ? 0 : Math.round(gap / 2);
      conns = Math.min(max, conns + 1);
      // The next step back waits for another quiet spell.
      lastThrottle = now - coolDown;
      return true;
    },
  };
}
