/** The contract's relay requests (profiles, presets, connection test). */
import type { CoreContext } from '../context';
import type { Closer } from '../service';
import type { Handlers } from '../../../shared/contract';
import { relaysContract } from '../../../shared/contract/relays';

type RelayHandlers = Pick<Handlers, keyof typeof relaysContract>;

export function relaysHandlers(ctx: CoreContext, _onClose: (c: Closer) => void): RelayHandlers {
  return {
    'relays:list': () =>
      ctx.db
        .prepare(`SELECT id, name, preset, host, port, security, user FROM relays ORDER BY name`)
        .all() as Array<{ id: number; name: string; preset: string; host: string; port: number; security: 'tls' | 'starttls' | 'none'; user: string | null }>,
  };
}
