import { describe, expect, it } from 'vitest';
import { dropTokenFromAddress } from '../../renderer/src/api/ws-client';

function fakeHistory() {
  const calls: Array<[unknown, string, string]> = [];
  return { calls, state: { page: 1 }, replaceState: (s: unknown, t: string, u: string) => void calls.push([s, t, u]) };
}

describe('dropTokenFromAddress', () => {
  it('removes the token and keeps the rest of the address, the history state included', () => {
    const h = fakeHistory();
    dropTokenFromAddress({ href: 'http://127.0.0.1:4000/?token=abc&x=1#/recipients' }, h as unknown as History);
    expect(h.calls).toEqual([[{ page: 1 }, '', '/?x=1#/recipients']]);
  });

  it('leaves an address without a token alone', () => {
    const h = fakeHistory();
    dropTokenFromAddress({ href: 'http://127.0.0.1:4000/#/' }, h as unknown as History);
    expect(h.calls).toEqual([]);
  });
});
