import { describe, expect, it } from 'vitest';
import { layOut, layOutOnce, type LayoutSource } from '../../../electron/core/compose/layout';

// A compose worker takes the engine's layout of the template instead of laying it out again (outbox/compose-pool.ts):
// only ever one made from the very same template.
describe('a layout made once per template', () => {
  const source: LayoutSource = { body: '<p>Hi {{ first_name }}</p><p>News</p>', format: 'html', subject: 'News for {{ first_name }}', language: 'en' };

  it('is laid out when none is given, as layOut lays it out', () => {
    const made = layOutOnce(source);
    expect(made).toEqual({ ...source, ...layOut(source.body, source.format, source.subject, source.language) });
    expect(made.text).toContain('Hi {{ first_name }}');
  });

  it('is taken as given when it was made from the same template', () => {
    const prepared = layOutOnce(source);
    expect(layOutOnce({ ...source }, prepared)).toBe(prepared);
  });

  it('is laid out again when what it was made from differs in anything', () => {
    const prepared = layOutOnce(source);
    const others: LayoutSource[] = [
      { ...source, body: '<p>Hello {{ first_name }}</p>' },
      { ...source, format: 'markdown' },
      { ...source, subject: 'Other news' },
      { ...source, language: 'de' },
    ];
    for (const other of others) {
      const made = layOutOnce(other, prepared);
      expect(made).not.toBe(prepared);
      expect(made).toEqual({ ...other, ...layOut(other.body, other.format, other.subject, other.language) });
    }
  });
});
