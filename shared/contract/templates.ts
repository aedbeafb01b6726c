/**
 * Templates: merge templates, their check against a list, preview, the spam-filter check, starter templates,
 * and DKIM keys per sender domain. Owned by the compose work (issue 4).
 *
 * Template text uses Liquid: `{{ first_name }}`, `{{ first_name | default: "there" }}`, `{% if company %}…{% endif %}`.
 * Besides the list's fields, every template may use these built-in variables: `email`, `name`, `list`,
 * `campaign`, `unsubscribe_url`, `unsubscribe_mailto` (see `BUILTIN_FIELDS` in shared/merge-fields.ts).
 */
import { z } from 'zod';
import { ReviewItem } from './sending';
import { Language } from './app';

/**
 * How the body is written: HTML, Markdown, or `visual` (written in the window's visual editor: the body is an
 * HTML fragment of email-safe blocks that Postroom lays out like Markdown, and `doc` keeps the editor's document).
 */
export const TemplateFormat = z.enum(['html', 'markdown', 'visual']);
export type TemplateFormat = z.infer<typeof TemplateFormat>;

/**
 * Which part of a template a problem is in; lines and columns count from 1 in that part's own text.
 * `attachField` is the per-recipient attachment field, `unsubscribe` the campaign's unsubscribe link or address.
 */
export const TemplatePart = z.enum(['subject', 'from', 'replyTo', 'body', 'text', 'attachField', 'unsubscribe']);
export type TemplatePart = z.infer<typeof TemplatePart>;

export const TemplateSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  subject: z.string(),
  from: z.string(),
  format: TemplateFormat,
  /** The language the message is written in (see TemplateDraft's `language`). */
  language: Language,
  updatedAt: z.number(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

export const TemplateAttachment = z.object({
  id: z.number().int(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  /** Set when the file is an inline image: the HTML refers to it as `<img src="cid:…">`. */
  cid: z.string().nullable(),
});
export type TemplateAttachment = z.infer<typeof TemplateAttachment>;

/**
 * The largest picture the window puts in a message as an inline image: a bigger one makes the message slow to open
 * on a phone and more likely to be clipped or filtered. Both the window (before it uploads) and the core apply it.
 */
export const MAX_INLINE_IMAGE_BYTES = 1024 * 1024;

/** What a person writes. `from` is `"Name <address>"` (the name may merge fields, the address may not). */
export const TemplateDraft = z.object({
  name: z.string().trim().min(1, 'a template needs a name').max(200),
  subject: z.string().max(2000),
  from: z.string().trim().min(1, 'a template needs a From address').max(500),
  replyTo: z.string().trim().max(500).nullable().default(null),
  format: TemplateFormat,
  /** HTML, or Markdown that Postroom lays out in its responsive email layout. */
  body: z.string().max(2_000_000),
  /** The plain-text part; null to have it generated from the HTML. */
  text: z.string().max(2_000_000).nullable().default(null),
  /** A recipient field that holds the path of a per-recipient attachment, or null. */
  attachField: z.string().trim().min(1).nullable().default(null),
  /**
   * The folder per-recipient attachments are read from (a full path); the field's values are file names relative to
   * it and can't leave it. Null or left out: the campaign's folder, else the folder a command-line import read.
   */
  attachmentsDir: z.string().trim().min(1).max(4096).nullable().optional(),
  /** For `visual` templates: the visual editor's document and brand (JSON), so it reopens as it was. */
  doc: z.string().max(4_000_000).nullable().optional(),
  /**
   * The language the message is written in: the document's `<html lang>` and the words Postroom itself adds to the
   * message (the layout's unsubscribe footer, the subject of a mailto: unsubscribe request) are in it. Left out:
   * a change to a saved template (or a draft of it) keeps the template's; a new one takes the language chosen in
   * Settings (the computer's when that is "System"), else English. The window names it always: a starter's
   * language, else the window's.
   */
  language: Language.optional(),
});
export type TemplateDraft = z.infer<typeof TemplateDraft>;

export const Template = TemplateDraft.extend({
  language: Language,
  id: z.number().int(),
  attachments: z.array(TemplateAttachment),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Template = z.infer<typeof Template>;

/** A template field the list doesn't have, where it is used. */
export const MissingField = z.object({
  field: z.string(),
  part: TemplatePart,
  line: z.number().int(),
  column: z.number().int(),
});
export type MissingField = z.infer<typeof MissingField>;

export const TemplateSyntaxError = z.object({
  part: TemplatePart,
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
});
export type TemplateSyntaxError = z.infer<typeof TemplateSyntaxError>;

/**
 * The result of checking a template against a list's fields. `ok` is false when anything is missing or
 * doesn't parse (a send would be refused); warnings don't stop a send but a person should see them.
 */
export const TemplateCheck = z.object({
  ok: z.boolean(),
  /** Every field the template uses (besides built-ins), in order of first use. */
  fields: z.array(z.string()),
  missing: z.array(MissingField),
  errors: z.array(TemplateSyntaxError),
  warnings: z.array(z.string()),
  /** The same warnings with their codes and facts, for a door that words them itself (the window, in its language). */
  warningItems: z.array(ReviewItem),
});
export type TemplateCheck = z.infer<typeof TemplateCheck>;

export const UnsubscribeOptions = z.object({
  mailto: z.string().trim().min(1).optional(),
  url: z.string().trim().min(1).optional(),
});

/** A template to work on: a saved one by id, or an unsaved draft from the editor. */
const TemplateSource = z.union([
  z.object({ id: z.number().int() }),
  z.object({
    draft: TemplateDraft,
    /**
     * The saved template this draft is an unsaved change of: its files (inline images above all) go with the draft,
     * so the editor's preview and check see a picture added since the last save. Left out: a draft has no files.
     */
    templateId: z.number().int().optional(),
  }),
]);

/** The recipient to render: the n-th of a list (0-based), one by address, or a sample made from the list's fields. */
const PreviewTarget = z.object({
  /** The list's name; without one, a sample recipient with made-up values is used. */
  list: z.string().optional(),
  /** The recipient's address on that list. */
  email: z.string().optional(),
  /** The recipient's position on the list (0-based), for a next/previous switcher. */
  index: z.number().int().nonnegative().optional(),
  unsubscribe: UnsubscribeOptions.nullable().optional(),
  campaignName: z.string().optional(),
});

export const MessageHeader = z.object({ name: z.string(), value: z.string() });

export const TemplatePreview = z.object({
  recipient: z.object({ email: z.string(), name: z.string().nullable(), index: z.number().int().nullable() }),
  /** How many recipients the list has (0 for a sample). */
  total: z.number().int(),
  subject: z.string(),
  from: z.string(),
  to: z.string(),
  /** The HTML part as sent, with `cid:` images turned into data: URLs: show it in `<iframe sandbox srcdoc>`. */
  html: z.string(),
  text: z.string(),
  /** Every header of the message in order, decoded (RFC 2047) for display. */
  headers: z.array(MessageHeader),
  /** The RFC 5322 message exactly as it would be sent (DKIM-signed when a key exists), as text. */
  raw: z.string(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), size: z.number().int(), inline: z.boolean() })),
  /** Why this recipient's message couldn't be sent (e.g. their attachment is missing), or null. */
  problem: z.string().nullable(),
});
export type TemplatePreview = z.infer<typeof TemplatePreview>;

export const SpamRule = z.object({ name: z.string(), score: z.number(), description: z.string() });
export const SpamCheck = z.object({
  /** False when SpamAssassin isn't installed; `message` then says how to install it. */
  available: z.boolean(),
  score: z.number().nullable(),
  /** SpamAssassin's own spam threshold (usually 5.0). */
  threshold: z.number().nullable(),
  rules: z.array(SpamRule),
  message: z.string(),
});
export type SpamCheck = z.infer<typeof SpamCheck>;

export const StarterTemplate = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  format: TemplateFormat,
  subject: z.string(),
  body: z.string(),
  /** The language it is written in: the one asked for, or English where the starter isn't written in that one yet. */
  language: Language,
  /** Fields the starter uses, so the editor can suggest mapping them. */
  fields: z.array(z.string()),
});
export type StarterTemplate = z.infer<typeof StarterTemplate>;

export const DkimKey = z.object({
  domain: z.string(),
  selector: z.string(),
  /** Where to publish the public key: `selector._domainkey.domain`. */
  dnsName: z.string(),
  /** The TXT record's value to publish there: `v=DKIM1; k=rsa; p=…`. */
  dnsValue: z.string(),
  createdAt: z.number(),
});
export type DkimKey = z.infer<typeof DkimKey>;

const Id = z.object({ id: z.number().int() });

export const templatesContract = {
  /** Every template, newest change first. */
  'templates:list': { input: z.object({}).strict(), output: z.array(TemplateSummary) },
  /** One template in full (body, text part, attachments' details). NOT_FOUND when gone. */
  'templates:get': { input: Id, output: Template },
  /**
   * Saves a new template (without `language`: the one chosen in Settings, else English). ALREADY_EXISTS when the name
   * is taken; TEMPLATE_INVALID when the From address is not an address.
   */
  'templates:create': { input: TemplateDraft, output: Template },
  /**
   * Replaces a template's text and settings (attachments are kept; without `language`, its language is kept).
   * CONFLICT while a campaign sending it isn't finished.
   */
  'templates:update': { input: z.object({ id: z.number().int(), template: TemplateDraft }), output: Template },
  /** Copies a template with its files under a new name (default: "NAME (copy)"). */
  'templates:duplicate': { input: z.object({ id: z.number().int(), name: z.string().trim().min(1).max(200).optional() }), output: Template },
  /** Deletes a template. CONFLICT when a campaign that is sending, scheduled or paused uses it. */
  'templates:remove': { input: Id, output: z.object({ removed: z.boolean() }) },
  /**
   * Adds a file sent with every message: from a path (command line, desktop file dialog) or the file's bytes
   * (browser upload). With `cid`, it is an inline image the HTML shows as `<img src="cid:…">`.
   */
  'templates:addAttachment': {
    input: z.object({
      templateId: z.number().int(),
      path: z.string().optional(),
      filename: z.string().optional(),
      contentBase64: z.string().optional(),
      cid: z.string().trim().min(1).nullable().optional(),
    }),
    output: TemplateAttachment,
  },
  /**
   * Puts a picture the person chose in the template as an inline image. `upload` is the path `./upload` answered
   * (hosts/uploads.ts): nothing else is read, and the upload is deleted once read. The picture must be PNG, JPEG or
   * GIF by its bytes (whatever its name says) and at most MAX_INLINE_IMAGE_BYTES. It gets a content ID unique in the
   * template, made from its name (`shop-window.png`, then `shop-window-2.png`), for the HTML to show it as
   * `<img src="cid:…">`; each message carries it once, in multipart/related. The same picture chosen again answers
   * the image the template already has. INVALID_INPUT with params.reason `notImage`, `webp` or `imageTooBig` (and
   * `file`, `size`, `limit` in MB) says what to do; CONFLICT while a campaign sending the template isn't finished.
   */
  'templates:addImage': {
    input: z.object({ templateId: z.number().int(), upload: z.string().min(1).max(4096) }),
    output: TemplateAttachment,
  },
  /**
   * One of a template's inline images, for the editor to show `<img src="cid:…">` as the message will.
   * NOT_FOUND when the template has no image with that content ID.
   */
  'templates:image': {
    input: z.object({ templateId: z.number().int(), cid: z.string().min(1).max(500) }),
    output: z.object({ cid: z.string(), contentType: z.string(), contentBase64: z.string() }),
  },
  /** Removes one attached file. */
  'templates:removeAttachment': {
    input: z.object({ templateId: z.number().int(), attachmentId: z.number().int() }),
    output: z.object({ removed: z.boolean() }),
  },
  /**
   * Checks a saved template or a draft against a list's fields (by list name, or a field list): fields it uses
   * that the list lacks and syntax errors, each with part, line and column; plus warnings. Give `unsubscribe`
   * (null for none) to check it as a campaign would send it: its link's fields, and the unsubscribe warnings.
   */
  'templates:check': {
    input: z.intersection(
      TemplateSource,
      z.object({
        list: z.string().optional(),
        fields: z.array(z.string()).optional(),
        unsubscribe: UnsubscribeOptions.nullable().optional(),
        /** The relay it will go through: one that signs mail itself (Gmail, Microsoft 365, …) needs no DKIM key here. */
        relay: z.string().trim().min(1).optional(),
      }),
    ),
    output: TemplateCheck,
  },
  /** Any recipient's message exactly as it would be sent: HTML for a sandboxed iframe, text, headers, raw bytes. */
  'templates:preview': { input: z.intersection(TemplateSource, PreviewTarget), output: TemplatePreview },
  /** Runs the message (as `templates:preview` would build it) through local SpamAssassin, network tests off. */
  'templates:spamCheck': { input: z.intersection(TemplateSource, PreviewTarget), output: SpamCheck },
  /**
   * "Send a test to me": composes exactly the message the campaign would send to the chosen recipient (or the
   * sample recipient), with `[TEST] ` in front of the subject and a fresh Message-ID, and sends it through the
   * relay to `to` only (envelope and To header). It takes a slot of the relay's limits like any send.
   * INVALID_INPUT for a bad `to`; AUTH_FAILED, RELAY_UNREACHABLE, TLS_FAILED, DNS_FAILED or SEND_FAILED, with what
   * to do, when the relay doesn't take it; CONFLICT when the recipient's message couldn't be sent (their file is missing).
   */
  'templates:sendTest': {
    input: z.intersection(TemplateSource, PreviewTarget.extend({ relay: z.string().trim().min(1), to: z.string().trim().min(1) })),
    output: z.object({
      ok: z.literal(true),
      to: z.string(),
      messageId: z.string(),
      /** The relay's answer, e.g. `250 2.0.0 Ok: queued as 4F2A`. */
      response: z.string(),
    }),
  },
  /**
   * The starter templates that ship with Postroom (newsletter, announcement, plain letter), written in `lang`;
   * without it, in the language chosen in Settings (the computer's when that is "System"). A starter not yet
   * written in that language comes in English. Each starter keeps its `key` in every language.
   */
  'templates:starters': { input: z.object({ lang: Language.optional() }).strict(), output: z.array(StarterTemplate) },
  /** DKIM keys kept for sender domains (private keys are sealed, never shown). */
  'dkim:list': { input: z.object({}).strict(), output: z.array(DkimKey) },
  /**
   * Keeps a DKIM key for a domain (replacing the domain's old one): the PEM private key given, or a new
   * 2048-bit RSA key when none is. Answers the DNS TXT record to publish.
   */
  'dkim:add': {
    input: z.object({
      domain: z.string().trim().min(1),
      selector: z.string().trim().min(1),
      privateKeyPem: z.string().optional(),
    }),
    output: DkimKey,
  },
  /** Stops signing mail from a domain and forgets its key. */
  'dkim:remove': { input: z.object({ domain: z.string().trim().min(1) }), output: z.object({ removed: z.boolean() }) },
  /**
   * Records the folder a list's spreadsheet was imported from (the command line does, after an import): the
   * default attachments folder of its campaigns. null forgets it. INVALID_INPUT when the folder can't hold
   * attachments (missing, inside the data folder).
   */
  'lists:setAttachmentsFolder': {
    input: z.object({ list: z.string().trim().min(1), folder: z.string().trim().min(1).max(4096).nullable() }),
    output: z.object({ folder: z.string().nullable() }),
  },
} as const;

export const templatesEvents = {} as const;
