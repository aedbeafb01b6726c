import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../renderer/src/i18n/languages';
import { changeLanguage, t } from '../../../renderer/src/i18n';
import { SAMPLE_PEOPLE, sampleAddresses, samplePeople } from '../../../renderer/src/pages/home/sample-people';

describe('the sample customers', () => {
  it.each(LANGUAGES)('in %s: eight people, Anna first as the dialog says, each with an address of their own', (lang) => {
    const people = SAMPLE_PEOPLE[lang];
    expect(people).toHaveLength(8);
    expect(people[0]![0]).toBe('Anna');
    expect(t('home.sampleBody', { lng: lang })).toContain('+sample-anna@');
    const addresses = sampleAddresses('owner+shop@shop.example', people);
    expect(new Set(addresses).size).toBe(8);
    for (const a of addresses) expect(a).toMatch(/^owner\+sample-[a-z]+@shop\.example$/);
  });

  it('are other people in each language, so that each list fits its country', () => {
    const firstNames = LANGUAGES.map((lang) => SAMPLE_PEOPLE[lang].slice(1).map(([first]) => first).join());
    expect(new Set(firstNames).size).toBe(LANGUAGES.length);
  });

  it('follow the window’s language, English under the pseudo-locale', () => {
    changeLanguage('de');
    expect(samplePeople()).toBe(SAMPLE_PEOPLE.de);
    expect(t('home.sampleList')).toBe('Beispielkunden (alle an Sie)');
    changeLanguage('en-XA');
    expect(samplePeople()).toBe(SAMPLE_PEOPLE.en);
    changeLanguage('en');
    expect(samplePeople()).toBe(SAMPLE_PEOPLE.en);
    expect(sampleAddresses('you@shop.example')[0]).toBe('you+sample-anna@shop.example');
  });
});
