import { describe, expect, it } from 'vitest';
import { nextState, type CampaignAction } from '../../../electron/core/outbox/campaigns';
import { CampaignState } from '../../../shared/contract/sending';

describe('the campaign lifecycle', () => {
  it('goes draft → sending ⇄ paused → completed, and sending ⇄ waiting', () => {
    expect(nextState('draft', 'send')).toBe('sending');
    expect(nextState('sending', 'pause')).toBe('paused');
    expect(nextState('paused', 'resume')).toBe('sending');
    expect(nextState('sending', 'unreachable')).toBe('waiting');
    expect(nextState('waiting', 'reachable')).toBe('sending');
    expect(nextState('sending', 'finished')).toBe('completed');
    expect(nextState('scheduled', 'due')).toBe('sending');
  });

  it('lets nothing leave cancelled, and nothing but a retry or a send leave completed', () => {
    const actions: CampaignAction[] = ['send', 'due', 'pause', 'problem', 'resume', 'cancel', 'unreachable', 'reachable', 'finished', 'reopen'];
    for (const a of actions) expect(nextState('cancelled', a)).toBeNull();
    expect(actions.filter((a) => nextState('completed', a) !== null).sort()).toEqual(['reopen', 'send']);
  });

  it('has an answer for every state', () => {
    for (const s of CampaignState.options) expect(() => nextState(s, 'cancel')).not.toThrow();
  });
});
