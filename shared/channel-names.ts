/**
 * The contract's request channels and event names as plain strings, for code that must not load zod and the
 * schemas: the preload, which only forwards calls (with the schemas it bundled about 780 KB of script into every
 * window). test/shared/channel-names.test.ts checks that these are exactly the contract's, in its order.
 */
import type { Channel, EventName, MethodName } from './contract';

export const CHANNELS = [
  'app:info', 'app:overview', 'app:chooseFolder', 'app:setLanguage', 'lists:list', 'lists:find', 'lists:create', 'lists:rename', 'lists:delete', 'lists:recipients',
  'lists:stats', 'lists:removeRecipients', 'lists:previewImport', 'lists:import', 'lists:cancelImport',
  'lists:skippedCsv', 'suppressions:list', 'suppressions:add', 'suppressions:remove', 'suppressions:import',
  'templates:list', 'templates:get', 'templates:create', 'templates:update', 'templates:duplicate',
  'templates:remove', 'templates:addAttachment', 'templates:addImage', 'templates:image', 'templates:removeAttachment', 'templates:check',
  'templates:preview', 'templates:spamCheck', 'templates:sendTest', 'templates:starters', 'dkim:list', 'dkim:add',
  'dkim:remove', 'lists:setAttachmentsFolder', 'relays:list', 'relays:get', 'relays:create', 'relays:update', 'relays:remove', 'relays:test', 'relays:detect',
  'relays:presets', 'relays:quota',
  'relays:signIn', 'relays:signInCancel', 'relays:signOut', 'relays:signInApps', 'relays:setSignInApp',
  'campaigns:list', 'campaigns:get', 'campaigns:create', 'campaigns:update',
  'campaigns:remove', 'campaigns:send', 'campaigns:review', 'campaigns:pause', 'campaigns:resume', 'campaigns:cancel',
  'campaigns:retryFailed', 'campaigns:status', 'campaigns:report', 'campaigns:reportCsv', 'campaigns:recipients', 'campaigns:attempts',
  'campaigns:preview', 'outbox:overview', 'domains:list', 'domains:check',
  'mailboxes:list', 'mailboxes:create', 'mailboxes:remove', 'mailboxes:test', 'mailboxes:check',
] as const satisfies readonly Channel[];

export const EVENT_NAMES = ['app:menu', 'lists:importProgress', 'lists:changed', 'suppressions:changed', 'relays:changed', 'relays:signInStarted', 'relays:signInDone', 'campaign:progress', 'outbox:busy',
  'mailboxes:checked', 'mailboxes:changed'] as const satisfies readonly EventName[];

/** `lists:import` → `listsImport`: the name of the function the renderer calls. */
export function methodName<C extends Channel>(channel: C): MethodName<C> {
  const [area, action] = channel.split(':') as [string, string];
  return (area + action.charAt(0).toUpperCase() + action.slice(1)) as MethodName<C>;
}
