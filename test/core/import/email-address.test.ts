import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../../shared/email-address';
import { emailKey } from '../../../electron/core/store/suppressions';

describe('reading an e-mail address from a cell', () => {
  it('accepts display-name forms and keeps the name', () => {
    expect(parseAddress('  "Smith, Bob" <Bob@Example.com> ')).toEqual({ ok: true, address: 'Bob@Example.com', name: 'Smith, Bob', key: 'bob@example.com' });
    expect(parseAddress('Anna Müller <anna@example.com>')).toMatchObject({ ok: true, name: 'Anna Müller' });
    expect(parseAddress('bob@example.com (Bob)')).toMatchObject({ ok: true, address: 'bob@example.com', name: 'Bob' });
    expect(parseAddress('mailto:c@example.com')).toMatchObject({ ok: true, address: 'c@example.com' });
  });

  it('holds to the RFC lengths: 64 characters before the @, 253 after', () => {
    const local64 = 'a'.repeat(64);
    expect(parseAddress(`${local64}@example.com`)).toMatchObject({ ok: true, key: `${local64}@example.com` });
    expect(parseAddress(`${local64}b@example.com`)).toMatchObject({ ok: false, reason: expect.stringContaining('longer than 64') });
    const label = 'd'.repeat(63);
    const domain253 = `${label}.${label}.${label}.${'e'.repeat(57)}.com`; // 63·3 + 57 + 3 + 4 dots = 253
    expect(domain253).toHaveLength(253);
    expect(parseAddress(`a@${domain253}`)).toMatchObject({ ok: true });
    expect(parseAddress(`a@x${domain253}`)).toMatchObject({ ok: false, reason: expect.stringContaining('longer than 253') });
  });

  it('converts IDN domains to ASCII in the key', () => {
    expect(parseAddress('info@Müller.de')).toEqual({ ok: true, address: 'info@Müller.de', name: null, key: 'info@xn--mller-kva.de' });
    expect(emailKey('Info <INFO@müller.DE>')).toBe('info@xn--mller-kva.de');
  });

  it.each([
    ['a@b@example.com', 'more than one @'],
    ['john smith@example.com', 'space'],
    ['bob@', 'nothing after the @'],
    ['@example.com', 'nothing before the @'],
    ['bob.example.com', 'no @'],
    ['bob..x@example.com', 'two dots'],
    ['bob@localhost', 'no dot'],
    ['bob@example.c0m', 'top-level domain'],
    ['bob@-example.com', 'valid domain'],
    ['bob@[127.0.0.1]', 'IP address'],
    ['jürgen@example.com', 'non-ASCII'],
    ['Bob <bob@example.com', 'without a matching'],
    ['', 'no e-mail address'],
  ])('refuses %j with a reason that says why', (input, why) => {
    const r = parseAddress(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(why);
  });
});
