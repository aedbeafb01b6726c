/**
 * How a request is answered once its schema and its handler are known: the same for the router with the whole
 * contract (shared/router.ts: the window, `postroom serve`, tests) and for the command line's, which loads the one
 * area its command calls (electron/core/lazy-service.ts).
 */
import { PostroomError, toAppError, type Result } from './result';
import type { ChannelSpec } from './contract-areas';

/** The answer to a request that names no channel of the contract. */
export function unknownChannel(name: unknown): Result<never> {
  return { ok: false, error: { code: 'INVALID_INPUT', message: typeof name === 'string' ? `Unknown request "${name.slice(0, 100)}".` : 'The request names no channel.' } };
}

/** Validates `input` against the channel's schema and runs its handler. Never throws. */
export async function answer(channel: string, spec: ChannelSpec, handler: (input: unknown) => unknown, input: unknown): Promise<Result<unknown>> {
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? ` (${issue.path.map(String).join('.')})` : '';
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: `The request "${channel}" was not valid${where}: ${issue?.message ?? 'bad input'}.` },
    };
  }
  try {
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof PostroomError)) console.error(`[postroom] ${channel} failed:`, err);
    return { ok: false, error: toAppError(err) };
  }
}
