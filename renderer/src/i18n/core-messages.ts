/**
 * Core messages in the window's language. The core answers with a code, an English sentence and, where it
 * has them, the facts in it (`params`); the window words it from the catalog (`core.<CODE>` or, when the core
 * names a variant in `params.reason`, `core.<CODE>.<reason>`) when every placeholder of that message is among
 * the params, and otherwise shows the core's own sentence. English shows the core's sentence as it is.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { currentLanguage, hasMessage, t, type MessageKey } from './index';
import en from './locales/en/translation.json';

export interface CoreMessage {
  code: string;
  message: string;
  params?: Record<string, string | number | null>;
}

/** The names of a message's arguments ({name}, {count, plural, …}), tags included, sorted. */
export function placeholders(message: string): string[] {
  const names = new Set<string>();
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
      names.add(el.value);
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value);
      if (el.type === TYPE.tag) walk(el.children);
    }
  };
  walk(parse(message));
  return [...names].sort();
}

/** The catalog key for a core message, if the catalog has one and the params fill it. */
export function coreMessageKey(m: CoreMessage): MessageKey | undefined {
  if (!m.params) return undefined;
  // The variant: `reason` or `kind` (the core's review and list errors name it so).
  const variant = m.params.reason ?? m.params.kind;
  const reason = typeof variant === 'string' ? variant : undefined;
  for (const key of [reason && `core.${m.code}.${reason}`, `core.${m.code}`]) {
    if (key && hasMessage(key) && placeholders(en[key]).every((p) => p in m.params!)) return key;
  }
  return undefined;
}

export function coreMessage(m: CoreMessage): string {
  if (currentLanguage() === 'en') return m.message;
  const key = coreMessageKey(m);
  return key ? t(key, m.params) : m.message;
}
