/**
 * The template editor: subject, From and Reply-To, the source (HTML or Markdown) in CodeEditor, a palette of the
 * chosen list's fields, problems placed where they are (fields the list lacks, syntax, no unsubscribe link, the
 * spam check), attachments, and beside it the exact message a real recipient of that list would get.
 *
 * This page holds the draft and what is read for it (the check, the preview, the chosen list) and lays out the
 * parts a person sees, each in `editor/`.
 */
import { Anchor, Grid, Loader, Stack } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useAction, useQuery } from '../../api/hooks';
import { useStarters } from '../../api/starters';
import { href, navigate } from '../../app/router';
import type { CodeEditorHandle } from '../../components/CodeEditor';
import { CoreError, notifyDone } from '../../components/CoreError';
import { FallbacksPanel } from '../../components/FallbacksPanel';
import { Page } from '../../components/Page';
import type { TestMessage } from '../../components/SendTestButton';
import { fieldTag } from '../../../../shared/merge-fields';
import type { TemplateAttachment, TemplateDraft } from '../../../../shared/contract/templates';
import type { Language } from '../../../../shared/contract/app';
import { fieldUses } from './fields';
import { useAudience } from '../campaigns/audience';
import type { VisualEditorHandle } from './visual/VisualEditor';
import { convertBody } from './visual/FormatSwitch';
import { useDefaultFrom } from './default-from';
import { rich } from '../../i18n/rich';
import { t } from '../../i18n';
import { blankBody, draftLanguage, emptyDraft, forCore, toDraft, unsubscribeSnippet, type SetDraftField } from './editor/draft';
import { SaveBar } from './editor/SaveBar';
import { TemplateFields } from './editor/TemplateFields';
import { FormatAndList } from './editor/FormatAndList';
import { FieldPalette } from './editor/FieldPalette';
import { BodyEditor } from './editor/BodyEditor';
import { ProblemsPanel } from './editor/ProblemsPanel';
import { AttachmentsPanel } from './editor/AttachmentsPanel';
import { PreviewPane } from './editor/PreviewPane';
import { SpamCheckPanel } from './editor/SpamCheckPanel';

const LIST_KEY = 'postroom.previewList';

export function TemplateEditor({ id, starter }: { id?: number; starter?: string }) {
  const [draft, setDraft] = useState<TemplateDraft | null>(id === undefined && starter === undefined ? emptyDraft() : null);
  const [saved, setSaved] = useState<TemplateDraft | null>(null);
  const [attachments, setAttachments] = useState<TemplateAttachment[]>([]);
  // A draft of a saved template takes that template's files (its pictures above all) to the preview, check and tests.
  const withFiles = id !== undefined ? { templateId: id } : {};
  const editor = useRef<CodeEditorHandle>(null);
  const visual = useRef<VisualEditorHandle>(null);
  // Remounts the visual editor when its body is replaced from outside (a switch of format).
  const [visualKey, setVisualKey] = useState(0);
  /** Whether the person has written anything in the body yet (a blank new template switches format freely). */
  const [touched, setTouched] = useState(false);
  const { from: defaultFrom, soleRelay } = useDefaultFrom();
  useEffect(() => {
    // The starter's (or a new template's) From: the relay's account, until the person writes their own.
    if (defaultFrom && id === undefined) setDraft((d) => (d && d.from.trim() === '' ? { ...d, from: defaultFrom } : d));
  }, [defaultFrom, id, draft === null]);

  // Load the template (or the starter) once: read once per id, never again under the person's hands.
  const loaded = useQuery('templatesGet', { id: id ?? 0 }, { enabled: id !== undefined, live: false });
  const starters = useStarters({ enabled: id === undefined && starter !== undefined, live: false });
  useEffect(() => {
    if (!loaded.data) return;
    setDraft(toDraft(loaded.data));
    setSaved(toDraft(loaded.data));
    setAttachments(loaded.data.attachments);
  }, [loaded.data]);
  useEffect(() => {
    if (!starters.data) return;
    const s = starters.data.find((x) => x.key === starter);
    // A starter's message is in the language it is written in (English where it isn't written in the window's yet).
    setDraft(s ? { ...emptyDraft(s.language), name: s.name, subject: s.subject, format: s.format, body: s.body, doc: null } : emptyDraft());
  }, [starters.data, starter]);
  const loadError = loaded.error ?? starters.error;

  const lists = useQuery('listsList', {}, { refreshOn: ['lists:changed'] });
  const [listName, setListName] = useState<string | null>(() => localStorage.getItem(LIST_KEY));
  const list = lists.data?.find((l) => l.name === listName) ?? (lists.data && lists.data.length > 0 && listName === null ? lists.data[0] : undefined);
  useEffect(() => {
    if (list) localStorage.setItem(LIST_KEY, list.name);
  }, [list]);

  const [index, setIndex] = useState(0);
  useEffect(() => setIndex(0), [list?.name]);

  const [debounced] = useDebouncedValue(draft, 400);
  const checkQuery = useQuery(
    'templatesCheck',
    { draft: forCore(debounced ?? emptyDraft()), ...withFiles, ...(list ? { list: list.name } : { fields: [] }), ...(soleRelay ? { relay: soleRelay } : {}) },
    { enabled: !!debounced, live: false },
  );
  const check = { value: checkQuery.data, error: checkQuery.error };
  // The saved template carries its attachments (inline images); an unsaved one is previewed as a draft.
  const previewSource = debounced && id !== undefined && saved && JSON.stringify(saved) === JSON.stringify(debounced) ? { id } : { draft: forCore(debounced ?? emptyDraft()), ...withFiles };
  const previewQuery = useQuery('templatesPreview', { ...previewSource, ...(list ? { list: list.name, index } : {}) }, { enabled: !!debounced, live: false, keepOnError: true });
  const preview = { value: previewQuery.data, error: previewQuery.error, busy: previewQuery.loading };

  const audience = useAudience(list?.id);
  const uses = useMemo(() => (draft ? fieldUses(draft.subject, draft.body, draft.from) : []), [draft]);

  const create = useAction('templatesCreate');
  const update = useAction('templatesUpdate');
  const saveError = create.error ?? update.error;
  const dirty = draft !== null && JSON.stringify(draft) !== JSON.stringify(saved);
  const canSave = !!draft && draft.name.trim() !== '' && draft.from.trim() !== '';

  const save = async () => {
    if (!draft || !canSave) return;
    if (id === undefined) {
      const r = await create.run(draft);
      if (r.ok) {
        notifyDone(t('templateEditor.saved', { name: r.value.name }), t('templateEditor.savedTitle'));
        navigate(href('templates', r.value.id));
      }
    } else {
      const r = await update.run({ id, template: draft });
      if (r.ok) {
        setSaved(toDraft(r.value));
        setAttachments(r.value.attachments);
        notifyDone(t('templateEditor.saved', { name: r.value.name }), t('templateEditor.savedTitle'));
      }
    }
  };

  if (loadError) {
    return (
      <Page title={t('templateEditor.title')}>
        <CoreError error={loadError} />
        <Anchor underline="always" href={href('templates')}>
          {t('templateEditor.back')}
        </Anchor>
      </Page>
    );
  }
  if (!draft) {
    return (
      <Page title={t('templateEditor.title')}>
        <Loader size="sm" aria-label={t('templateEditor.loading')} />
      </Page>
    );
  }

  const set: SetDraftField = (k, v) => setDraft((d) => (d ? { ...d, [k]: v } : d));
  const language = draftLanguage(draft);
  const insertUnsubscribe = () => (draft.format === 'visual' ? visual.current?.insertUnsubscribe() : editor.current?.insert(unsubscribeSnippet(draft.format, language)));
  const insertField = (f: string, fallback: string | undefined) =>
    draft.format === 'visual' ? visual.current?.insertField(f, fallback) : editor.current?.insert(fieldTag(f, fallback));
  const untouched = !touched && id === undefined && starter === undefined;
  const switchFormat = (to: TemplateDraft['format']) => {
    // A blank new template starts over in the new format rather than converting the placeholder text.
    setDraft((d) => (d ? { ...d, format: to, body: untouched && to !== 'visual' ? blankBody(to, draftLanguage(d)) : convertBody(d.format, to, d.body), doc: null } : d));
    if (to === 'visual') setVisualKey((k) => k + 1);
  };
  const changeLanguage = (to: Language) => {
    // A blank new template starts over in the new language rather than keeping the placeholder's words.
    setDraft((d) => (d ? { ...d, language: to, ...(untouched ? { body: blankBody(d.format, to), doc: null } : {}) } : d));
    if (untouched && draft.format === 'visual') setVisualKey((k) => k + 1);
  };
  const listFields = (list?.fields ?? []).filter((f) => f !== 'email');
  const paletteFields = ['email', 'name', ...listFields.filter((f) => f !== 'name')];
  const testMessage: TestMessage | undefined =
    draft && draft.from.trim()
      ? { ...(id !== undefined && saved && JSON.stringify(saved) === JSON.stringify(draft) ? { id } : { draft: forCore(draft), ...withFiles }), ...(list ? { list: list.name, index } : {}) }
      : undefined;

  return (
    <Page
      title={id === undefined ? t('templateEditor.new') : draft.name || t('templateEditor.title')}
      description={rich('templateEditor.description', {
        braces: '{{ … }}',
        a: (chunks) => (
          <Anchor underline="always" href={href('templates')}>
            {chunks}
          </Anchor>
        ),
      })}
      actions={<SaveBar templateId={id} dirty={dirty} canSave={canSave} busy={create.busy || update.busy} onSave={() => void save()} />}
    >
      {saveError && <CoreError error={saveError} />}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="sm">
            <TemplateFields draft={draft} check={check.value} set={set} />
            <FormatAndList
              format={draft.format}
              body={draft.body}
              untouched={untouched}
              onSwitch={switchFormat}
              language={language}
              onLanguageChange={changeLanguage}
              lists={lists.data}
              list={list}
              onListChange={setListName}
            />
            <FieldPalette fields={paletteFields} hasList={!!list} onInsertField={insertField} onInsertUnsubscribe={insertUnsubscribe} />
            <BodyEditor
              draft={draft}
              visualKey={visualKey}
              visualRef={visual}
              codeRef={editor}
              check={check.value}
              list={list}
              onVisualChange={(v, initial) => {
                if (!initial) setTouched(true);
                setDraft((d) => (d ? { ...d, body: v.body, doc: v.doc } : d));
              }}
              onSourceChange={(v) => {
                setTouched(true);
                set('body', v);
              }}
              templateId={id}
              onAttachmentAdded={(a) => setAttachments((all) => (all.some((x) => x.id === a.id) ? all : [...all, a]))}
            />
            <ProblemsPanel draft={draft} check={check} list={list} onReveal={(line, column) => editor.current?.reveal(line, column)} onInsertUnsubscribe={insertUnsubscribe} />
            {list && (
              <FallbacksPanel
                fields={uses}
                emptyByField={audience?.emptyByField}
                listName={list.name}
                listFields={listFields}
              />
            )}
            <AttachmentsPanel templateId={id} attachments={attachments} setAttachments={setAttachments} draft={draft} set={set} listFields={listFields} />
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="sm">
            <PreviewPane preview={preview} index={index} onIndexChange={setIndex} testMessage={testMessage} />
            <SpamCheckPanel draft={draft} templateId={id} list={list} index={index} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Page>
  );
}
