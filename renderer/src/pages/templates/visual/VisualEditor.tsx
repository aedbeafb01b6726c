/**
 * The visual editor (TipTap on ProseMirror): a document of email-safe blocks — headings, paragraphs, lists,
 * links, images, buttons, dividers and the footer — with merge fields as chips, the brand colour and logo set
 * once, undo and redo, and paste from Word or Google Docs cleaned to safe HTML. What it stores is an HTML fragment
 * that the core lays out like Markdown (same layout, CSS inlining and text part), plus its own JSON to reopen.
 *
 * A picture from the computer goes into the template as an inline image (the core checks it and names its content
 * ID): the HTML shows it as `<img src="cid:…">` and each message carries it once, in multipart/related.
 */
import { Button, ColorInput, Divider, FileButton, Group, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { uploadFile } from '../../../api';
import { call } from '../../../api/hooks';
import { coreMessage } from '../../../i18n/core-messages';
import { MAX_INLINE_IMAGE_BYTES, type TemplateAttachment } from '../../../../../shared/contract/templates';
import { CidImage, CidImages } from './cid-images';
import { EmailButton, EmailFooter, MergeField, safeColour } from './nodes';
import { bodyFromEditor, editorHtmlFromBody, parseDoc, rememberBrand, type Brand, type VisualDoc } from './document';
import { cleanPastedHtml } from './paste';
import './visual.css';
import { t } from '../../../i18n';
import { formatSize } from '../../../i18n/format';
import type { Language } from '../../../../../shared/contract/app';
import { footerSentence, unsubscribeWords } from '../editor/draft';

export interface VisualEditorHandle {
  insertField(field: string, fallback?: string): void;
  insertUnsubscribe(): void;
}

interface Props {
  /** The stored body (used when there is no editor document yet, e.g. a starter). */
  body: string;
  /** The stored editor document (JSON), or null. */
  doc: string | null | undefined;
  /** `initial`: the editor's own first rendering of a body it was opened with, not a change by the person. */
  onChange(next: { body: string; doc: string }, initial?: boolean): void;
  /** The saved template's id: pictures from the computer are kept with it (so none before the first save). */
  templateId?: number;
  /** A picture from the computer is now one of the template's files (the page's list of attachments shows it). */
  onAttachmentAdded?(attachment: TemplateAttachment): void;
  /** The language the message is written in: a footer added is worded in it, and its unsubscribe link follows it. */
  language: Language;
}

/** A picture chosen in the image dialog, uploaded, not yet in the template. */
interface Picked {
  name: string;
  size: number;
  /** An object URL of the file, to show it. */
  url: string;
  /** Where `./upload` put it, for `templates:addImage`. */
  upload: string;
  /** Its width in pixels, once the browser has shown it. */
  width?: number;
}

/**
 * The width of the message's content column (the layout's 600 pixels less its padding). A wider picture is given
 * this width: Outlook for Windows ignores CSS max-width and would show it at full size, breaking the layout.
 */
const CONTENT_WIDTH = 520;

/** Megabytes to one decimal, rounded up (so a file over the limit never reads as the limit). */
const megabytes = (bytes: number) => Math.ceil(bytes / 104857.6) / 10;

function output(editor: Editor, brand: Brand) {
  const doc: VisualDoc = { version: 1, brand, content: editor.getJSON() };
  return { body: bodyFromEditor(editor.getHTML(), brand), doc: JSON.stringify(doc) };
}

type Ask = { kind: 'link' | 'image' | 'button' } | null;

export const VisualEditor = forwardRef<VisualEditorHandle, Props>(function VisualEditor({ body, doc, onChange, templateId, onAttachmentAdded, language }, ref) {
  const [brand, setBrand] = useState<Brand>(() => {
    const b = parseDoc(doc).brand;
    // Opened from a body alone (a starter): its buttons' colour is the brand it was written with.
    const written = doc ? null : /data-color="(#[0-9a-f]{6})"/i.exec(body);
    return written ? { ...b, color: written[1]! } : b;
  });
  // What the colour field shows while a colour is being typed; the brand changes only with a whole #rrggbb.
  const [colourText, setColourText] = useState(brand.color);
  const brandRef = useRef(brand);
  brandRef.current = brand;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const templateIdRef = useRef(templateId);
  templateIdRef.current = templateId;
  // cid: pictures shown from the file just chosen, or read once from the core.
  const [images] = useState(
    () =>
      new CidImages(async (cid) => {
        const id = templateIdRef.current;
        if (id === undefined) return null;
        const r = await call('templatesImage', { templateId: id, cid });
        return r.ok ? `data:${r.value.contentType};base64,${r.value.contentBase64}` : null;
      }),
  );
  useEffect(() => () => images.dispose(), [images]);

  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        code: false,
        codeBlock: false,
        strike: false,
        underline: false,
        heading: { levels: [1, 2, 3] },
        link: { openOnClick: false, autolink: true, protocols: ['mailto'], HTMLAttributes: { target: null, rel: null } },
      }),
      CidImage.configure({ inline: false, allowBase64: true, images }),
      MergeField,
      EmailButton,
      EmailFooter,
    ],
    content: parseDoc(doc).content ?? editorHtmlFromBody(body),
    editorProps: {
      attributes: { 'aria-label': t('visual.content'), 'aria-multiline': 'true', role: 'textbox', class: 'visual-content' },
      transformPastedHTML: cleanPastedHtml,
    },
    onUpdate: ({ editor: e }) => onChangeRef.current(output(e, brandRef.current)),
  });

  // A template that had no editor document yet (a starter) gets one at once, so saving keeps what is shown. Only from
  // an editor still in place: TipTap may replace the one it made first before this runs (it then destroys it, and a
  // destroyed editor has no schema to write HTML with: the screen failed to draw), and runs this again for the new one.
  useEffect(() => {
    if (editor && !editor.isDestroyed && !doc) onChangeRef.current(output(editor, brandRef.current), true);
    // Only when the editor is created (`doc` is then the document it was opened with).
  }, [editor]);

  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e?.isActive('bold') ?? false,
      italic: e?.isActive('italic') ?? false,
      h1: e?.isActive('heading', { level: 1 }) ?? false,
      h2: e?.isActive('heading', { level: 2 }) ?? false,
      bullet: e?.isActive('bulletList') ?? false,
      ordered: e?.isActive('orderedList') ?? false,
      link: e?.isActive('link') ?? false,
      canUndo: e?.can().undo() ?? false,
      canRedo: e?.can().redo() ?? false,
    }),
  });

  const applyBrand = (next: Brand) => {
    setBrand(next);
    brandRef.current = next;
    rememberBrand(next);
    if (!editor) return;
    // Every button takes the new colour, in one step that undo takes back.
    const { tr } = editor.state;
    editor.state.doc.descendants((node, pos) => {
      if (node.type.name === 'emailButton') tr.setNodeMarkup(pos, undefined, { ...node.attrs, color: safeColour(next.color) });
    });
    if (tr.docChanged) editor.view.dispatch(tr);
    else onChangeRef.current(output(editor, next));
  };

  // The footer's sentence (the person can edit it) and its link, in the message's language when the block is added.
  const insertFooter = (e: Editor) => e.chain().focus('end').insertFooter(footerSentence(language), unsubscribeWords(language)).run();

  // A change of the message's language re-words the footers' unsubscribe links (not the person's to edit), in one
  // step that undo takes back.
  const wordedIn = useRef(language);
  useEffect(() => {
    if (!editor || wordedIn.current === language) return;
    wordedIn.current = language;
    const link = unsubscribeWords(language);
    const { tr } = editor.state;
    editor.state.doc.descendants((node, pos) => {
      if (node.type.name === 'emailFooter' && node.attrs.link !== link) tr.setNodeMarkup(pos, undefined, { ...node.attrs, link });
    });
    if (tr.docChanged) editor.view.dispatch(tr);
  }, [editor, language]);

  useImperativeHandle(ref, () => ({
    insertField(field, fallback) {
      editor?.chain().focus().insertMergeField(field, fallback).run();
    },
    insertUnsubscribe() {
      if (editor) insertFooter(editor);
    },
  }));

  const [ask, setAsk] = useState<Ask>(null);
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const [picked, setPicked] = useState<Picked | null>(null);
  const [pickBusy, setPickBusy] = useState(false);
  const [pickError, setPickError] = useState<string | null>(null);
  const dropPicked = () =>
    setPicked((p) => {
      if (p) URL.revokeObjectURL(p.url);
      return null;
    });
  const openAsk = (kind: 'link' | 'image' | 'button') => {
    setUrl(kind === 'link' ? ((editor?.getAttributes('link').href as string | undefined) ?? 'https://') : 'https://');
    setLabel(kind === 'button' ? t('visual.readMore') : '');
    dropPicked();
    setPickError(null);
    setAsk({ kind });
  };
  const closeAsk = () => {
    dropPicked();
    setAsk(null);
  };
  /** A picture chosen on the computer: handed to Postroom at once (the core checks it when it is added). */
  const chooseImage = async (file: File | null) => {
    if (!file) return;
    setPickError(null);
    if (file.size > MAX_INLINE_IMAGE_BYTES) {
      // The core refuses it too; said before a long upload, in the core's own words.
      setPickError(t('core.INVALID_INPUT.imageTooBig', { file: file.name, size: megabytes(file.size), limit: megabytes(MAX_INLINE_IMAGE_BYTES) }));
      return;
    }
    setPickBusy(true);
    try {
      const up = await uploadFile(file);
      dropPicked();
      setPicked({ name: file.name, size: file.size, url: URL.createObjectURL(file), upload: up.path });
    } catch (err) {
      setPickError((err as Error).message);
    } finally {
      setPickBusy(false);
    }
  };
  const confirmAsk = async () => {
    if (!editor || !ask) return;
    const href = url.trim();
    if (ask.kind === 'image' && picked) {
      if (templateId === undefined) return;
      setPickBusy(true);
      const r = await call('templatesAddImage', { templateId, upload: picked.upload });
      setPickBusy(false);
      if (!r.ok) {
        // The upload is used up either way: the person chooses again.
        dropPicked();
        setPickError(coreMessage(r.error));
        return;
      }
      const cid = r.value.cid!;
      // The object URL now shows the picture in the editor (and is revoked with it).
      images.set(cid, picked.url, true);
      setPicked(null);
      const wide = picked.width !== undefined && picked.width > CONTENT_WIDTH;
      editor
        .chain()
        .focus()
        .setImage({ src: `cid:${cid}`, alt: label.trim(), ...(wide ? { width: CONTENT_WIDTH } : {}) })
        .run();
      onAttachmentAdded?.(r.value);
      setAsk(null);
      return;
    }
    const chain = editor.chain().focus();
    if (ask.kind === 'link') {
      if (href) chain.extendMarkRange('link').setLink({ href }).run();
      else chain.extendMarkRange('link').unsetLink().run();
    } else if (ask.kind === 'image') {
      if (href) chain.setImage({ src: href, alt: label.trim() }).run();
    } else {
      chain.insertButton(href, label.trim() || t('visual.readMore'), brand.color).run();
    }
    setAsk(null);
  };
  const urlOk = ask?.kind === 'link' ? url.trim() === '' || /^(https?:|mailto:|\{\{)/i.test(url.trim()) : /^(https?:\/\/\S+|\{\{)/i.test(url.trim());
  const canAdd = ask?.kind === 'image' && picked ? !pickBusy : urlOk;

  const tool = (text: string, onClick: () => void, pressed?: boolean, disabled?: boolean) => (
    <Button
      size="compact-sm"
      variant={pressed ? 'light' : 'subtle'}
      color={pressed ? undefined : 'gray'}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
      disabled={disabled}
      {...(pressed !== undefined ? { 'aria-pressed': pressed } : {})}
    >
      {text}
    </Button>
  );
  const run = (f: (e: Editor) => void) => () => editor && f(editor);

  return (
    <Stack gap="xs">
      <Paper withBorder p="xs" radius="md" component="section" aria-label={t('visual.brand')}>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <ColorInput
            size="xs"
            label={t('visual.brandColour')}
            description={t('visual.brandColourHint')}
            value={colourText}
            onChange={(v) => {
              setColourText(v);
              if (/^#[0-9a-f]{6}$/i.test(v)) applyBrand({ ...brand, color: v });
            }}
            // Our own fix on blur: Mantine's puts back the value it last saw as valid, which lags one render
            // behind a colour typed or pasted just before Tab, and so undid it.
            fixOnBlur={false}
            onBlur={() => setColourText(brandRef.current.color)}
            format="hex"
            withEyeDropper={false}
            w={150}
          />
          <TextInput
            size="xs"
            label={t('visual.logo')}
            description={t('visual.logoHint')}
            placeholder="https://example.com/logo.png"
            value={brand.logoUrl}
            onChange={(e) => applyBrand({ ...brand, logoUrl: e.currentTarget.value })}
            error={brand.logoUrl.trim() && !/^https?:\/\/\S+$/i.test(brand.logoUrl.trim()) ? t('visual.needsHttps') : undefined}
            style={{ flex: 1, minWidth: 220 }}
          />
        </Group>
      </Paper>
      <Paper withBorder radius="md" className="visual-editor">
        <Group gap={2} p={4} role="toolbar" aria-label={t('visual.formatting')} className="visual-toolbar" wrap="wrap">
          {tool(t('visual.undo'), run((e) => e.chain().focus().undo().run()), undefined, !state?.canUndo)}
          {tool(t('visual.redo'), run((e) => e.chain().focus().redo().run()), undefined, !state?.canRedo)}
          {tool(t('visual.heading'), run((e) => e.chain().focus().toggleHeading({ level: 1 }).run()), state?.h1)}
          {tool(t('visual.subheading'), run((e) => e.chain().focus().toggleHeading({ level: 2 }).run()), state?.h2)}
          {tool(t('visual.bold'), run((e) => e.chain().focus().toggleBold().run()), state?.bold)}
          {tool(t('visual.italic'), run((e) => e.chain().focus().toggleItalic().run()), state?.italic)}
          {tool(t('visual.bullets'), run((e) => e.chain().focus().toggleBulletList().run()), state?.bullet)}
          {tool(t('visual.numbers'), run((e) => e.chain().focus().toggleOrderedList().run()), state?.ordered)}
          {tool(t('visual.link'), () => openAsk('link'), state?.link)}
          {tool(t('visual.image'), () => openAsk('image'))}
          {tool(t('visual.button'), () => openAsk('button'))}
          {tool(t('visual.divider'), run((e) => e.chain().focus().setHorizontalRule().run()))}
          {tool(t('visual.footerTool'), run((e) => insertFooter(e)))}
        </Group>
        <div className="visual-canvas">
          {brand.logoUrl.trim() && /^https?:\/\/\S+$/i.test(brand.logoUrl.trim()) && (
            <p className="visual-logo">
              <img src={brand.logoUrl.trim()} alt={brand.logoAlt || 'Logo'} width={160} />
            </p>
          )}
          <EditorContent editor={editor} style={{ ['--brand' as string]: brand.color }} />
        </div>
      </Paper>
      <Text size="xs" c="dimmed">
        {t('visual.pasteHint')}
      </Text>
      <Modal
        opened={ask !== null}
        onClose={closeAsk}
        title={ask?.kind === 'image' ? t('visual.addImage') : ask?.kind === 'button' ? t('visual.addButton') : t('visual.link')}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (canAdd) void confirmAsk();
          }}
        >
          <Stack gap="sm">
            {ask?.kind === 'button' && <TextInput label={t('visual.buttonText')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} data-autofocus />}
            {ask?.kind === 'image' && (
              <Stack gap={6} role="group" aria-labelledby="visual-from-computer">
                <Text id="visual-from-computer" size="sm" fw={500}>
                  {t('visual.fromComputer')}
                </Text>
                {picked && (
                  <Paper withBorder p="xs" radius="sm" className="visual-picked">
                    {/* Decorative here: the file's name is said beside it. */}
                    <img src={picked.url} alt="" onLoad={(e) => {
                        const { naturalWidth, src } = e.currentTarget;
                        setPicked((p) => (p && p.url === src ? { ...p, width: naturalWidth } : p));
                      }} />
                    <Text size="xs" c="dimmed" mt={4}>
                      {picked.name} · {formatSize(picked.size)}
                    </Text>
                  </Paper>
                )}
                <Group gap="xs" align="center">
                  <FileButton onChange={(f) => void chooseImage(f)} accept="image/png,image/jpeg,image/gif,image/webp" disabled={templateId === undefined}>
                    {(props) => (
                      <Button {...props} variant="default" size="xs" loading={pickBusy} disabled={templateId === undefined} {...(picked ? {} : { 'data-autofocus': true })}>
                        {picked ? t('visual.chooseAnother') : t('visual.chooseImage')}
                      </Button>
                    )}
                  </FileButton>
                  {picked ? (
                    <Button variant="subtle" size="xs" onClick={dropPicked}>
                      {t('visual.useAddress')}
                    </Button>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {templateId === undefined ? t('visual.imageSaveFirst') : t('visual.imageRules', { limit: megabytes(MAX_INLINE_IMAGE_BYTES) })}
                    </Text>
                  )}
                </Group>
                {pickError && (
                  <Text size="sm" c="red" role="alert">
                    {pickError}
                  </Text>
                )}
              </Stack>
            )}
            {ask?.kind === 'image' && !picked && <Divider label={t('visual.or')} labelPosition="center" />}
            {!(ask?.kind === 'image' && picked) && (
              <TextInput
                label={ask?.kind === 'image' ? t('visual.imageAddress') : t('visual.webAddress')}
                description={ask?.kind === 'image' ? t('visual.imageAddressHint') : t('visual.linkHint')}
                value={url}
                onChange={(e) => setUrl(e.currentTarget.value)}
                error={url.trim() && url.trim() !== 'https://' && !urlOk ? t('visual.needsHttps') : undefined}
                {...(ask?.kind === 'link' || (ask?.kind === 'image' && templateId === undefined) ? { 'data-autofocus': true } : {})}
              />
            )}
            {ask?.kind === 'image' && (
              <TextInput label={t('visual.description')} description={t('visual.descriptionHint')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={closeAsk}>
                {t('visual.cancel')}
              </Button>
              <Button type="submit" disabled={!canAdd} loading={ask?.kind === 'image' && !!picked && pickBusy}>
                {ask?.kind === 'link' && url.trim() === '' ? t('visual.removeLink') : t('visual.add')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
});
