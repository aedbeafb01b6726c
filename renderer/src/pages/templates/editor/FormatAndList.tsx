/**
 * The row above the body: what the template is written in (Visual editor, HTML or Markdown; `FormatSwitch` says
 * what a switch would lose before making it) and the list whose fields it is checked and previewed against.
 */
import { Group, Select } from '@mantine/core';
import type { ListSummary } from '../../../../../shared/contract/recipients';
import type { TemplateFormat } from '../../../../../shared/contract/templates';
import { FormatSwitch } from '../visual/FormatSwitch';
import { t } from '../../../i18n';

interface Props {
  format: TemplateFormat;
  body: string;
  /** Nothing written yet in a new blank template: it switches format without asking. */
  untouched: boolean;
  onSwitch(to: TemplateFormat): void;
  /** The lists to choose from (undefined while they load). */
  lists: ListSummary[] | undefined;
  list: ListSummary | undefined;
  onListChange(name: string | null): void;
}

export function FormatAndList({ format, body, untouched, onSwitch, lists, list, onListChange }: Props) {
  return (
    <Group justify="space-between" align="flex-end">
      <FormatSwitch format={format} body={body} untouched={untouched} onSwitch={onSwitch} />
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
