/**
 * Implements the contract on top of the core's modules. The desktop app, the browser host (`postroom serve`) and
 * tests create one Service per data folder and route requests to `handlers` through shared/router.ts. The command
 * line opens the same areas one at a time, as its command needs them (lazy-service.ts).
 */
import { checkEvent, type Handlers } from '../../shared/contract';
import type { CoreContext } from './context';
import type { EventBus } from './events';
import type { TaskRegistry } from './tasks';
import { openServiceCore, type ServiceOptions } from './service-core';
import { buildArea } from './areas';
import * as appArea from './app-handlers';
import * as recipientsArea from './import/handlers';
import * as templatesArea from './compose/handlers';
import * as relaysArea from './relay/handlers';
import * as sendingArea from './outbox/handlers';
import * as domainsArea from './compose/domains';
import * as mailboxesArea from './mailbox/handlers';

export type { Closer, ServiceOptions } from './service-core';

export interface Service {
  ctx: CoreContext;
  handlers: Handlers;
  events: EventBus;
  /** Background work (the engine, …), registered by the areas and started by the host that wants it. */
  tasks: TaskRegistry;
  /** Stops background work (engines, imports) and closes the database. */
  close(): Promise<void>;
}

/** Opens the data folder and builds every area's handlers (the window, `postroom serve`, tests). */
export function createService(options: ServiceOptions): Service {
  const core = openServiceCore(options, checkEvent);
  const handlers: Handlers = {
    ...buildArea.app(appArea, core, options),
    ...buildArea.recipients(recipientsArea, core),
    ...buildArea.templates(templatesArea, core),
    ...buildArea.relays(relaysArea, core),
    ...buildArea.sending(sendingArea, core),
    ...buildArea.domains(domainsArea, core),
    ...buildArea.mailboxes(mailboxesArea, core),
  };
  return { ctx: core.ctx, handlers, events: core.events, tasks: core.tasks, close: core.close };
}
