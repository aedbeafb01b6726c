/**
 * The core's areas and how each one's request handlers are made from its module: the one place that says what
 * an area is given (the context, the closers, the background tasks). createService (service.ts) builds them all
 * from modules imported with it; openLazyService (lazy-service.ts) loads an area's module when a request first
 * needs it.
 */
import type { Handlers } from '../../shared/contract';
import type { Area } from '../../shared/contract-areas';
import type { ServiceCore, ServiceOptions } from './service-core';
import type * as AppArea from './app-handlers';
import type * as RecipientsArea from './import/handlers';
import type * as TemplatesArea from './compose/handlers';
import type * as RelaysArea from './relay/handlers';
import type * as SendingArea from './outbox/handlers';
import type * as DomainsArea from './compose/domains';
import type * as MailboxesArea from './mailbox/handlers';

export interface AreaModules {
  app: typeof AppArea;
  recipients: typeof RecipientsArea;
  templates: typeof TemplatesArea;
  relays: typeof RelaysArea;
  sending: typeof SendingArea;
  domains: typeof DomainsArea;
  mailboxes: typeof MailboxesArea;
}

/** Each area's handlers, made from its module (in this order when all are made: their closers run in reverse). */
export const buildArea = {
  app: (m: AreaModules['app'], core: ServiceCore, options: ServiceOptions) => m.appHandlers(core.ctx, options.chooseFolder),
  recipients: (m: AreaModules['recipients'], core: ServiceCore) => m.recipientsHandlers(core.ctx, core.onClose),
  templates: (m: AreaModules['templates'], core: ServiceCore) => m.templatesHandlers(core.ctx, core.onClose),
  relays: (m: AreaModules['relays'], core: ServiceCore) => m.relaysHandlers(core.ctx, core.onClose),
  sending: (m: AreaModules['sending'], core: ServiceCore) => m.sendingHandlers(core.ctx, core.onClose, core.tasks),
  domains: (m: AreaModules['domains'], core: ServiceCore) => m.domainsHandlers(core.ctx),
  mailboxes: (m: AreaModules['mailboxes'], core: ServiceCore) => m.mailboxesHandlers(core.ctx, core.tasks),
} satisfies { [A in Area]: (m: AreaModules[A], core: ServiceCore, options: ServiceOptions) => Partial<Handlers> };

/**
 * Areas whose handlers listen to another area's events, by the area that emits them: made together with it, so that
 * nobody misses what they listen for (the sending area resumes the campaigns that paused for a relay's sign-in
 * when the relays area says it is done).
 */
export const LISTENING_AREAS: Readonly<Partial<Record<Area, readonly Area[]>>> = {
  relays: ['sending'],
};

/** Each area's module, loaded on first use. */
export const loadAreaModule: { [A in Area]: () => Promise<AreaModules[A]> } = {
  app: () => import('./app-handlers'),
  recipients: () => import('./import/handlers'),
  templates: () => import('./compose/handlers'),
  relays: () => import('./relay/handlers'),
  sending: () => import('./outbox/handlers'),
  domains: () => import('./compose/domains'),
  mailboxes: () => import('./mailbox/handlers'),
};
