/**
 * The template's own fields at the top of the editor: its name, the subject, From and Reply-To, each showing what
 * the check found wrong with it.
 */
import { Group, TextInput } from '@mantine/core';
import type { TemplateCheck, TemplateDraft } from '../../../../../shared/contract/templates';
import { t } from '../../../i18n';
import type { SetDraftField } from './draft';

export function TemplateFields({ draft, check: c, set }: { draft: TemplateDraft; check: TemplateCheck | undefined; set: SetDraftField }) {
  return (
    <>
      <TextInput label={t('templateEditor.name')} description={t('templateEditor.nameHint')} value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} required />
      <TextInput
        label={t('templateEditor.subject')}
        value={draft.subject}
        onChange={(e) => set('subject', e.currentTarget.value)}
        error={c?.missing.find((m) => m.part === 'subject') ? t('templateEditor.subjectNoField', { field: c.missing.find((m) => m.part === 'subject')!.field }) : undefined}
      />
      <Group grow align="flex-start">
        <TextInput
          label={t('templateEditor.from')}
          description={t('templateEditor.fromHint', { example: `${t('templateEditor.shopName')} <${t('templateEditor.shopName').toLowerCase()}@example.com>` })}
          value={draft.from}
          onChange={(e) => set('from', e.currentTarget.value)}
          required
          error={draft.from.trim() && c?.errors.find((e) => e.part === 'from')?.message}
        />
        <TextInput
          label={t('templateEditor.replyTo')}
          description={t('templateEditor.replyToHint')}
          value={draft.replyTo ?? ''}
          onChange={(e) => set('replyTo', e.currentTarget.value.trim() ? e.currentTarget.value : null)}
        />
      </Group>
    </>
  );
}
