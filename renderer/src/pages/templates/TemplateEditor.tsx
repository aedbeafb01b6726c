/**
 * The template editor: subject, From and Reply-To, the source (HTML or Markdown) in CodeMirror, a palette of the
 * chosen list's fields, problems placed where they are (fields the list lacks, syntax, no unsubscribe link, the
 * spam check), attachments, and beside it the exact message a real recipient of that list would get.
 */
import {
  ActionIcon,
  Anchor,
  Button,
  FileButton,
  Grid,
  Group,
  List,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { Notice } from '../../components/Notice';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { uploadFile } from '../../api';
import { call, useAction, useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { CodeEditor, type CodeEditorHandle, type EditorProblem } from '../../components/CodeEditor';
import { CoreError, notifyDone, notifyError } from '../../components/CoreError';
import { MessagePreview, RecipientStepper } from '../../components/MessagePreview';
import { FallbacksPanel } from '../../components/FallbacksPanel';
import { Page } from '../../components/Page';
import { AttachmentsFolderField } from '../../components/AttachmentsFolderField';
import { SendTestButton } from '../../components/SendTestButton';
import { fieldTag } from '../../../../shared/merge-fields';
import type { SpamCheck, Template, TemplateAttachment, TemplateDraft, TemplatePart } from '../../../../shared/contract/templates';
import type { AppError } from '../../../../shared/result';
import { fieldUses } from './fields';
import { useAudience } from '../campaigns/audience';
import { VisualEditor, type VisualEditorHandle } from './visual/VisualEditor';
import { FormatSwitch, convertBody } from './visual/FormatSwitch';
import { useDefaultFrom } from './default-from';
import { warningAction } from '../../components/WarningAction';
import { NextStep } from '../../components/NextStep';
import { rich } from '../../i18n/rich';
import { reviewMessage } from '../campaigns/review-actions';
import { t } from '../../i18n';

/** The greeting a blank template starts with, in the window's language (the person's own words replace it). */
const greeting = () => `${t('templateEditor.blank.hello')} {{ first_name | default: "${t('templateEditor.blank.there')}" }},`;

/** What a blank new template holds in each format (it starts in the visual editor). */
const blankSource = (format: 'html' | 'markdown') =>
  format === 'html'
    ? `<h1>${greeting()}</h1>
<p>${t('templateEditor.blank.news')}</p>
<p><a href="{{ unsubscribe_url }}">${t('templateEditor.blank.unsubscribe')}</a></p>
`
    : `# ${greeting()}

${t('templateEditor.blank.news')}
`;

/** A new template starts in the visual editor. */
const blankVisual = () => `<h1>${greeting()}</h1>
<p>${t('templateEditor.blank.news')}</p>
`;

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

const LIST_KEY = 'postroom.previewList';

function emptyDraft(): TemplateDraft {
  return { name: '', subject: '', from: '', replyTo: null, format: 'visual', body: blankVisual(), text: null, attachField: null, attachmentsDir: null, doc: null };
}

function toDraft(t: Template): TemplateDraft {
  return {
    name: t.name,
    subject: t.subject,
    from: t.from,
    replyTo: t.replyTo,
    format: t.format,
    body: t.body,
    text: t.text,
    attachField: t.attachField,
    attachmentsDir: t.attachmentsDir ?? null,
    ...(t.format === 'visual' ? { doc: t.doc ?? null } : {}),
  };
}

/** The draft as the core will accept it for checks and previews while name or From are still being typed. */
function forCore(d: TemplateDraft): TemplateDraft {
  return { ...d, name: d.name.trim() || 'Untitled', from: d.from.trim() || 'you@example.com' };
}

function unsubscribeSnippet(format: TemplateDraft['format']): string {
  return format === 'html' ? '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>' : '[Unsubscribe]({{ unsubscribe_url }})';
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

export function TemplateEditor({ id, starter }: { id?: number; starter?: string }) {
  const [draft, setDraft] = useState<TemplateDraft | null>(id === undefined && starter === undefined ? emptyDraft() : null);
  const [saved, setSaved] = useState<TemplateDraft | null>(null);
  const [attachments, setAttachments] = useState<TemplateAttachment[]>([]);
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
  const starters = useQuery('templatesStarters', {}, { enabled: id === undefined && starter !== undefined, live: false });
  useEffect(() => {
    if (!loaded.data) return;
    setDraft(toDraft(loaded.data));
    setSaved(toDraft(loaded.data));
    setAttachments(loaded.data.attachments);
  }, [loaded.data]);
  useEffect(() => {
    if (!starters.data) return;
    const s = starters.data.find((x) => x.key === starter);
    setDraft(s ? { ...emptyDraft(), name: s.name, subject: s.subject, format: s.format, body: s.body, doc: null } : emptyDraft());
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
    { draft: forCore(debounced ?? emptyDraft()), ...(list ? { list: list.name } : { fields: [] }), ...(soleRelay ? { relay: soleRelay } : {}) },
    { enabled: !!debounced, live: false },
  );
  const check = { value: checkQuery.data, error: checkQuery.error };
  // The saved template carries its attachments (inline images); an unsaved one is previewed as a draft.
  const previewSource = debounced && id !== undefined && saved && JSON.stringify(saved) === JSON.stringify(debounced) ? { id } : { draft: forCore(debounced ?? emptyDraft()) };
  const previewQuery = useQuery('templatesPreview', { ...previewSource, ...(list ? { list: list.name, index } : {}) }, { enabled: !!debounced, live: false, keepOnError: true });
  const preview = { value: previewQuery.data, error: previewQuery.error, busy: previewQuery.loading };

  const [spam, setSpam] = useState<{ value?: SpamCheck; error?: AppError; busy: boolean }>({ busy: false });
  const runSpam = async () => {
    if (!draft) return;
    setSpam({ busy: true });
    const r = await call('templatesSpamCheck', { draft: forCore(draft), ...(list ? { list: list.name, index } : {}) });
    setSpam(r.ok ? { value: r.value, busy: false } : { error: r.error, busy: false });
  };

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

  const addAttachment = async (file: File | null) => {
    if (!file || id === undefined) return;
    try {
      const up = await uploadFile(file);
      const r = await call('templatesAddAttachment', { templateId: id, path: up.path, filename: file.name });
      if (!r.ok) return notifyError(r.error);
      setAttachments((a) => [...a, r.value]);
      notifyDone(t('templateEditor.attached', { file: file.name }), t('templateEditor.attachedTitle'));
    } catch (err) {
      notifyError({ code: 'FILE_UNREADABLE', message: (err as Error).message });
    }
  };
  const removeAttachment = async (a: TemplateAttachment) => {
    if (id === undefined) return;
    const r = await call('templatesRemoveAttachment', { templateId: id, attachmentId: a.id });
    if (!r.ok) return notifyError(r.error);
    setAttachments((all) => all.filter((x) => x.id !== a.id));
  };

  const [fallback, setFallback] = useState('');

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

  const set = <K extends keyof TemplateDraft>(k: K, v: TemplateDraft[K]) => setDraft((d) => (d ? { ...d, [k]: v } : d));
  const insertUnsubscribe = () => (draft.format === 'visual' ? visual.current?.insertUnsubscribe() : editor.current?.insert(unsubscribeSnippet(draft.format)));
  const switchFormat = (to: TemplateDraft['format']) => {
    // A blank new template starts over in the new format rather than converting the placeholder text.
    const blank = !touched && id === undefined && starter === undefined;
    setDraft((d) => (d ? { ...d, format: to, body: blank && to !== 'visual' ? blankSource(to) : convertBody(d.format, to, d.body), doc: null } : d));
    if (to === 'visual') setVisualKey((k) => k + 1);
  };
  const c = check.value;
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
  // A visual template's layout adds the footer with the unsubscribe link itself when the body has none.
  const noUnsubscribe = draft.format !== 'visual' && !/unsubscribe/i.test(draft.body);
  const listFields = (list?.fields ?? []).filter((f) => f !== 'email');
  const paletteFields = ['email', 'name', ...listFields.filter((f) => f !== 'name')];

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
      actions={
        <>
          {dirty && (
            <Text size="sm" c="dimmed">
              {t('templateEditor.unsaved')}
            </Text>
          )}
          {id !== undefined && !dirty && <NextStep after="template" templateId={id} />}
          <Button onClick={() => void save()} loading={create.busy || update.busy} disabled={!canSave || (!dirty && id !== undefined)}>
            {id === undefined ? t('templateEditor.save') : t('templateEditor.saveChanges')}
          </Button>
        </>
      }
    >
      {saveError && <CoreError error={saveError} />}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="sm">
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
            <Group justify="space-between" align="flex-end">
              <FormatSwitch format={draft.format} body={draft.body} untouched={!touched && id === undefined && starter === undefined} onSwitch={switchFormat} />
              <Select
                label={t('templateEditor.listPicker')}
                placeholder={lists.data?.length === 0 ? t('templateEditor.noLists') : t('templateEditor.chooseList')}
                data={(lists.data ?? []).map((l) => ({ value: l.name, label: t('templateEditor.listOption', { name: l.name, count: l.recipients }) }))}
                value={list?.name ?? null}
                onChange={(v) => setListName(v)}
                allowDeselect={false}
                w={260}
              />
            </Group>

            <Paper withBorder p="sm" radius="md" component="section" aria-label={t('templateEditor.insertField')}>
              <Group justify="space-between" mb={6} wrap="wrap" gap="xs">
                <Text size="sm" fw={600}>
                  {t('templateEditor.insertField')}
                </Text>
                <TextInput
                  size="xs"
                  label={t('templateEditor.fallback')}
                  placeholder={t('templateEditor.fallbackExample')}
                  value={fallback}
                  onChange={(e) => setFallback(e.currentTarget.value)}
                  w={290}
                  styles={{ root: { display: 'flex', alignItems: 'center', gap: 8 }, label: { whiteSpace: 'nowrap' } }}
                />
              </Group>
              <Group gap={6}>
                {paletteFields.map((f) => (
                  <Button
                    key={f}
                    size="compact-sm"
                    variant="light"
                    radius="xl"
                    aria-label={t('templateEditor.insertFieldNamed', { field: f })}
                    onClick={() => (draft.format === 'visual' ? visual.current?.insertField(f, fallback || undefined) : editor.current?.insert(fieldTag(f, fallback || undefined)))}
                  >
                    {`{{ ${f} }}`}
                  </Button>
                ))}
                <Button size="compact-sm" variant="default" radius="xl" onClick={() => insertUnsubscribe()}>
                  {t('templateEditor.unsubscribeLink')}
                </Button>
              </Group>
              {!list && (
                <Text size="xs" c="dimmed" mt={6}>
                  {rich('templateEditor.chooseListHint', {
                    a: (chunks) => (
                      <Anchor underline="always" href={href('recipients', 'import')} size="xs">
                        {chunks}
                      </Anchor>
                    ),
                  })}
                </Text>
              )}
            </Paper>

            {draft.format === 'visual' ? (
              <VisualEditor key={visualKey} ref={visual} body={draft.body} doc={draft.doc} onChange={(v, initial) => {
                  if (!initial) setTouched(true);
                  setDraft((d) => (d ? { ...d, body: v.body, doc: v.doc } : d));
                }}
              />
            ) : (
              <CodeEditor
                ref={editor}
                value={draft.body}
                onChange={(v) => {
                  setTouched(true);
                  set('body', v);
                }}
                language={draft.format}
                label={draft.format === 'html' ? t('templateEditor.contentHtml') : t('templateEditor.contentMarkdown')}
                problems={problems}
              />
            )}

            <section aria-label={t('templateEditor.problems')}>
              <Stack gap="xs">
                {check.error && <CoreError error={check.error} title={t('templateEditor.checkFailed')} />}
                {c && (c.errors.length > 0 || c.missing.length > 0) && (
                  <Notice color="red" title={t('templateEditor.fixThese')} role="alert">
                    <List size="sm" spacing={4}>
                      {c.errors.map((e, i) => (
                        <List.Item key={`e${i}`}>
                          {t('templateEditor.at', { part: partName(e.part), line: e.line, column: e.column })} {e.message}{' '}
                          {e.part === 'body' && draft.format !== 'visual' && (
                            <Button size="compact-xs" variant="default" onClick={() => editor.current?.reveal(e.line, e.column)}>
                              {t('templateEditor.show')}
                            </Button>
                          )}
                        </List.Item>
                      ))}
                      {c.missing.map((m, i) => (
                        <List.Item key={`m${i}`}>
                          {t('templateEditor.at', { part: partName(m.part), line: m.line, column: m.column })}{' '}
                          {list
                            ? rich('templateEditor.missingOnList', { list: list.name, field: m.field, b: (chunks) => <b>{chunks}</b> })
                            : rich('templateEditor.missingNoList', { field: m.field, b: (chunks) => <b>{chunks}</b> })}{' '}
                          {m.part === 'body' && draft.format !== 'visual' && (
                            <Button size="compact-xs" variant="default" onClick={() => editor.current?.reveal(m.line, m.column)}>
                              {t('templateEditor.show')}
                            </Button>
                          )}
                        </List.Item>
                      ))}
                    </List>
                  </Notice>
                )}
                {noUnsubscribe && (
                  <Notice color="yellow" title={t('templateEditor.noUnsubscribe')}>
                    <Text size="sm">{t('templateEditor.noUnsubscribeBody')}</Text>
                    <Button size="xs" mt="xs" variant="default" onClick={() => insertUnsubscribe()}>
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

            {list && (
              <FallbacksPanel
                fields={uses}
                emptyByField={audience?.emptyByField}
                listName={list.name}
                listFields={listFields}
              />
            )}

            <Paper withBorder p="sm" radius="md" component="section" aria-label={t('templateEditor.attachments')}>
              <Group justify="space-between" mb={4}>
                <Title order={2} size="h5">
                  {t('templateEditor.attachments')}
                </Title>
                {id !== undefined && (
                  <FileButton onChange={(f) => void addAttachment(f)}>
                    {(props) => (
                      <Button {...props} size="xs" variant="default">
                        {t('templateEditor.attach')}
                      </Button>
                    )}
                  </FileButton>
                )}
              </Group>
              {id === undefined ? (
                <Text size="sm" c="dimmed">
                  {t('templateEditor.saveFirst')}
                </Text>
              ) : attachments.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('templateEditor.noFiles')}
                </Text>
              ) : (
                <Stack gap={4}>
                  {attachments.map((a) => (
                    <Group key={a.id} justify="space-between" wrap="nowrap">
                      <Text size="sm">
                        {a.filename}{' '}
                        <Text span c="dimmed" size="sm">
                          {formatBytes(a.size)}
                          {a.cid ? t('templateEditor.inline') : ''}
                        </Text>
                      </Text>
                      <Tooltip label={t('templateEditor.remove', { file: a.filename })}>
                        <ActionIcon variant="subtle" color="red" aria-label={t('templateEditor.remove', { file: a.filename })} onClick={() => void removeAttachment(a)}>
                          ×
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  ))}
                </Stack>
              )}
              {listFields.length > 0 && (
                <Select
                  mt="xs"
                  size="xs"
                  label={t('templateEditor.perPerson')}
                  description={t('templateEditor.perPersonHint')}
                  placeholder={t('templateEditor.none')}
                  clearable
                  data={listFields}
                  value={draft.attachField}
                  onChange={(v) => set('attachField', v)}
                />
              )}
              {draft.attachField && <AttachmentsFolderField value={draft.attachmentsDir ?? null} onChange={(v) => set('attachmentsDir', v)} />}
            </Paper>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="sm">
            <Group justify="space-between">
              <Title order={2} size="h4">
                {t('templateEditor.preview')}
              </Title>
              <SendTestButton
                message={
                  draft && draft.from.trim()
                    ? { ...(id !== undefined && saved && JSON.stringify(saved) === JSON.stringify(draft) ? { id } : { draft: forCore(draft) }), ...(list ? { list: list.name, index } : {}) }
                    : undefined
                }
                recipient={preview.value?.recipient.email}
              />
            </Group>
            {preview.error && <CoreError error={preview.error} title={t('templateEditor.previewFailed')} />}
            <MessagePreview
              preview={preview.value}
              busy={preview.busy}
              stepper={<RecipientStepper index={index} total={preview.value?.total ?? 0} onChange={setIndex} email={preview.value?.recipient.email} />}
            />
            <Paper withBorder p="sm" radius="md" component="section" aria-label={t('templateEditor.spam')}>
              <Group justify="space-between">
                <Text size="sm" fw={600}>
                  {t('templateEditor.spam')}
                </Text>
                <Button size="xs" variant="default" onClick={() => void runSpam()} loading={spam.busy}>
                  {t('templateEditor.spamRun')}
                </Button>
              </Group>
              {spam.error && <CoreError error={spam.error} title={t('templateEditor.spamFailed')} />}
              {spam.value && <SpamResult s={spam.value} />}
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Page>
  );
}

function SpamResult({ s }: { s: SpamCheck }) {
  if (!s.available) {
    return (
      <Text size="sm" mt="xs">
        {t('templateEditor.spamMissing')} {s.message}
      </Text>
    );
  }
  const high = s.score !== null && s.threshold !== null && s.score >= s.threshold;
  return (
    <Stack gap={4} mt="xs">
      <Text size="sm" role="status">
        {rich('templateEditor.spamScore', { score: s.score ?? 0, threshold: s.threshold ?? 0, high: high ? 'yes' : 'no', b: (chunks) => <b>{chunks}</b> })}
      </Text>
      <Text size="sm" c="dimmed">
        {s.message}
      </Text>
      {s.rules.length > 0 && (
        <List size="xs" spacing={2}>
          {s.rules
            .filter((r) => r.score !== 0)
            .sort((a, b) => b.score - a.score)
            .map((r) => (
              <List.Item key={r.name}>
                <b>{r.score > 0 ? `+${r.score.toFixed(1)}` : r.score.toFixed(1)}</b> {r.description} <Text span c="dimmed" size="xs">({r.name})</Text>
              </List.Item>
            ))}
        </List>
      )}
    </Stack>
  );
}
