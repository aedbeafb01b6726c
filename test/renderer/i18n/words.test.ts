/**
 * The window's words in each language: plurals, numbers, dates and times through Intl, the language rule, the
 * pseudo-locale, and core errors worded from their code. Runs the real catalogs under Node (full ICU).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { changeLanguage, t } from '../../../renderer/src/i18n';
import { coreMessage } from '../../../renderer/src/i18n/core-messages';
import { formatDuration, formatNumber, formatRelative, formatWhen } from '../../../renderer/src/i18n/format';
import { fromSystem, resolveLanguage } from '../../../renderer/src/i18n/languages';
import { pseudoMessage } from '../../../renderer/src/i18n/pseudo';
import { describePlan, planSend } from '../../../renderer/src/pages/campaigns/plan';

const NNBSP = '\u202f';
// A Tuesday morning: "tomorrow" is a weekday in every zone the tests run in.
const NOW = new Date(2026, 11, 8, 9, 14).getTime();

afterEach(() => changeLanguage('en'));

describe('plurals and numbers', () => {
  it('count recipients the German way', () => {
    changeLanguage('de');
    expect(t('list.count', { count: 1 })).toBe('1 Empfänger');
    expect(t('list.count', { count: 1248 })).toBe('1.248 Empfänger');
    expect(t('plan.people', { count: 1248 })).toBe('1.248 Personen');
  });

  it('count recipients the French way, with a narrow space between thousands', () => {
    changeLanguage('fr');
    expect(t('list.count', { count: 1 })).toBe('1 destinataire');
    expect(t('list.count', { count: 1248 })).toBe(`1${NNBSP}248 destinataires`);
    expect(t('plan.people', { count: 0 })).toBe('0 personne');
  });

  it('count the Spanish and English ways', () => {
    changeLanguage('es');
    expect(t('list.count', { count: 1 })).toBe('1 destinatario');
    expect(t('list.count', { count: 12480 })).toBe('12.480 destinatarios');
    changeLanguage('en');
    expect(t('list.count', { count: 1248 })).toBe('1,248 recipients');
    expect(formatNumber(1248)).toBe('1,248');
  });
});

describe('dates, times and durations', () => {
  it('say tomorrow and the time in the chosen language', () => {
    const at = new Date(2026, 11, 9, 9, 14).getTime();
    changeLanguage('de');
    expect(formatWhen(at, NOW)).toBe('morgen um 09:14');
    changeLanguage('fr');
    expect(formatWhen(at, NOW)).toBe('demain à 09:14');
    changeLanguage('es');
    expect(formatWhen(at, NOW)).toBe('mañana a las 09:14');
  });

  it('say how long ago or how soon in the chosen language', () => {
    changeLanguage('de');
    expect(formatRelative(NOW - 3 * 60_000, NOW)).toBe('vor 3 Minuten');
    changeLanguage('es');
    expect(formatRelative(NOW + 2 * 3600_000, NOW)).toBe('dentro de 2 horas');
  });

  it('spell durations out in words', () => {
    changeLanguage('de');
    expect(formatDuration(3900)).toBe('1 Stunde, 5 Minuten');
    changeLanguage('fr');
    expect(formatDuration(120)).toBe('2 minutes');
  });

  it('word the send plan in German: "748 gehen ab morgen um …"', () => {
    changeLanguage('de');
    const plan = planSend(1248, { perSecond: 1, perMinute: null, perHour: null, perDay: 500, connections: 1 }, { dailyLimit: 500, usedToday: 0, nextFreeAt: null }, NOW);
    expect(describePlan(plan, NOW)).toBe(
      `500 gehen jetzt hinaus, etwa 8 Minuten bei 1 pro Sekunde. 748 gehen ab morgen um 09:14 hinaus, sobald das Tageskontingent wieder frei wird, verteilt auf etwa 2 Tage.`,
    );
  });
});

describe('which language the window speaks', () => {
  it('takes the first of the computer’s languages that it speaks', () => {
    expect(fromSystem(['pt-BR', 'de-AT', 'fr'])).toBe('de');
    expect(fromSystem(['fr_CA'])).toBe('fr');
    expect(fromSystem(['ja', 'pt'])).toBe('en');
    expect(fromSystem([null, 'es-419'])).toBe('es');
  });

  it('lets a choice in Settings win over the computer', () => {
    expect(resolveLanguage('fr', ['de-DE'])).toBe('fr');
    expect(resolveLanguage('system', ['de-DE'])).toBe('de');
    expect(resolveLanguage(undefined, ['en-XA'])).toBe('en-XA');
  });
});

describe('the pseudo-locale', () => {
  it('accents every letter and grows the message by about 40 %, keeping placeholders, plurals and tags', () => {
    const source = '{count, plural, one {# message waiting} other {# messages waiting}} in <b>{name}</b>';
    const pseudo = pseudoMessage(source);
    expect(pseudo).toMatch(/^⟦.*⟧$/);
    expect(pseudo).not.toMatch(/\b(?!count|plural|one|other|name|b\b)[A-Za-z]{2,}\b/);
    expect(pseudo).toContain('{name}');
    expect(pseudo).toContain('<b>');
    changeLanguage('en-XA');
    const shown = t('list.count', { count: 3 });
    expect(shown).toMatch(/^⟦3 ŕéçîþîéñţš ·+⟧$/);
    expect(shown.length).toBeGreaterThanOrEqual(Math.round('3 recipients'.length * 1.35));
  });
});

describe('core errors in the window’s language', () => {
  const error = { code: 'AUTH_FAILED', message: "Couldn't log in to smtp.example.com: the server said 535.", params: { host: 'smtp.example.com', reply: '535 5.7.8', relay: 'Shop' } };

  it('word a core error from its code and params', () => {
    changeLanguage('de');
    expect(coreMessage(error)).toBe('Die Anmeldung bei smtp.example.com ist fehlgeschlagen: Der Server antwortete 535 5.7.8. Prüfen Sie Benutzername und Passwort unter Versandkonten → Shop.');
    changeLanguage('fr');
    expect(coreMessage({ code: 'NOT_FOUND', message: 'No list called "X".', params: { kind: 'list', list: 'X' } })).toBe('Il n’existe aucune liste nommée « X ». Elle a peut-être été renommée ou supprimée.');
  });

  it('fall back to the core’s own sentence without the params a message needs, and in English', () => {
    changeLanguage('de');
    expect(coreMessage({ ...error, params: { host: 'smtp.example.com' } })).toBe(error.message);
    expect(coreMessage({ code: 'INTERNAL', message: 'Boom.' })).toBe('Boom.');
    changeLanguage('en');
    expect(coreMessage(error)).toBe(error.message);
  });
});
