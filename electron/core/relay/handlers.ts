/** The contract's relay requests (profiles, presets, quota, connection test). */
import type { CoreContext } from '../context';
import type { Closer } from '../service';
import type { Handlers } from '../../../shared/contract';
import type { RelaySummary } from '../../../shared/contract/relays';
import type { relaysContract } from '../../../shared/contract/relays';
import { createRelay, draftRelay, getRelay, listRelays, removeRelay, updateRelay, type RelayProfile } from './profiles';
import { PRESETS, PRESET_NAMES } from './presets';
import { relayQuota } from './rate-gate';
import { testRelay } from './test-relay';

type RelayHandlers = Pick<Handlers, keyof typeof relaysContract>;

function summary(ctx: CoreContext, p: RelayProfile): RelaySummary {
  return { ...p, quota: relayQuota(ctx, p.id) };
}

export function relaysHandlers(ctx: CoreContext, _onClose: (c: Closer) => void): RelayHandlers {
  const changed = (relay: string) => ctx.events.emit('relays:changed', { relay });
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
    'relays:presets': () => PRESET_NAMES.map((name) => ({ ...PRESETS[name] })),
    'relays:quota': () => listRelays(ctx).map((p) => ({ relay: p.name, ...relayQuota(ctx, p.id) })),
  };
}
