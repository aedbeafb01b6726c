/**
 * The row above the body: what the template is written in (Visual editor, HTML or Markdown; `FormatSwitch` says
 * what a switch would lose before making it), the language its message is written in (the words Postroom adds to
 * the message follow it), and the list whose fields it is checked and previewed against.
 */
import { Group, Select } from '@mantine/core';
import { Language } from '../../../../../shared/contract/app';
import type { ListSummary } from '../../../../../shared/contract/recipients';
import type { TemplateFormat } from '../../../../../shared/contract/templates';
import { FormatSwitch } from '../visual/FormatSwitch';
import { t } from '../../../i18n';
import { LANGUAGE_NAMES } from '../../../i18n/languages';

interface Props {
  format: TemplateFormat;
  body: string;
  /** Nothing written yet in a new blank template: it switches format without asking. */
  untouched: boolean;
  onSwitch(to: TemplateFormat): void;
  /** The language the message is written in. */
  language: Language;
  onLanguageChange(language: Language): void;
  /** The lists to choose from (undefined while they load). */
  lists: ListSummary[] | undefined;
  list: ListSummary | undefined;
  onListChange(name: string | null): void;
}

export function FormatAndList({ format, body, untouched, onSwitch, language, onLanguageChange, lists, list, onListChange }: Props) {
  return (
    // One row that wraps where the column is narrow: the language then starts the next line, beside the list.
    <Group justify="space-between" align="flex-end">
      <FormatSwitch format={format} body={body} untouched={untouched} onSwitch={onSwitch} />
      <Select
        label={t('templateEditor.language')}
        // Each language named in itself, as Settings names them: a person picks the language they write in.
        data={Language.options.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
        value={language}
        onChange={(v) => {
          const chosen = Language.safeParse(v);
          if (chosen.success) onLanguageChange(chosen.data);
        }}
        allowDeselect={false}
        w={220}
      />
      <Select
        label={t('templateEditor.listPicker')}
        placeholder={lists?.length === 0 ? t('templateEditor.noLists') : t('templateEditor.chooseList')}
        data={(lists ?? []).map((l) => ({ value: l.name, label: t('templateEditor.listOption', { name: l.name, count: l.recipients }) }))}
        value={list?.name ?? null}
        onChange={(v) => onListChange(v)}
        allowDeselect={false}
        w={260}
      />
    </Group>
  );
}
