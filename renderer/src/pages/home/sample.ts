/**
 * "Try it with sample data": a small list of made-up people and a starter template, created through the same
 * channels as the user's own data (upload → lists:import, templates:starters → templates:create).
 *
 * Safe mode: every sample address is the person's own address with a "+tag" (`you+anna@shop.com`), which mail
 * providers deliver to `you@shop.com`; so whatever is sent to the sample list only ever reaches its owner.
 */
import type { Result } from '../../../../shared/result';
import { toCsv } from '../../../../shared/csv';
import { uploadFile } from '../../api';
import { call, invalidate } from '../../api/hooks';

export const SAMPLE_LIST = 'Sample customers (all to you)';
export const SAMPLE_TEMPLATE = 'Sample newsletter';

const PEOPLE: Array<[string, string, string, string]> = [
  ['Anna', 'Berg', 'Berg Bakery', 'Malmö'],
  ['Tomás', 'Ruiz', 'Ruiz & Hijos', 'Sevilla'],
  ['Chloé', 'Martin', '', 'Lyon'],
  ['Kwame', 'Mensah', 'Mensah Books', 'Leeds'],
  ['Yuki', 'Tanaka', 'Tanaka Studio', 'Graz'],
  ['Dora', 'Novak', '', 'Brno'],
  ['Liam', 'O’Brien', 'The Corner Shop', 'Cork'],
  ['Sofia', 'Rossi', 'Rossi Flowers', 'Porto'],
];

export function isAddress(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());
}

/** Each sample address delivers to `own`: local+tag@domain. */
export function sampleAddresses(own: string): string[] {
  const [local, domain] = own.trim().split('@') as [string, string];
  const base = local.split('+')[0];
  return PEOPLE.map(([first]) => `${base}+sample-${first.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase()}@${domain}`);
}

export async function loadSampleData(own: string): Promise<Result<{ listId: number; templateId: number | null }>> {
  const emails = sampleAddresses(own);
  const csv = toCsv([['email', 'first_name', 'last_name', 'company', 'city'], ...PEOPLE.map((p, i) => [emails[i]!, ...p])]);
  let path: string;
  try {
    ({ path } = await uploadFile(new File([csv], 'Sample customers.csv', { type: 'text/csv' })));
  } catch (err) {
    return { ok: false, error: { code: 'FILE_UNREADABLE', message: (err as Error).message } };
  }
  const imported = await call('listsImport', { path, listName: SAMPLE_LIST });
  if (!imported.ok) return imported;

  let templateId: number | null = null;
  const existing = await call('templatesList', {});
  const already = existing.ok ? existing.value.find((t) => t.name === SAMPLE_TEMPLATE) : undefined;
  if (already) templateId = already.id;
  else {
    const starters = await call('templatesStarters', {});
    if (!starters.ok) return starters;
    const starter = starters.value[0];
    if (starter) {
      const created = await call('templatesCreate', {
        name: SAMPLE_TEMPLATE,
        subject: starter.subject,
        from: `Postroom sample <${own.trim()}>`,
        replyTo: null,
        format: starter.format,
        body: starter.body,
        text: null,
        attachField: null,
      });
      if (!created.ok) return created;
      templateId = created.value.id;
    }
  }
  invalidate();
  return { ok: true, value: { listId: imported.value.listId, templateId } };
}
