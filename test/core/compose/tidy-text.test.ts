import { describe, expect, it } from 'vitest';
import { tidyText } from '../../../electron/core/compose/layout';
import { seededRandom } from './helpers';

// The rule tidyText follows, as the regular expressions that defined it; its one-pass form must give the same text.
function byRules(text: string, wrap: boolean): string {
  let tidy = text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').replace(/\n*$/, '\n');
  if (wrap) tidy = tidy.split('\n').map((l) => wrapAt76(l)).join('\n');
  return tidy;
}

// Greedy wrap at 76 between single spaces, long words left whole (what layout.ts's wrapLine does).
function wrapAt76(line: string): string {
  if (line.length <= 76) return line;
  const words = line.split(' ');
  const out: string[] = [];
  let cur: string | null = null;
  for (const w of words) {
    if (cur === null) cur = w;
    else if (cur.length > 0 && cur.length + 1 + w.length > 76) {
      out.push(cur);
      cur = w;
    } else cur = cur.length === 0 ? w : `${cur} ${w}`;
  }
  if (cur !== null && cur.length > 0) out.push(cur);
  return out.join('\n');
}

describe('the text part tidied after merging', () => {
  it('drops line-end spaces, squeezes blank lines, trims the ends, wraps at 76', () => {
    expect(tidyText('\n\n  \nHello Anna,  \n\n\n\n{% if %}\t\nBye\n\n\n')).toBe('Hello Anna,\n\n{% if %}\nBye\n');
    expect(tidyText('')).toBe('\n');
    expect(tidyText(' \t \n\n')).toBe('\n');
    expect(tidyText(`${'word '.repeat(20)}end`)).toBe(`${'word '.repeat(15).trimEnd()}\n${'word '.repeat(5)}end\n`);
    expect(tidyText(`${'word '.repeat(20)}end`, false)).toBe(`${'word '.repeat(20)}end\n`);
  });

  it('gives what the rules give, for random texts (seeded), wrapped or not', () => {
    const rand = seededRandom(7);
    const pieces = ['a', 'word', 'x'.repeat(80), ' ', '  ', '\t', '\n', '\n\n', '\n\n\n', ' \n', '\u00a0', 'é', '\r', '\r\n', '\u2028', '.'];
    for (let i = 0; i < 5000; i++) {
      const text = Array.from({ length: rand(60) }, () => pieces[rand(pieces.length)]).join('');
      for (const wrap of [true, false]) expect(tidyText(text, wrap), JSON.stringify(text)).toBe(byRules(text, wrap));
    }
  });
});
