import { describe, expect, it } from 'vitest';
import { campaignNameProblem, suggestCampaignName } from '../../../renderer/src/pages/campaigns/name';

const day = new Date(2026, 11, 6);

describe('the name a new campaign gets', () => {
  it("is the template's name and the day, not its subject's Liquid", () => {
    expect(suggestCampaignName('Newsletter', [], day, 'en-GB')).toBe('Newsletter · 6 Dec 2026');
  });

  it('is made unique against existing campaigns, whatever their case', () => {
    const taken = ['newsletter · 6 Dec 2026', 'Newsletter · 6 Dec 2026 (2)'];
    expect(suggestCampaignName('Newsletter', taken, day, 'en-GB')).toBe('Newsletter · 6 Dec 2026 (3)');
  });

  it('is checked as it is typed: a taken name is refused, the campaign\'s own name is fine', () => {
    expect(campaignNameProblem('SPRING', ['Spring'])).toMatch(/already exists/);
    expect(campaignNameProblem('Spring', ['Spring'], 'Spring')).toBeNull();
    expect(campaignNameProblem('Summer', ['Spring'])).toBeNull();
  });
});
