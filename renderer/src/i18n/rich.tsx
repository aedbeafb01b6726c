/**
 * A message with markup in it, for the few sentences with a bold word or a link inside:
 * `rich('status.sendingThrough', { name: relay.name, b: (c) => <strong>{c}</strong> })`. The catalog keeps the
 * tags (`Sending through <b>{name}</b>`) so a translator can move them; intl-messageformat fills them.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { Fragment, type ReactNode } from 'react';
import { currentLocale, rawMessage, type MessageKey } from './index';

type Value = string | number | ReactNode | ((chunks: ReactNode[]) => ReactNode);

export function rich(key: MessageKey, values: Record<string, Value>): ReactNode {
  const out = new IntlMessageFormat(rawMessage(key), currentLocale()).format<ReactNode>(values as Record<string, never>);
  return Array.isArray(out) ? out.map((part, i) => <Fragment key={i}>{part}</Fragment>) : out;
}
