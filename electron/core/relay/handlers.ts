/** The contract's relay requests (profiles, presets, quota, connection test, signing in). */
import type { CoreContext } from '../context';
import type { Closer } from '../service';
import type { Handlers } from '../../../shared/contract';
import type { RelaySummary } from '../../../shared/contract/relays';
import type { relaysContract } from '../../../shared/contract/relays';
import { PostroomError } from '../../../shared/errors';
import { createRelay, draftRelay, getRelay, listRelays, removeRelay, updateRelay, type RelayProfile } from './profiles';
import { PRESETS, PRESET_NAMES } from './presets';
import { relayQuota } from './rate-gate';
import { testRelay } from './test-relay';
import { oauthSummary } from './oauth-summary';
import { setSignInApp, signInApps } from './oauth-providers';
import { signOut, startSignIn, type SignInAttempt } from './oauth';
import { detectRelaySettings } from './detect';

type RelayHandlers = Pick<Handlers, keyof typeof relaysContract>;

function summary(ctx: CoreContext, p: RelayProfile): RelaySummary {
  return { ...p, quota: relayQuota(ctx, p.id), ...oauthSummary(ctx, p) };
}

export function relaysHandlers(ctx: CoreContext, onClose: (c: Closer) => void): RelayHandlers {
  const changed = (relay: string) => ctx.events.emit('relays:changed', { relay });
  // Sign-ins waiting for the browser to come back, by attempt. One at a time per relay: a new one replaces the old.
  const attempts = new Map<string, SignInAttempt>();
  onClose(() => {
    for (const a of attempts.values()) a.cancel();
  });
  return {
    'relays:list': () => listRelays(ctx).map((p) => summary(ctx, p)),
    'relays:get': ({ relay }) => summary(ctx, getRelay(ctx, relay)),
    'relays:create': (input) => {
      const p = createRelay(ctx, input);
      changed(p.name);
      return summary(ctx, p);
    },
    'relays:update': (input) => {
      const p = updateRelay(ctx, input);
      changed(p.name);
      return summary(ctx, p);
    },
    'relays:remove': ({ relay }) => {
      const p = removeRelay(ctx, relay);
      changed(p.name);
      return { removed: p.name };
    },
    'relays:test': ({ relay, draft, sendTo }) => {
      if (draft) return testRelay(ctx, draftRelay(ctx, { ...draft, name: draft.name ?? 'new relay' }), { sendTo, secret: draft.password });
      return testRelay(ctx, getRelay(ctx, relay!), { sendTo });
    },
    'relays:detect': ({ draft, allowUnencrypted }) =>
      detectRelaySettings(ctx, { ...draft, name: draft.name ?? 'new relay' }, { allowUnencrypted, secret: draft.password }),
    'relays:presets': () => PRESET_NAMES.map((name) => ({ ...PRESETS[name] })),
    'relays:quota': () => listRelays(ctx).map((p) => ({ relay: p.name, ...relayQuota(ctx, p.id) })),
    'relays:signIn': async ({ relay, timeoutMs }) => {
      const profile = getRelay(ctx, relay);
      for (const a of attempts.values()) if (a.relay === profile.name) a.cancel();
      const a = await startSignIn(ctx, profile.id, { timeoutMs });
      attempts.set(a.attempt, a);
      const started = { attempt: a.attempt, relay: a.relay, url: a.url };
      a.done.then(
        ({ address }) => {
          changed(a.relay);
          ctx.events.emit('relays:signInDone', { attempt: a.attempt, relay: a.relay, ok: true, message: `Signed in to ${a.relay} as ${address}.`, address });
        },
        (err: unknown) => {
          const message = err instanceof PostroomError ? err.message : String((err as Error)?.message ?? err);
          ctx.events.emit('relays:signInDone', { attempt: a.attempt, relay: a.relay, ok: false, message, address: null });
        },
      ).finally(() => attempts.delete(a.attempt));
      ctx.events.emit('relays:signInStarted', started);
      return started;
    },
    'relays:signInCancel': ({ attempt }) => {
      const a = attempts.get(attempt);
      a?.cancel();
      return { cancelled: a !== undefined };
    },
    'relays:signOut': ({ relay }) => {
      const p = signOut(ctx, relay);
      changed(p.name);
      return summary(ctx, p);
    },
    'relays:signInApps': () => signInApps(ctx),
    'relays:setSignInApp': ({ provider, clientId }) => {
      setSignInApp(ctx, provider, clientId);
      return signInApps(ctx);
    },
  };
}
