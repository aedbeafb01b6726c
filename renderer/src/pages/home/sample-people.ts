/**
 * The sample list's made-up customers, from each language's country, and their addresses: each one the person's
 * own address with a "+tag" (`you+sample-anna@shop.com`), which mail providers deliver to `you@shop.com`.
 */
import { currentLanguage } from '../../i18n';
import { contentLanguage, type Language } from '../../i18n/languages';

/** First name, last name, company (may be empty), city. */
export type SamplePerson = [first: string, last: string, company: string, city: string];

/**
 * Eight customers per language. The first is Anna in every language, as the dialog's example address says
 * (you+sample-anna@…); first names differ, so each person gets their own address.
 */
export const SAMPLE_PEOPLE: Record<Language, SamplePerson[]> = {
  en: [
    ['Anna', 'Berg', 'Berg Bakery', 'Malmö'],
    ['Tomás', 'Ruiz', 'Ruiz & Hijos', 'Sevilla'],
    ['Chloé', 'Martin', '', 'Lyon'],
    ['Kwame', 'Mensah', 'Mensah Books', 'Leeds'],
    ['Yuki', 'Tanaka', 'Tanaka Studio', 'Graz'],
    ['Dora', 'Novak', '', 'Brno'],
    ['Liam', 'O’Brien', 'The Corner Shop', 'Cork'],
    ['Sofia', 'Rossi', 'Rossi Flowers', 'Porto'],
  ],
  de: [
    ['Anna', 'Becker', 'Bäckerei Becker', 'Freiburg'],
    ['Jonas', 'Schmidt', '', 'Leipzig'],
    ['Katharina', 'Wagner', 'Blumen Wagner', 'Regensburg'],
    ['Mehmet', 'Yılmaz', 'Yılmaz Feinkost', 'Köln'],
    ['Sabine', 'Hoffmann', '', 'Münster'],
    ['Lukas', 'Weber', 'Tischlerei Weber', 'Bremen'],
    ['Jürgen', 'Schäfer', '', 'Kassel'],
    ['Lena', 'Fischer', 'Buchhandlung Fischer', 'Lübeck'],
  ],
  fr: [
    ['Anna', 'Lefèvre', 'Boulangerie Lefèvre', 'Nantes'],
    ['Julien', 'Moreau', '', 'Lille'],
    ['Camille', 'Dubois', 'Atelier Dubois', 'Bordeaux'],
    ['Karim', 'Benali', 'Librairie Benali', 'Marseille'],
    ['Élodie', 'Girard', '', 'Strasbourg'],
    ['Thomas', 'Laurent', 'Laurent & Fils', 'Dijon'],
    ['Sophie', 'Mercier', '', 'Rennes'],
    ['Hugo', 'Fontaine', 'Café Fontaine', 'Annecy'],
  ],
  es: [
    ['Anna', 'Puig', 'Forn Puig', 'Girona'],
    ['Javier', 'García', '', 'Madrid'],
    ['Lucía', 'Fernández', 'Floristería Fernández', 'Sevilla'],
    ['Carmen', 'Ruiz', 'Ruiz e Hijos', 'Valencia'],
    ['Pablo', 'Martínez', '', 'Bilbao'],
    ['Marta', 'López', 'Librería López', 'Salamanca'],
    ['Andrés', 'Sánchez', '', 'Zaragoza'],
    ['Elena', 'Navarro', 'Café Navarro', 'Málaga'],
  ],
};

/** The sample customers in the window's language. */
export function samplePeople(lang: Language = contentLanguage(currentLanguage())): SamplePerson[] {
  return SAMPLE_PEOPLE[lang];
}

/** Each sample address delivers to `own`: local+tag@domain. */
export function sampleAddresses(own: string, people: SamplePerson[] = samplePeople()): string[] {
  const [local, domain] = own.trim().split('@') as [string, string];
  const base = local.split('+')[0];
  return people.map(([first]) => `${base}+sample-${first.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase()}@${domain}`);
}
