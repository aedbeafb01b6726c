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
  SegmentedControl,
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
import { SendTestButton } from '../../components/SendTestButton';
import { fieldTag } from '../../../../shared/merge-fields';
import type { SpamCheck, Template, TemplateAttachment, TemplateCheck, TemplateDraft, TemplatePart, TemplatePreview } from '../../../../shared/contract/templates';
import type { AppError } from '../../../../shared/result';
import { fieldUses } from './fields';
import { useAudience } from '../campaigns/audience';

const BLANK_HTML = `<h1>Hello {{ first_name | default: "there" }},</h1>
<p>Write your news here.</p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>
`;

const PART_NAMES: Record<TemplatePart, string> = {
  subject: 'Subject',
  from: 'From',
  replyTo: 'Reply-To',
  body: 'Content',
  text: 'Plain-text part',
  attachField: 'Per-person attachment field',
  unsubscribe: 'Unsubscribe link',
};

const LIST_KEY = 'postroom.previewList';

function emptyDraft(): TemplateDraft {
  return { name: '', subject: '', from: '', replyTo: null, format: 'html', body: BLANK_HTML, text: null, attachField: null };
}

function toDraft(t: Template): TemplateDraft {
  return { name: t.name, subject: t.subject, from: t.from, replyTo: t.replyTo, format: t.format, body: t.body, text: t.text, attachField: t.attachField };
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
  const [loadError, setLoadError] = useState<AppError | undefined>();
  const editor = useRef<CodeEditorHandle>(null);

  // Load the template (or the starter) once.
  useEffect(() => {
    let stop = false;
    if (id !== undefined) {
      void call('templatesGet', { id }).then((r) => {
        if (stop) return;
        if (!r.ok) return setLoadError(r.error);
        setDraft(toDraft(r.value));
        setSaved(toDraft(r.value));
        setAttachments(r.value.attachments);
      });
    } else if (starter !== undefined) {
      void call('templatesStarters', {}).then((r) => {
        if (stop) return;
        if (!r.ok) return setLoadError(r.error);
        const s = r.value.find((x) => x.key === starter);
        setDraft(s ? { ...emptyDraft(), name: s.name, subject: s.subject, format: s.format, body: s.body } : emptyDraft());
      });
    }
    return () => {
      stop = true;
    };
  }, [id, starter]);

  const lists = useQuery('listsList', {}, { refreshOn: ['lists:changed'] });
  const [listName, setListName] = useState<string | null>(() => localStorage.getItem(LIST_KEY));
  const list = lists.data?.find((l) => l.name === listName) ?? (lists.data && lists.data.length > 0 && listName === null ? lists.data[0] : undefined);
  useEffect(() => {
    if (list) localStorage.setItem(LIST_KEY, list.name);
  }, [list]);

  const [index, setIndex] = useState(0);
  useEffect(() => setIndex(0), [list?.name]);

  const [debounced] = useDebouncedValue(draft, 400);
  const [check, setCheck] = useState<{ value?: TemplateCheck; error?: AppError }>({});
  const [preview, setPreview] = useState<{ value?: TemplatePreview; error?: AppError; busy: boolean }>({ busy: false });

  useEffect(() => {
    if (!debounced) return;
    let stop = false;
    void call('templatesCheck', { draft: forCore(debounced), ...(list ? { list: list.name } : { fields: [] }) }).then((r) => {
      if (!stop) setCheck(r.ok ? { value: r.value } : { error: r.error });
    });
    return () => {
      stop = true;
    };
  }, [debounced, list]);

  useEffect(() => {
    if (!debounced) return;
    let stop = false;
    setPreview((p) => ({ ...p, busy: true }));
    // The saved template carries its attachments (inline images); an unsaved one is previewed as a draft.
    const source = id !== undefined && saved && JSON.stringify(saved) === JSON.stringify(debounced) ? { id } : { draft: forCore(debounced) };
    void call('templatesPreview', { ...source, ...(list ? { list: list.name, index } : {}) }).then((r) => {
      if (stop) return;
      setPreview((p) => (r.ok ? { value: r.value, busy: false } : { value: p.value, error: r.error, busy: false }));
    });
    return () => {
      stop = true;
    };
  }, [debounced, list, index, id, saved]);

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
        notifyDone(`"${r.value.name}" is saved.`, 'Template saved');
        navigate(href('templates', r.value.id));
      }
    } else {
      const r = await update.run({ id, template: draft });
      if (r.ok) {
        setSaved(toDraft(r.value));
        setAttachments(r.value.attachments);
        notifyDone(`"${r.value.name}" is saved.`, 'Template saved');
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
      notifyDone(`${file.name} will be sent with every message.`, 'File attached');
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
      <Page title="Template">
        <CoreError error={loadError} />
        <Anchor underline="always" href={href('templates')}>Back to templates</Anchor>
      </Page>
    );
  }
  if (!draft) {
    return (
      <Page title="Template">
        <Loader size="sm" aria-label="Loading the template" />
      </Page>
    );
  }

  const set = <K extends keyof TemplateDraft>(k: K, v: TemplateDraft[K]) => setDraft((d) => (d ? { ...d, [k]: v } : d));
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
            message: list ? `The list "${list.name}" has no field "${m.field}".` : `No list is chosen, so "${m.field}" can't be checked.`,
          })),
      ]
    : [];
  const noUnsubscribe = !/unsubscribe/i.test(draft.body);
  const listFields = (list?.fields ?? []).filter((f) => f !== 'email');
  const paletteFields = ['email', 'name', ...listFields.filter((f) => f !== 'name')];

  return (
    <Page
      title={id === undefined ? 'New template' : draft.name || 'Template'}
      description={
        <>
          Write the message once; fields in {'{{ double braces }}'} are filled in for each person. <Anchor underline="always" href={href('templates')}>All templates</Anchor>
        </>
      }
      actions={
        <>
          {dirty && (
            <Text size="sm" c="dimmed">
              Unsaved changes
            </Text>
          )}
          <Button onClick={() => void save()} loading={create.busy || update.busy} disabled={!canSave || (!dirty && id !== undefined)}>
            {id === undefined ? 'Save template' : 'Save changes'}
          </Button>
        </>
      }
    >
      {saveError && <CoreError error={saveError} />}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="sm">
            <TextInput label="Template name" description="For you; recipients never see it." value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} required />
            <TextInput
              label="Subject"
              value={draft.subject}
              onChange={(e) => set('subject', e.currentTarget.value)}
              error={c?.missing.find((m) => m.part === 'subject') ? `The list has no field "${c.missing.find((m) => m.part === 'subject')!.field}"` : undefined}
            />
            <Group grow align="flex-start">
              <TextInput
                label="From"
                description='Your name and address: "Shop <shop@example.com>"'
                value={draft.from}
                onChange={(e) => set('from', e.currentTarget.value)}
                required
                error={draft.from.trim() && c?.errors.find((e) => e.part === 'from')?.message}
              />
              <TextInput
                label="Reply-To (optional)"
                description="Where replies go, if not the From address."
                value={draft.replyTo ?? ''}
                onChange={(e) => set('replyTo', e.currentTarget.value.trim() ? e.currentTarget.value : null)}
              />
            </Group>
            <Group justify="space-between" align="flex-end">
              <div>
                <Text size="sm" fw={500} id="format-label">
                  Written in
                </Text>
                <SegmentedControl
                  aria-labelledby="format-label"
                  value={draft.format}
                  onChange={(v) => set('format', v as TemplateDraft['format'])}
                  data={[
                    { value: 'html', label: 'HTML' },
                    { value: 'markdown', label: 'Markdown' },
                  ]}
                />
              </div>
              <Select
                label="Fields and preview from the list"
                placeholder={lists.data?.length === 0 ? 'No lists yet' : 'Choose a list'}
                data={(lists.data ?? []).map((l) => ({ value: l.name, label: `${l.name} (${l.recipients.toLocaleString()})` }))}
                value={list?.name ?? null}
                onChange={(v) => setListName(v)}
                allowDeselect={false}
                w={260}
              />
            </Group>

            <Paper withBorder p="sm" radius="md" component="section" aria-label="Insert a field">
              <Group justify="space-between" mb={6} wrap="wrap" gap="xs">
                <Text size="sm" fw={600}>
                  Insert a field
                </Text>
                <TextInput
                  size="xs"
                  label="Fallback when empty"
                  placeholder='e.g. there'
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
                    aria-label={`Insert field ${f}`}
                    onClick={() => editor.current?.insert(fieldTag(f, fallback || undefined))}
                  >
                    {`{{ ${f} }}`}
                  </Button>
                ))}
                <Button size="compact-sm" variant="default" radius="xl" onClick={() => editor.current?.insert(unsubscribeSnippet(draft.format))}>
                  Unsubscribe link
                </Button>
              </Group>
              {!list && (
                <Text size="xs" c="dimmed" mt={6}>
                  Choose a list to see its fields. <Anchor underline="always" href={href('recipients', 'import')} size="xs">Import a spreadsheet</Anchor> if you have none.
                </Text>
              )}
            </Paper>

            <CodeEditor
              ref={editor}
              value={draft.body}
              onChange={(v) => set('body', v)}
              language={draft.format}
              label={draft.format === 'html' ? 'Content (HTML)' : 'Content (Markdown)'}
              problems={problems}
            />

            <section aria-label="Problems and warnings">
              <Stack gap="xs">
                {check.error && <CoreError error={check.error} title="The template couldn't be checked" />}
                {c && (c.errors.length > 0 || c.missing.length > 0) && (
                  <Notice color="red" title="Fix these before sending" role="alert">
                    <List size="sm" spacing={4}>
                      {c.errors.map((e, i) => (
                        <List.Item key={`e${i}`}>
                          {PART_NAMES[e.part]}, line {e.line}, column {e.column}: {e.message}{' '}
                          {e.part === 'body' && (
                            <Button size="compact-xs" variant="default" onClick={() => editor.current?.reveal(e.line, e.column)}>
                              Show
                            </Button>
                          )}
                        </List.Item>
                      ))}
                      {c.missing.map((m, i) => (
                        <List.Item key={`m${i}`}>
                          {PART_NAMES[m.part]}, line {m.line}, column {m.column}: {list ? <>the list “{list.name}” has no field <b>{m.field}</b>.</> : <>field <b>{m.field}</b> (choose a list to check it).</>}{' '}
                          {m.part === 'body' && (
                            <Button size="compact-xs" variant="default" onClick={() => editor.current?.reveal(m.line, m.column)}>
                              Show
                            </Button>
                          )}
                        </List.Item>
                      ))}
                    </List>
                  </Notice>
                )}
                {noUnsubscribe && (
                  <Notice color="yellow" title="No unsubscribe link">
                    <Text size="sm">
                      People who can't leave a list mark it as spam, and Gmail and Yahoo expect an unsubscribe link from bulk senders.
                    </Text>
                    <Button size="xs" mt="xs" variant="default" onClick={() => editor.current?.insert(unsubscribeSnippet(draft.format))}>
                      Insert an unsubscribe link
                    </Button>
                  </Notice>
                )}
                {c && c.warnings.length > 0 && (
                  <Notice color="yellow" title="Worth a look">
                    <List size="sm" spacing={4}>
                      {c.warnings.map((w, i) => (
                        <List.Item key={i}>{w}</List.Item>
                      ))}
                    </List>
                  </Notice>
                )}
                {c && c.ok && !noUnsubscribe && c.warnings.length === 0 && (
                  <Text size="sm" c="green.8" role="status">
                    {list ? `Every field is on the list "${list.name}".` : 'No problems found.'}
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

            <Paper withBorder p="sm" radius="md" component="section" aria-label="Attachments">
              <Group justify="space-between" mb={4}>
                <Title order={2} size="h5">
                  Attachments
                </Title>
                {id !== undefined && (
                  <FileButton onChange={(f) => void addAttachment(f)}>
                    {(props) => (
                      <Button {...props} size="xs" variant="default">
                        Attach a file
                      </Button>
                    )}
                  </FileButton>
                )}
              </Group>
              {id === undefined ? (
                <Text size="sm" c="dimmed">
                  Save the template first, then attach files sent with every message.
                </Text>
              ) : attachments.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No files. A file attached here goes with every message; keep it small (relays refuse messages over about 20 MB).
                </Text>
              ) : (
                <Stack gap={4}>
                  {attachments.map((a) => (
                    <Group key={a.id} justify="space-between" wrap="nowrap">
                      <Text size="sm">
                        {a.filename}{' '}
                        <Text span c="dimmed" size="sm">
                          {formatBytes(a.size)}
                          {a.cid ? ' · shown inline' : ''}
                        </Text>
                      </Text>
                      <Tooltip label={`Remove ${a.filename}`}>
                        <ActionIcon variant="subtle" color="red" aria-label={`Remove ${a.filename}`} onClick={() => void removeAttachment(a)}>
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
                  label="A different file for each person (optional)"
                  description="A list field that holds the path of that person's file, e.g. their invoice."
                  placeholder="None"
                  clearable
                  data={listFields}
                  value={draft.attachField}
                  onChange={(v) => set('attachField', v)}
                />
              )}
            </Paper>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="sm">
            <Group justify="space-between">
              <Title order={2} size="h4">
                Preview
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
            {preview.error && <CoreError error={preview.error} title="The preview couldn't be made" />}
            <MessagePreview
              preview={preview.value}
              busy={preview.busy}
              stepper={<RecipientStepper index={index} total={preview.value?.total ?? 0} onChange={setIndex} email={preview.value?.recipient.email} />}
            />
            <Paper withBorder p="sm" radius="md" component="section" aria-label="Spam check">
              <Group justify="space-between">
                <Text size="sm" fw={600}>
                  Spam check
                </Text>
                <Button size="xs" variant="default" onClick={() => void runSpam()} loading={spam.busy}>
                  Check with SpamAssassin
                </Button>
              </Group>
              {spam.error && <CoreError error={spam.error} title="The spam check couldn't run" />}
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
        SpamAssassin isn't installed, so the message couldn't be scored. {s.message}
      </Text>
    );
  }
  const high = s.score !== null && s.threshold !== null && s.score >= s.threshold;
  return (
    <Stack gap={4} mt="xs">
      <Text size="sm" role="status">
        Score <b>{s.score?.toFixed(1)}</b> (filters treat {s.threshold?.toFixed(1)} or more as spam):{' '}
        {high ? 'likely to land in spam. See the rules below.' : 'fine.'}
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
