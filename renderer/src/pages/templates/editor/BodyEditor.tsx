/**
 * The body itself: the visual editor, or the HTML or Markdown source in CodeEditor with the check's problems
 * (syntax errors, fields the list lacks) marked where they are.
 */
import type { RefObject } from 'react';
import { CodeEditor, type CodeEditorHandle, type EditorProblem } from '../../../components/CodeEditor';
import type { ListSummary } from '../../../../../shared/contract/recipients';
import type { TemplateAttachment, TemplateCheck, TemplateDraft } from '../../../../../shared/contract/templates';
import { VisualEditor, type VisualEditorHandle } from '../visual/VisualEditor';
import { t } from '../../../i18n';
import { draftLanguage } from './draft';

interface Props {
  draft: TemplateDraft;
  /** Changes when the body is replaced from outside (a switch of format), so the visual editor starts over. */
  visualKey: number;
  visualRef: RefObject<VisualEditorHandle | null>;
  codeRef: RefObject<CodeEditorHandle | null>;
  check: TemplateCheck | undefined;
  list: ListSummary | undefined;
  /** `initial`: the visual editor's own first rendering of the body, not a change by the person. */
  onVisualChange(next: { body: string; doc: string }, initial?: boolean): void;
  onSourceChange(body: string): void;
  /** The saved template's id (pictures from the computer attach to a saved template), undefined before the first save. */
  templateId: number | undefined;
  /** A picture chosen in the visual editor became one of the template's files. */
  onAttachmentAdded(attachment: TemplateAttachment): void;
}

export function BodyEditor({ draft, visualKey, visualRef, codeRef, check: c, list, onVisualChange, onSourceChange, templateId, onAttachmentAdded }: Props) {
  if (draft.format === 'visual') {
    return (
      <VisualEditor
        key={visualKey}
        ref={visualRef}
        body={draft.body}
        doc={draft.doc}
        onChange={onVisualChange}
        templateId={templateId}
        onAttachmentAdded={onAttachmentAdded}
        language={draftLanguage(draft)}
      />
    );
  }
  const problems: EditorProblem[] = c
    ? [
        ...c.errors.filter((e) => e.part === 'body').map((e) => ({ line: e.line, column: e.column, length: 2, severity: 'error' as const, message: e.message })),
        ...c.missing
          .filter((m) => m.part === 'body')
          .map((m) => ({
            line: m.line,
            column: m.column,
            length: m.field.length,
            severity: 'error' as const,
            message: list ? t('templateEditor.noField', { list: list.name, field: m.field }) : t('templateEditor.noListToCheck', { field: m.field }),
          })),
      ]
    : [];
  return (
    <CodeEditor
      ref={codeRef}
      value={draft.body}
      onChange={onSourceChange}
      language={draft.format}
      label={draft.format === 'html' ? t('templateEditor.contentHtml') : t('templateEditor.contentMarkdown')}
      problems={problems}
    />
  );
}
