/**
 * The template family of tables: templates, their attached files, and DKIM keys per sender domain.
 * Plain SQL, synchronous (better-sqlite3). Sealing of DKIM keys is the caller's (it has ctx.secrets).
 */
import type { Db } from './db';
import { PostroomError } from '../../../shared/errors';
import type { Template, TemplateAttachment, TemplateDraft, TemplateSummary } from '../../../shared/contract/templates';
import { isLanguage, type Language } from '../../../shared/languages';

/** A template with its files' bytes: what the composer needs. */
export interface TemplateRecord extends Omit<Template, 'attachments'> {
  attachments: Array<TemplateAttachment & { content: Buffer }>;
}

interface TemplateRow {
  id: number;
  name: string;
  subject: string;
  from_addr: string;
  reply_to: string | null;
  format: 'html' | 'markdown';
  body: string;
  /** Set for templates written in the visual editor (see migration 010): their format is 'visual'. */
  editor_doc: string | null;
  text_body: string | null;
  attach_field: string | null;
  attachments_dir: string | null;
  /** The language the message is written in (migration 012; 'en' for every template saved before). */
  language: string;
  created_at: number;
  updated_at: number;
}

interface AttachmentRow {
  id: number;
  filename: string;
  content_type: string;
  cid: string | null;
  size: number;
  content?: Buffer;
}

/** The stored language; one this version doesn't know (written by hand) reads as English, as before migration 012. */
const languageOf = (value: string): Language => (isLanguage(value) ? value : 'en');

const fromRow = (r: TemplateRow): Omit<Template, 'attachments'> => ({
  id: r.id,
  name: r.name,
  subject: r.subject,
  from: r.from_addr,
  replyTo: r.reply_to,
  format: r.editor_doc !== null ? 'visual' : r.format,
  body: r.body,
  ...(r.editor_doc !== null ? { doc: r.editor_doc } : {}),
  text: r.text_body,
  attachField: r.attach_field,
  attachmentsDir: r.attachments_dir,
  language: languageOf(r.language),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const attachmentFromRow = (r: AttachmentRow): TemplateAttachment => ({
  id: r.id,
  filename: r.filename,
  contentType: r.content_type,
  size: r.size,
  cid: r.cid,
});

export function listTemplates(db: Db): TemplateSummary[] {
  return (
    db
      .prepare(
        `SELECT id, name, subject, from_addr AS "from", CASE WHEN editor_doc IS NULL THEN format ELSE 'visual' END AS format,
         language, updated_at AS updatedAt FROM templates ORDER BY updated_at DESC, id DESC`,
      )
      .all() as Array<Omit<TemplateSummary, 'language'> & { language: string }>
  ).map((t) => ({ ...t, language: languageOf(t.language) }));
}

function row(db: Db, id: number): TemplateRow {
  const r = db.prepare(`SELECT * FROM templates WHERE id = ?`).get(id) as TemplateRow | undefined;
  if (!r) throw new PostroomError('NOT_FOUND', `There is no template #${id} (it may have been deleted). Pick another template.`);
  return r;
}

/** A template by id, with its attachments' details (not their bytes). */
export function getTemplate(db: Db, id: number): Template {
  const attachments = (
    db
      .prepare(`SELECT id, filename, content_type, cid, length(content) AS size FROM template_attachments WHERE template_id = ? ORDER BY id`)
      .all(id) as AttachmentRow[]
  ).map(attachmentFromRow);
  return { ...fromRow(row(db, id)), attachments };
}

/** A template by id with its files' bytes, for composing. */
export function loadTemplate(db: Db, id: number): TemplateRecord {
  const r = row(db, id);
  const attachments = (
    db
      .prepare(`SELECT id, filename, content_type, cid, length(content) AS size, content FROM template_attachments WHERE template_id = ? ORDER BY id`)
      .all(id) as Array<AttachmentRow & { content: Buffer }>
  ).map((a) => ({ ...attachmentFromRow(a), content: a.content }));
  return { ...fromRow(r), attachments };
}

/** A template's From as written (`Name <address>`), or '' when the template is gone. */
export function templateFrom(db: Db, id: number): string {
  return (db.prepare(`SELECT from_addr FROM templates WHERE id = ?`).get(id) as { from_addr: string } | undefined)?.from_addr ?? '';
}

/** The id of the template with this name (case-insensitive), or NOT_FOUND. */
export function templateIdByName(db: Db, name: string): number {
  const r = db.prepare(`SELECT id FROM templates WHERE name = ?`).get(name) as { id: number } | undefined;
  if (!r) {
    throw new PostroomError('NOT_FOUND', `There is no template named "${name}". See your templates with 'postroom template list'.`);
  }
  return r.id;
}

function nameTaken(name: string): PostroomError {
  return new PostroomError('ALREADY_EXISTS', `A template named "${name}" already exists. Choose another name, or change that template.`);
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** A visual template's body is an HTML fragment: stored as 'html', told apart by its editor document. */
const storedFormat = (t: TemplateDraft): 'html' | 'markdown' => (t.format === 'visual' ? 'html' : t.format);
const editorDoc = (t: TemplateDraft): string | null => (t.format === 'visual' ? (t.doc ?? '{}') : null);

/** Saves a new template; without a language, as English (the column's default: the caller decides which one). */
export function insertTemplate(db: Db, t: TemplateDraft, now: number): number {
  try {
    const info = db
      .prepare(
        `INSERT INTO templates (name, subject, from_addr, reply_to, format, body, text_body, attach_field, attachments_dir, editor_doc, language, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.name, t.subject, t.from, t.replyTo, storedFormat(t), t.body, t.text, t.attachField, t.attachmentsDir ?? null, editorDoc(t), t.language ?? 'en', now, now);
    return Number(info.lastInsertRowid);
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(t.name);
    throw err;
  }
}

/** Changes a template; without a language, it keeps its own. */
export function updateTemplate(db: Db, id: number, t: TemplateDraft, now: number): void {
  row(db, id);
  try {
    db.prepare(
      `UPDATE templates SET name = ?, subject = ?, from_addr = ?, reply_to = ?, format = ?, body = ?, text_body = ?,
       attach_field = ?, attachments_dir = ?, editor_doc = ?, language = COALESCE(?, language), updated_at = ? WHERE id = ?`,
    ).run(t.name, t.subject, t.from, t.replyTo, storedFormat(t), t.body, t.text, t.attachField, t.attachmentsDir ?? null, editorDoc(t), t.language ?? null, now, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(t.name);
    throw err;
  }
}

export function deleteTemplate(db: Db, id: number): boolean {
  return db.prepare(`DELETE FROM templates WHERE id = ?`).run(id).changes > 0;
}

export function insertAttachment(
  db: Db,
  templateId: number,
  a: { filename: string; contentType: string; cid: string | null; content: Buffer },
  now: number,
): TemplateAttachment {
  row(db, templateId);
  const info = db
    .prepare(`INSERT INTO template_attachments (template_id, filename, content_type, cid, content, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(templateId, a.filename, a.contentType, a.cid, a.content, now);
  db.prepare(`UPDATE templates SET updated_at = ? WHERE id = ?`).run(now, templateId);
  return { id: Number(info.lastInsertRowid), filename: a.filename, contentType: a.contentType, cid: a.cid, size: a.content.length };
}

export function deleteAttachment(db: Db, templateId: number, attachmentId: number, now: number): boolean {
  const changed = db.prepare(`DELETE FROM template_attachments WHERE id = ? AND template_id = ?`).run(attachmentId, templateId).changes > 0;
  if (changed) db.prepare(`UPDATE templates SET updated_at = ? WHERE id = ?`).run(now, templateId);
  return changed;
}

/** A DKIM key as stored: the private key still sealed. */
export interface DkimKeyRow {
  domain: string;
  selector: string;
  sealedKey: Buffer;
  publicKey: string;
  createdAt: number;
}

export function listDkimKeys(db: Db): DkimKeyRow[] {
  return db
    .prepare(`SELECT domain, selector, private_key AS sealedKey, public_key AS publicKey, created_at AS createdAt FROM dkim_keys ORDER BY domain`)
    .all() as DkimKeyRow[];
}

export function dkimKeyFor(db: Db, domain: string): DkimKeyRow | undefined {
  return db
    .prepare(`SELECT domain, selector, private_key AS sealedKey, public_key AS publicKey, created_at AS createdAt FROM dkim_keys WHERE domain = ?`)
    .get(domain) as DkimKeyRow | undefined;
}

/** Keeps the domain's key, replacing any older one. */
export function upsertDkimKey(db: Db, k: DkimKeyRow): void {
  db.prepare(
    `INSERT INTO dkim_keys (domain, selector, private_key, public_key, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(domain) DO UPDATE SET selector = excluded.selector, private_key = excluded.private_key,
       public_key = excluded.public_key, created_at = excluded.created_at`,
  ).run(k.domain, k.selector, k.sealedKey, k.publicKey, k.createdAt);
}

export function deleteDkimKey(db: Db, domain: string): boolean {
  return db.prepare(`DELETE FROM dkim_keys WHERE domain = ?`).run(domain).changes > 0;
}

/** Copies a template and its files under `name`, in one transaction. */
export function copyTemplate(db: Db, id: number, name: string, now: number): number {
  return db.transaction(() => {
    const t = getTemplate(db, id);
    const copy = insertTemplate(db, { ...t, name }, now);
    db.prepare(
      `INSERT INTO template_attachments (template_id, filename, content_type, cid, content, created_at)
       SELECT ?, filename, content_type, cid, content, ? FROM template_attachments WHERE template_id = ? ORDER BY id`,
    ).run(copy, now, id);
    return copy;
  })();
}
