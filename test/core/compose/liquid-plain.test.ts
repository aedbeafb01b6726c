import { describe, expect, it } from 'vitest';
import { compile, render, type Compiled, type Engine } from '../../../electron/core/compose/liquid';
import { seededRandom } from './helpers';

// compose/liquid.ts merges a template that is only text and `{{ name }}` outputs by joining its parts: it must
// write exactly what liquidjs writes, for every engine, whatever the text and the values.
describe('plain templates merged without the interpreter', () => {
  const engines: Engine[] = ['html', 'text', 'url'];
  const viaLiquid = (c: Compiled, scope: Record<string, unknown>) => render({ ...c, plain: null }, scope);

  it('are recognised only when they hold nothing but text and plain outputs', () => {
    const plain = (source: string) => compile(source, 'html', 'body').plain !== null;
    expect(plain('<p>Hi {{ first_name }}, {{company}}!</p>')).toBe(true);
    expect(plain('No Liquid at all')).toBe(true);
    expect(plain('{{\n  first_name\t}}')).toBe(true);
    expect(plain('Hi {{ first_name | default: "there" }}, {{ city|default:\'your town\' }}')).toBe(true);
    for (const other of [
      '{{ first_name | upcase }}',
      '{{ first_name.size }}',
      '{{- first_name }}',
      '{{ first_name -}}',
      '{% if company %}{{ company }}{% endif %}',
      '{{ "text" }}',
      '{{ size }}',
      '{{ first }}',
      '{{ nil }}',
      '{{ blank }}',
      '{{ true }}',
      '{{ list[0] }}',
      '{{ first_name | default: company }}',
      '{{ first_name | default: "x", allow_false: true }}',
      '{{ first_name | default: "x" | upcase }}',
      '{{ first_name | default: "a\\"b" }}',
      '{{ first_name | default: 3 }}',
    ]) {
      expect(plain(other), other).toBe(false);
    }
  });

  it('write what liquidjs writes, for random texts, names and values (seeded)', () => {
    const rand = seededRandom(20261207);
    const pick = <T,>(xs: readonly T[]): T => xs[rand(xs.length)]!;
    const chars = ['a', 'Z', ' ', '\n', '<', '>', '&', '"', "'", '{', '}', '%', '|', '-', '.', '=', 'é', '€', '😀', '\u00a0', '\t'];
    const names = ['first_name', 'company', 'email', 'missing', 'constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', 'n1', '_x'];
    const text = () => Array.from({ length: rand(12) }, () => pick(chars)).join('');
    const output = () => {
      const ws = () => pick(['', ' ', '  ', '\n', '\t']);
      const fallback = pick(['"there"', "'you & me'", '""', '"<b>\'hi\'</b>"', "'say \"hi\"'", '" "', '"é😀"', '"a b/c?d=e"']);
      return pick([
        `{{${ws()}${pick(names)}${ws()}}}`,
        `{{ ${pick(names)} }}`,
        `{{${ws()}${pick(names)}${pick(['', ' '])}|${pick(['', ' ', '  '])}default:${pick(['', ' '])}${fallback}${ws()}}}`,
        `{{ ${pick(names)} | upcase }}`,
        `{% if ${pick(names)} %}y{% endif %}`,
      ]);
    };
    const value = () => pick<unknown>(['', 'Anna', '<b>&"\'</b>', 'a b/c?d=e&f', 'é€😀', ' ', undefined, null, 42, 0, true, ['x', 'y'], { a: 1 }]);
    const plainRenders: Record<Engine, number> = { html: 0, text: 0, url: 0 };
    for (let i = 0; i < 3000; i++) {
      const source = Array.from({ length: 1 + rand(5) }, () => text() + output()).join('') + text();
      const scope: Record<string, unknown> = {};
      for (const name of names) if (rand(4)) Object.defineProperty(scope, name, { value: value(), enumerable: true, writable: true, configurable: true });
      for (const engine of engines) {
        let c: Compiled;
        try {
          c = compile(source, engine, 'body');
        } catch {
          continue; // not Liquid: never rendered
        }
        let expected: string | Error;
        try {
          expected = viaLiquid(c, scope);
        } catch (err) {
          expected = err as Error;
        }
        if (expected instanceof Error) {
          expect(() => render(c, scope), source).toThrow(expected.message);
          continue;
        }
        if (c.plain) plainRenders[engine]++;
        expect(render(c, scope), `${engine}: ${JSON.stringify(source)}`).toBe(expected);
      }
    }
    // The comparison above must have run the plain path often, for every engine.
    for (const engine of engines) expect(plainRenders[engine], engine).toBeGreaterThan(300);
  });
});
