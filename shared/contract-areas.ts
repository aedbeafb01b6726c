/**
 * Which area of the contract (shared/contract/<area>.ts) declares a channel, and each area's part loaded on first
 * use. The command line loads the schemas of the area its command calls, not all seven (electron/core/lazy-service.ts:
 * with every area's handlers, 20-27 ms of each command's start); the window and `postroom serve` load the whole
 * contract (shared/contract.ts). A test checks that both say the same.
 */
import type { z } from 'zod';
import type { Channel } from './contract';

export type Area = 'app' | 'recipients' | 'templates' | 'relays' | 'sending' | 'domains' | 'mailboxes';

/** Channels are named `prefix:request`; the prefix says the area, but for those below (a test checks them all). */
const AREA_OF_PREFIX: Readonly<Record<string, Area>> = {
  app: 'app',
  lists: 'recipients',
  suppressions: 'recipients',
  templates: 'templates',
  relays: 'relays',
  campaigns: 'sending',
  outbox: 'sending',
  dkim: 'templates',
  domains: 'domains',
  mailboxes: 'mailboxes',
};

/** Channels declared by another area than their prefix names. */
const AREA_OF_CHANNEL: Readonly<Record<string, Area>> = {
  'lists:setAttachmentsFolder': 'templates',
};

/** The area whose part of the contract declares `channel` (if any does: see AreaContract.channels). */
export function areaOf(channel: string): Area | undefined {
  if (Object.prototype.hasOwnProperty.call(AREA_OF_CHANNEL, channel)) return AREA_OF_CHANNEL[channel];
  const colon = channel.indexOf(':');
  const prefix = colon > 0 ? channel.slice(0, colon) : '';
  return Object.prototype.hasOwnProperty.call(AREA_OF_PREFIX, prefix) ? AREA_OF_PREFIX[prefix] : undefined;
}

/** A request's schemas (as in shared/contract.ts). */
export interface ChannelSpec {
  input: z.ZodType;
}

export interface AreaContract {
  channels: Readonly<Partial<Record<Channel, ChannelSpec>>>;
  events: Readonly<Record<string, { parse(v: unknown): unknown }>>;
}

/** Each area's part of the contract, loaded (and its schemas built) when first asked for. */
export const loadAreaContract: Readonly<Record<Area, () => Promise<AreaContract>>> = {
  app: async () => {
    const m = await import('./contract/app');
    return { channels: m.appContract, events: m.appEvents };
  },
  recipients: async () => {
    const m = await import('./contract/recipients');
    return { channels: m.recipientsContract, events: m.recipientsEvents };
  },
  templates: async () => {
    const m = await import('./contract/templates');
    return { channels: m.templatesContract, events: m.templatesEvents };
  },
  relays: async () => {
    const m = await import('./contract/relays');
    return { channels: m.relaysContract, events: m.relaysEvents };
  },
  sending: async () => {
    const m = await import('./contract/sending');
    return { channels: m.sendingContract, events: m.sendingEvents };
  },
  domains: async () => {
    const m = await import('./contract/domains');
    return { channels: m.domainsContract, events: m.domainsEvents };
  },
  mailboxes: async () => {
    const m = await import('./contract/mailboxes');
    return { channels: m.mailboxesContract, events: m.mailboxesEvents };
  },
};
