/**
 * Columns to merge fields: the header names real exports use (Outlook, Google Contacts, Apple, Mailchimp, shop
 * systems; English, German, French, Spanish, Italian, Dutch, Nordic), field-name normalisation, and where the
 * header row is.
 */
import { parseAddress } from '../../../shared/email-address';

/** Canonical field → header names that mean it. Compared after `compact` (accents, case, spaces, punctuation dropped). */
const KNOWN: Record<string, string[]> = {
  email: [
    'email', 'e-mail', 'e mail', 'mail', 'email address', 'e-mail address', 'e-mail addresse', 'e-mail adresse', 'email adresse',
    'e-mail-adresse', 'emailadresse', 'mailadresse', 'e-mail 1 - value', 'email 1 - value', 'e-mail 1', 'email 1', 'primary email',
    'email (primary)', 'home email', 'work email', 'private email', 'business email', 'courriel', 'adresse e-mail', 'adresse email',
    'adresse mail', 'adresse électronique', 'adresse courriel', 'mél', 'correo', 'correo electrónico', 'correo electronico', 'email de contacto',
    'posta elettronica', 'indirizzo email', 'indirizzo e-mail', 'e-mailadres', 'emailadres', 'e-postadresse', 'e-post', 'e-postadress',
    'sähköposti', 'email_address', 'emailaddress', 'mail address', 'contact email', 'customer email', 'kunden e-mail', 'billing email',
  ],
  first_name: [
    'first name', 'firstname', 'first', 'given name', 'given-name', 'forename', 'vorname', 'prénom', 'prenom', 'nombre', 'nome', 'voornaam',
    'fornavn', 'förnamn', 'etunimi', 'billing first name', 'customer first name',
  ],
  last_name: [
    'last name', 'lastname', 'last', 'surname', 'family name', 'nachname', 'familienname', 'nom de famille', 'nom', 'apellido', 'apellidos',
    'cognome', 'achternaam', 'efternavn', 'etternavn', 'efternamn', 'sukunimi', 'billing last name', 'customer last name',
  ],
  name: ['name', 'full name', 'fullname', 'display name', 'contact name', 'nom complet', 'nombre completo', 'nome completo', 'volledige naam', 'vollständiger name', 'kontakt', 'customer name'],
  company: [
    'company', 'company name', 'organization', 'organisation', 'organization 1 - name', 'organization name', 'firma', 'firmenname', 'unternehmen',
    'société', 'entreprise', 'empresa', 'azienda', 'ditta', 'bedrijf', 'bedrijfsnaam', 'företag', 'yritys', 'business name',
  ],
  salutation: ['salutation', 'title', 'anrede', 'civilité', 'civilite', 'tratamiento', 'titolo', 'aanhef'],
  phone: [
    'phone', 'telephone', 'phone number', 'phone 1 - value', 'mobile phone', 'mobile', 'business phone', 'home phone', 'telefon', 'telefonnummer',
    'handy', 'mobil', 'téléphone', 'telephone mobile', 'teléfono', 'telefono', 'telefoon', 'cellulare', 'móvil',
  ],
  city: ['city', 'town', 'business city', 'home city', 'ort', 'stadt', 'ville', 'ciudad', 'città', 'citta', 'plaats', 'stad', 'address 1 - city'],
  postcode: ['postcode', 'postal code', 'zip', 'zip code', 'business postal code', 'home postal code', 'plz', 'postleitzahl', 'code postal', 'código postal', 'cap', 'postcode nl', 'address 1 - postal code'],
  country: ['country', 'country/region', 'business country/region', 'home country/region', 'land', 'pays', 'país', 'paese', 'address 1 - country'],
};

/** Lower case, accents dropped, only letters and digits: "E-Mail-Adresse" → "emailadresse". */
export function compact(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

// Made when a header is first looked up, not when the module loads (a few ms of every command's start).
let lookup: Map<string, string> | undefined;
function known(): Map<string, string> {
  if (lookup) return lookup;
  lookup = new Map<string, string>();
  for (const [field, names] of Object.entries(KNOWN)) for (const n of names) if (!lookup.has(compact(n))) lookup.set(compact(n), field);
  return lookup;
}

/** The canonical field a header means ("E-mail Address" → "email"), or undefined. */
export function knownField(header: string): string | undefined {
  return known().get(compact(header));
}

/**
 * A merge-field name from a header: lower case, runs of spaces and punctuation to `_`, letters and digits kept
 * (accents too: "Straße" → "straße"), never empty, never starting with a digit (Liquid can't name those).
 */
export function normaliseField(header: string): string {
  let f = header
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  if (f && /^\p{N}/u.test(f)) f = `f_${f}`;
  return f.slice(0, 64);
}

export interface ColumnPlan {
  index: number;
  header: string;
  field: string | null;
  source: 'known-header' | 'content' | 'user' | 'header' | 'ignored';
}

export interface MappingInput {
  map?: Record<string, string | null>;
  columns?: Array<{ index: number; field: string | null }>;
}

/** Share of `samples` that are valid addresses. */
function addressShare(samples: string[]): number {
  const filled = samples.filter((s) => s.trim() !== '');
  if (filled.length === 0) return 0;
  return filled.filter((s) => parseAddress(s).ok).length / filled.length;
}

/**
 * Decides each column's field. Order: the user's mapping (by position, then by header), known header names,
 * then own normalised names; the first column mapped to a field keeps it, a later one gets `_2`, `_3`. When no
 * column is `email`, the column whose sample values are mostly addresses becomes it.
 */
export function planColumns(headers: string[], sampleRows: string[][], mapping: MappingInput, warnings: string[]): ColumnPlan[] {
  const byIndex = new Map((mapping.columns ?? []).map((c) => [c.index, c.field]));
  const byHeader = new Map(Object.entries(mapping.map ?? {}).map(([h, f]) => [h.trim().toLowerCase(), f]));
  const usedHeaders = new Set<string>();
  for (const key of byHeader.keys()) {
    if (!headers.some((h) => h.trim().toLowerCase() === key)) {
      warnings.push(`The mapping names a column "${key}" that the file doesn't have (its columns: ${headers.map((h) => `"${h}"`).join(', ')}).`);
    }
  }
  const plans: ColumnPlan[] = headers.map((header, index) => {
    const hKey = header.trim().toLowerCase();
    let wanted: string | null;
    let source: ColumnPlan['source'];
    if (byIndex.has(index)) {
      wanted = byIndex.get(index) ?? null;
      source = 'user';
    } else if (byHeader.has(hKey) && !usedHeaders.has(hKey)) {
      wanted = byHeader.get(hKey) ?? null;
      source = 'user';
      usedHeaders.add(hKey);
    } else if (knownField(header)) {
      wanted = knownField(header)!;
      source = 'known-header';
    } else {
      wanted = normaliseField(header) || `column_${index + 1}`;
      source = 'header';
    }
    if (wanted === null || (source === 'user' && (wanted.trim() === '' || wanted.trim() === '-'))) return { index, header, field: null, source: 'ignored' };
    return { index, header, field: source === 'user' ? normaliseField(wanted) || `column_${index + 1}` : wanted, source };
  });
  // A column with nothing in its header and nothing in its samples is an artefact of the export: leave it out.
  for (const p of plans) {
    if (p.source === 'header' && p.header.trim() === '' && sampleRows.every((r) => (r[p.index] ?? '').trim() === '')) {
      p.field = null;
      p.source = 'ignored';
    }
  }
  if (!plans.some((p) => p.field === 'email')) {
    let best: ColumnPlan | undefined;
    let bestShare = 0.5;
    for (const p of plans) {
      if (p.source === 'user' || p.field === null) continue;
      const share = addressShare(sampleRows.map((r) => r[p.index] ?? ''));
      if (share > bestShare) {
        best = p;
        bestShare = share;
      }
    }
    if (best) {
      warnings.push(`No column is headed like an e-mail address, so Postroom took "${best.header || `column ${best.index + 1}`}", whose values are addresses.`);
      best.field = 'email';
      best.source = 'content';
    }
  }
  // Unique field names: the first keeps the name.
  const seen = new Map<string, number>();
  for (const p of plans) {
    if (p.field === null) continue;
    const n = (seen.get(p.field) ?? 0) + 1;
    seen.set(p.field, n);
    if (n > 1) {
      let candidate = `${p.field}_${n}`;
      while (plans.some((q) => q !== p && q.field === candidate)) candidate += '_';
      warnings.push(`Two columns both map to "${p.field}": "${p.header}" (column ${p.index + 1}) becomes "${candidate}".`);
      p.field = candidate;
    }
  }
  return plans;
}

/** Is the row empty (no cell with anything but spaces)? */
export function isBlank(row: string[]): boolean {
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (c.length !== 0 && (c.length > 64 || c.trim() !== '')) return false;
  }
  return true;
}

/**
 * Where the header row is among the first rows: the first non-blank row that has a header recognised as an
 * e-mail column, else the first non-blank row; null when that row is itself data (it holds an address), i.e.
 * the file has no header row at all (a plain list of addresses).
 */
export function findHeaderRow(rows: string[][]): { index: number | null; firstData: number } {
  const nonBlank = rows.map((r, i) => (isBlank(r) ? -1 : i)).filter((i) => i >= 0);
  if (nonBlank.length === 0) return { index: null, firstData: rows.length };
  for (const i of nonBlank.slice(0, 20)) {
    if (rows[i]!.some((c) => knownField(c) === 'email')) return { index: i, firstData: i + 1 };
  }
  const first = nonBlank[0]!;
  if (rows[first]!.some((c) => parseAddress(c).ok)) return { index: null, firstData: first };
  return { index: first, firstData: first + 1 };
}
