/**
 * Random and malformed requests for every channel of the contract, for the fuzz tests (router and WebSocket):
 * anything at all (null, numbers, arrays, strings, objects with odd keys), and near misses built from the keys
 * the channel's schema expects, with values of every kind, so that some get past validation into the handlers.
 */
import fc from 'fast-check';
import { contract, channels, type Channel } from '../../shared/contract';
import { ERROR_CODES } from '../../shared/errors';
import type { Result } from '../../shared/result';

/**
 * Channels that reach the network when their input is valid (an SMTP connection, DNS): fuzzed only with input
 * their schema refuses, since no test talks to anything beyond 127.0.0.1 and a random host name is valid.
 */
export const NETWORK_CHANNELS: readonly Channel[] = ['relays:test', 'templates:sendTest', 'campaigns:send', 'campaigns:resume', 'campaigns:retryFailed'];

/** The top-level keys a channel's input schema names (an object schema, possibly wrapped), or none. */
function keysOf(schema: unknown): string[] {
  let s = schema as { shape?: Record<string, unknown>; def?: { shape?: Record<string, unknown>; in?: unknown; innerType?: unknown; schema?: unknown } } | undefined;
  for (let depth = 0; s && depth < 5; depth++) {
    const shape = s.shape ?? s.def?.shape;
    if (shape && typeof shape === 'object') return Object.keys(shape);
    s = (s.def?.in ?? s.def?.innerType ?? s.def?.schema) as typeof s;
  }
  return [];
}

/** Values a schema often takes (ids that exist, names, addresses, flags): near misses then pass more often. */
const plausible = fc.constantFrom(1, 2, 'Seed', 'seed@example.com', 'x', true, false, ['seed@example.com'], [1], 'utf-8', ',', 'Sheet1', 'html', 'email');

const value = fc.oneof(
  { weight: 4, arbitrary: plausible },
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(''),
  fc.constantFrom(0, -1, 1, 2, 2 ** 31, Number.MAX_SAFE_INTEGER, '../../etc/passwd', '/dev/zero', '/proc/self/environ', '__proto__', 'a'.repeat(10_000)),
  fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), { maxLength: 5 }),
  fc.anything({ maxDepth: 2 }),
).map((v) => v as unknown);

/** A request input for `channel`: anything, or a near miss of its schema. */
export function inputFor(channel: Channel): fc.Arbitrary<unknown> {
  const keys = keysOf(contract[channel].input);
  const all = Object.fromEntries(keys.map((k) => [k, value]));
  const nearMiss = keys.length
    ? fc.oneof(
        fc.record(all),
        fc.record(all, { requiredKeys: [] }),
        fc.dictionary(fc.constantFrom(...keys, '__proto__', 'constructor', 'extra'), value, { maxKeys: keys.length + 1 }),
      )
    : fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 2 });
  const input = fc.oneof({ weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) }, { weight: 4, arbitrary: nearMiss }, { weight: 1, arbitrary: fc.constantFrom(undefined, {}, null) });
  if (!NETWORK_CHANNELS.includes(channel)) return input;
  const schema = contract[channel].input;
  return input.filter((i) => !schema.safeParse(i ?? {}).success);
}

/** A channel and an input for it. */
export const anyRequest = fc.constantFrom(...channels).chain((channel) => inputFor(channel).map((input) => ({ channel, input })));

/** Is `r` a Result: ok with a value, or an error with a known code and a message? */
export function isResult(r: unknown): r is Result<unknown> {
  if (typeof r !== 'object' || r === null) return false;
  const x = r as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
  if (x.ok === true) return 'value' in x;
  return x.ok === false && typeof x.error?.message === 'string' && (ERROR_CODES as readonly unknown[]).includes(x.error.code);
}

/** Resolves with what `p` gives, or rejects when it takes longer than `ms` (a hang). */
export function withinMs<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_r, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
