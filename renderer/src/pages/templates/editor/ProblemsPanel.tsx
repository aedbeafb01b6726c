/**
 * The problems under the body, placed where they are: syntax errors and fields the list lacks (with a button that
 * shows each in the source), a missing unsubscribe link (with a button that inserts one), the check's warnings, or
 * that all is well.
 */
import { Button, List, Stack, Text } from '@mantine/core';
import { Notice } from '../../../components/Notice';
import { CoreError } from '../../../components/CoreError';
import { warningAction } from '../../../components/WarningAction';
import { reviewMessage } from '../../campaigns/review-actions';
import type { ListSummary } from '../../../../../shared/contract/recipients';
import type { TemplateCheck, TemplateDraft, TemplatePart } from '../../../../../shared/contract/templates';
import type { AppError } from '../../../../../shared/result';
import { rich } from '../../../i18n/rich';
import { t } from '../../../i18n';

const PART_KEYS = {
  subject: 'templateEditor.part.subject',
  from: 'templateEditor.part.from',
  replyTo: 'templateEditor.part.replyTo',
  body: 'templateEditor.part.body',
  text: 'templateEditor.part.text',
  attachField: 'templateEditor.part.attachField',
  unsubscribe: 'templateEditor.part.unsubscribe',
} as const satisfies Record<TemplatePart, string>;
const partName = (p: TemplatePart) => t(PART_KEYS[p]);

interface Props {
  draft: TemplateDraft;
  check: { value?: TemplateCheck; error?: AppError };
  list: ListSummary | undefined;
  /** Moves the source editor's cursor to a problem. */
  onReveal(line: number, column: number): void;
  onInsertUnsubscribe(): void;
}

export function ProblemsPanel({ draft, check, list, onReveal, onInsertUnsubscribe }: Props) {
  const c = check.value;
  // A visual template's layout adds the footer with the unsubscribe link itself when the body has none.
  const noUnsubscribe = draft.format !== 'visual' && !/unsubscribe/i.test(draft.body);
  // Only the source editors can show a place; the visual editor has no lines and columns.
  const showButton = (part: TemplatePart, line: number, column: number) =>
    part === 'body' &&
    draft.format !== 'visual' && (
      <Button size="compact-xs" variant="default" onClick={() => onReveal(line, column)}>
        {t('templateEditor.show')}
      </Button>
    );
  return (
    <section aria-label={t('templateEditor.problems')}>
      <Stack gap="xs">
        {check.error && <CoreError error={check.error} title={t('templateEditor.checkFailed')} />}
        {c && (c.errors.length > 0 || c.missing.length > 0) && (
          <Notice color="red" title={t('templateEditor.fixThese')} role="alert">
            <List size="sm" spacing={4}>
              {c.errors.map((e, i) => (
                <List.Item key={`e${i}`}>
                  {t('templateEditor.at', { part: partName(e.part), line: e.line, column: e.column })} {e.message}{' '}
                  {showButton(e.part, e.line, e.column)}
                </List.Item>
              ))}
              {c.missing.map((m, i) => (
                <List.Item key={`m${i}`}>
                  {t('templateEditor.at', { part: partName(m.part), line: m.line, column: m.column })}{' '}
                  {list
                    ? rich('templateEditor.missingOnList', { list: list.name, field: m.field, b: (chunks) => <b>{chunks}</b> })
                    : rich('templateEditor.missingNoList', { field: m.field, b: (chunks) => <b>{chunks}</b> })}{' '}
                  {showButton(m.part, m.line, m.column)}
                </List.Item>
              ))}
            </List>
          </Notice>
        )}
        {noUnsubscribe && (
          <Notice color="yellow" title={t('templateEditor.noUnsubscribe')}>
            <Text size="sm">{t('templateEditor.noUnsubscribeBody')}</Text>
            <Button size="xs" mt="xs" variant="default" onClick={() => onInsertUnsubscribe()}>
              {t('templateEditor.insertUnsubscribe')}
            </Button>
          </Notice>
        )}
        {c && c.warnings.length > 0 && (
          <Notice color="yellow" title={t('templateEditor.worthALook')}>
            <List size="sm" spacing={4}>
              {c.warningItems.map((w, i) => (
                <List.Item key={i}>
                  {reviewMessage(w)} {warningAction(w)}
                </List.Item>
              ))}
            </List>
          </Notice>
        )}
        {c && c.ok && !noUnsubscribe && c.warnings.length === 0 && (
          <Text size="sm" c="green.8" role="status">
            {list ? t('templateEditor.allOnList', { list: list.name }) : t('templateEditor.noProblems')}
          </Text>
        )}
      </Stack>
    </section>
  );
}
