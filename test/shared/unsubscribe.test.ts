import { describe, expect, it } from 'vitest';
import { formatUnsubscribe, mailtoAddress, parseUnsubscribe, tokenIn, unsubscribeToken, withUnsubscribeToken } from '../../shared/unsubscribe';

describe('the one unsubscribe parser', () => {
  it('reads a mailto and an https method, as a list or as stored (one a line), merge fields with spaces included', () => {
    const both = parseUnsubscribe(['mailto:u@shop.example?subject={{ email }}', 'https://shop.example/u?e={{ email }}']);
    expect(both).toEqual({ ok: true, value: { mailto: 'mailto:u@shop.example?subject={{ email }}', url: 'https://shop.example/u?e={{ email }}' } });
    const stored = formatUnsubscribe(both.ok ? both.value : null);
    expect(parseUnsubscribe(stored)).toEqual(both);
    expect(parseUnsubscribe('MAILTO:u@shop.example')).toEqual({ ok: true, value: { mailto: 'mailto:u@shop.example' } });
    expect(parseUnsubscribe('  ')).toEqual({ ok: true, value: null });
    expect(parseUnsubscribe(null)).toEqual({ ok: true, value: null });
  });

  it('says what is wrong: two of a kind, http, another scheme, nothing after the scheme', () => {
    expect(parseUnsubscribe(['mailto:a@x', 'mailto:b@x'])).toMatchObject({ ok: false, error: expect.stringContaining('not two mailto') });
    expect(parseUnsubscribe(['https://a', 'https://b'])).toMatchObject({ ok: false, error: expect.stringContaining('not two links') });
    expect(parseUnsubscribe('http://shop.example/u')).toMatchObject({ ok: false, error: expect.stringContaining('https://') });
    expect(parseUnsubscribe('ftp://x')).toMatchObject({ ok: false, error: expect.stringContaining('must start with mailto:') });
    expect(parseUnsubscribe('mailto:')).toMatchObject({ ok: false });
  });

  it('puts the recipient token into the mailto subject and finds it again', () => {
    const id = '<0123456789abcdef0123456789abcdef@shop.example>';
    expect(unsubscribeToken(id)).toBe('0123456789abcdef0123456789abcdef');
    const uri = withUnsubscribeToken('mailto:u@shop.example', id);
    expect(uri).toBe('mailto:u@shop.example?subject=Unsubscribe%20%5B0123456789abcdef0123456789abcdef%5D');
    expect(withUnsubscribeToken('mailto:u@shop.example?body=bye&subject=Stop', id)).toBe('mailto:u@shop.example?body=bye&subject=Stop%20%5B0123456789abcdef0123456789abcdef%5D');
    expect(tokenIn(decodeURIComponent(uri.split('subject=')[1]!))).toBe('0123456789abcdef0123456789abcdef');
    expect(mailtoAddress(uri)).toBe('u@shop.example');
  });
});
