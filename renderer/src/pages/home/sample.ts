/**
 * "Try it with sample data": a small list of made-up people and a starter template, created through the same
 * channels as the user's own data (upload → lists:import, templates:starters → templates:create), in the
 * window's language: names, towns and the newsletter from its country.
 *
 * Safe mode: every sample address is the person's own address with a "+tag" (`you+anna@shop.com`), which mail
 * providers deliver to `you@shop.com`; so whatever is sent to the sample list only ever reaches its owner.
 */
import type { Result } from '../../../../shared/result';
import { toCsv } from '../../../../shared/csv';
import { uploadFile } from '../../api';
import { call, invalidate } from '../../api/hooks';
import { readStarters } from '../../api/starters';
import { t } from '../../i18n';
import { sampleAddresses, samplePeople } from './sample-people';

export { sampleAddresses };

export function isAddress(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());
}

/**
 * Adds the sample list and a sample newsletter (made from the window's language's first starter), both named
 * in that language. Answers the list's name, for the message that says it is there.
 */
export async function loadSampleData(own: string): Promise<Result<{ listId: number; listName: string; templateId: number | null }>> {
  const people = samplePeople();
  const listName = t('home.sampleList');
  const templateName = t('home.sampleTemplate');
  const emails = sampleAddresses(own, people);
  const csv = toCsv([['email', 'first_name', 'last_name', 'company', 'city'], ...people.map((p, i) => [emails[i]!, ...p])]);
  let path: string;
  try {
    ({ path } = await uploadFile(new File([csv], t('home.sampleFile'), { type: 'text/csv' })));
  } catch (err) {
    return { ok: false, error: { code: 'FILE_UNREADABLE', message: (err as Error).message } };
  }
  const imported = await call('listsImport', { path, listName });
  if (!imported.ok) return imported;

  let templateId: number | null = null;
  const existing = await call('templatesList', {});
  const already = existing.ok ? existing.value.find((x) => x.name === templateName) : undefined;
  if (already) templateId = already.id;
  else {
    const starters = await readStarters();
    if (!starters.ok) return starters;
    const starter = starters.value[0];
    if (starter) {
      const created = await call('templatesCreate', {
        name: templateName,
        subject: starter.subject,
        from: `${t('home.sampleFrom')} <${own.trim()}>`,
        replyTo: null,
        format: starter.format,
        body: starter.body,
        text: null,
        attachField: null,
        language: starter.language,
      });
      if (!created.ok) return created;
      templateId = created.value.id;
    }
  }
  invalidate();
  return { ok: true, value: { listId: imported.value.listId, listName, templateId } };
}
