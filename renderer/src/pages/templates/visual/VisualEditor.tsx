/**
 * The visual editor (TipTap on ProseMirror): a document of email-safe blocks — headings, paragraphs, lists,
 * links, images, buttons, dividers and the footer — with merge fields as chips, the brand colour and logo set
 * once, undo and redo, and paste from Word or Google Docs cleaned to safe HTML. What it stores is an HTML fragment
 * that the core lays out like Markdown (same layout, CSS inlining and text part), plus its own JSON to reopen.
 */
import { Button, ColorInput, Group, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { EmailButton, EmailFooter, MergeField, safeColour } from './nodes';
import { bodyFromEditor, editorHtmlFromBody, parseDoc, rememberBrand, type Brand, type VisualDoc } from './document';
import { cleanPastedHtml } from './paste';
import './visual.css';
import { t } from '../../../i18n';

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
}

// The footer's sentence, in the window's language when the block is added (the person can edit it).
const defaultFooter = () => t('visual.footer');

function output(editor: Editor, brand: Brand) {
  const doc: VisualDoc = { version: 1, brand, content: editor.getJSON() };
  return { body: bodyFromEditor(editor.getHTML(), brand), doc: JSON.stringify(doc) };
}

type Ask = { kind: 'link' | 'image' | 'button' } | null;

export const VisualEditor = forwardRef<VisualEditorHandle, Props>(function VisualEditor({ body, doc, onChange }, ref) {
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
      Image.configure({ inline: false, allowBase64: true }),
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

  // A template that had no editor document yet (a starter) gets one at once, so saving keeps what is shown.
  useEffect(() => {
    if (editor && !doc) onChangeRef.current(output(editor, brandRef.current), true);
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

  useImperativeHandle(ref, () => ({
    insertField(field, fallback) {
      editor?.chain().focus().insertMergeField(field, fallback).run();
    },
    insertUnsubscribe() {
      editor?.chain().focus('end').insertFooter(defaultFooter()).run();
    },
  }));

  const [ask, setAsk] = useState<Ask>(null);
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const openAsk = (kind: 'link' | 'image' | 'button') => {
    setUrl(kind === 'link' ? ((editor?.getAttributes('link').href as string | undefined) ?? 'https://') : 'https://');
    setLabel(kind === 'button' ? t('visual.readMore') : '');
    setAsk({ kind });
  };
  const confirmAsk = () => {
    if (!editor || !ask) return;
    const href = url.trim();
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
          {tool(t('visual.footerTool'), run((e) => e.chain().focus('end').insertFooter(defaultFooter()).run()))}
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
        onClose={() => setAsk(null)}
        title={ask?.kind === 'image' ? t('visual.addImage') : ask?.kind === 'button' ? t('visual.addButton') : t('visual.link')}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (urlOk) confirmAsk();
          }}
        >
          <Stack gap="sm">
            {ask?.kind === 'button' && <TextInput label={t('visual.buttonText')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} data-autofocus />}
            <TextInput
              label={ask?.kind === 'image' ? t('visual.imageAddress') : t('visual.webAddress')}
              description={ask?.kind === 'image' ? t('visual.imageAddressHint') : t('visual.linkHint')}
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              error={url.trim() && url.trim() !== 'https://' && !urlOk ? t('visual.needsHttps') : undefined}
              {...(ask?.kind !== 'button' ? { 'data-autofocus': true } : {})}
            />
            {ask?.kind === 'image' && (
              <TextInput label={t('visual.description')} description={t('visual.descriptionHint')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAsk(null)}>
                {t('visual.cancel')}
              </Button>
              <Button type="submit" disabled={!urlOk}>
                {ask?.kind === 'link' && url.trim() === '' ? t('visual.removeLink') : t('visual.add')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
});
