/**
 * The pseudo-locale, made from the English catalog: every letter accented, every message about 40 % longer and
 * bracketed. A word of plain ASCII on a pseudo-locale screen was not translated; a cut-off bracket is a label
 * that can't grow. Placeholders, plurals and tags are kept as they are (the message is parsed, not patched).
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { printAST } from '@formatjs/icu-messageformat-parser/printer.js';

const PLAIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ACCENTED = 'åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ';
const MAP = new Map([...PLAIN].map((c, i) => [c, [...ACCENTED][i]!]));

export function accent(text: string): string {
  return [...text].map((c) => MAP.get(c) ?? c).join('');
}

/** Accents the literal text in place; answers how many letters the longest way through the message has. */
function visit(elements: MessageFormatElement[]): number {
  let letters = 0;
  for (const el of elements) {
    if (el.type === TYPE.literal) {
      letters += el.value.length;
      el.value = accent(el.value);
    } else if (el.type === TYPE.plural || el.type === TYPE.select) letters += Math.max(...Object.values(el.options).map((o) => visit(o.value)));
    else if (el.type === TYPE.tag) letters += visit(el.children);
    else letters += 4; // a value: a name, a number
  }
  return letters;
}

/** "Send {count} messages" → "⟦Šéñđ {count} ɱéššåĝéš ·····⟧" */
export function pseudoMessage(message: string): string {
  const ast = parse(message);
  const letters = visit(ast);
  return `⟦${printAST(ast)}${' ' + '·'.repeat(Math.max(1, Math.round(letters * 0.4) - 1))}⟧`;
}

export function pseudoCatalog(source: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, pseudoMessage(v)]));
}
