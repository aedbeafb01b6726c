import { describe, expect, it } from 'vitest';
import { CHANNELS, EVENT_NAMES, methodName } from '../../shared/channel-names';
import { contract, events } from '../../shared/contract';

describe('the contract names the preload carries without the schemas', () => {
  it('are exactly the contract’s request channels and events, in its order', () => {
    expect([...CHANNELS]).toEqual(Object.keys(contract));
    expect([...EVENT_NAMES]).toEqual(Object.keys(events));
  });

  it('give each channel its method name', () => {
    expect(methodName('lists:import')).toBe('listsImport');
    expect(methodName('campaigns:retryFailed')).toBe('campaignsRetryFailed');
  });
});
