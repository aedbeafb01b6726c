/**
 * Per-recipient attachments: the ONE place that decides which file a recipient's attachment field names, used by
 * the preview, the composer (on the engine's thread and in the compose worker) and the review.
 *
 * A campaign (or its template, or the list a command-line import read) has one attachments folder, and a value
 * resolves inside it only. Refused, each with its reason: no folder chosen, an absolute path, `..`, a link or
 * junction that leads out of the folder (checked on the real path), anything that isn't a regular file (device,
 * FIFO, socket, folder), an empty file (what `/proc`-like files look like), a file too big for a relay, and
 * anything inside Postroom's own data folder (it holds the key that unseals stored passwords).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../context';
import type { Db } from '../store/db';
import { PostroomError } from '../../../shared/errors';

/** Per-recipient attachments larger than this are refused: most relays reject messages over 25 MB. */
export const MAX_RECIPIENT_ATTACHMENT = 20 * 1024 * 1024;

/** Folders that hold the kernel's view of the machine, not a person's files. */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/** What a per-recipient value turned out to be. */
export type AttachmentLookup =
  /** `file`: the real path that is read; `name`: the file name as the field wrote it (what the recipient sees). */
  | { ok: true; file: string; name: string; size: number; stat: fs.Stats }
  /** `detail`: for a refusal, what is wrong with the value alone (`"../x" climbs out of the folder with ".."`). */
  | { ok: false; kind: 'empty' | 'noFolder' | 'missing' | 'refused' | 'unreadable' | 'tooBig'; reason: string; detail?: string };

/** Is `child` the folder `parent` or inside it? Both must be real (resolved, normalised) paths. */
function isInside(child: string, parent: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith(path.sep) ? parent : parent + path.sep;
  // Windows and macOS compare names without regard to case; a case-insensitive compare can only refuse more there.
  return process.platform === 'linux' ? child.startsWith(prefix) : child.toLowerCase().startsWith(prefix.toLowerCase());
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

/** Why a folder can't be an attachments folder, or null when it can. `dir` must be absolute. */
function folderProblem(dir: string, dataDir: string | null): string | null {
  if (!path.isAbsolute(dir)) return `"${dir}" is not a full path to a folder. Choose the folder with its full path.`;
  let real: string;
  try {
    real = fs.realpathSync.native(dir);
  } catch {
    return `The folder ${dir} does not exist. Choose a folder that holds the attachments.`;
  }
  if (!fs.statSync(real).isDirectory()) return `${dir} is not a folder. Choose the folder that holds the attachments.`;
  if (process.platform !== 'win32' && VIRTUAL_ROOTS.some((root) => isInside(real, root))) {
    return `${dir} holds the system's own files, not attachments. Choose the folder that holds the attachments.`;
  }
  if (dataDir !== null && isInside(real, realOrSelf(dataDir))) return `${dir} is inside Postroom's data folder, whose files are never attached. Choose the folder that holds the attachments.`;
  return null;
}

/**
 * Checks a folder a person chose for attachments and returns it as a full path; INVALID_INPUT with the reason
 * otherwise. `base` resolves a relative path (the command line's working folder).
 */
export function checkAttachmentsFolder(ctx: Pick<CoreContext, 'dataDir'>, dir: string, base?: string): string {
  const full = base ? path.resolve(base, dir) : dir.trim();
  const problem = folderProblem(full, ctx.dataDir);
  if (problem) throw new PostroomError('INVALID_INPUT', problem);
  return path.normalize(full);
}

/** checkAttachmentsFolder's answer, or undefined for a folder that may not hold attachments: a folder recorded in passing (an import's). */
export function attachmentsFolderOrNone(ctx: Pick<CoreContext, 'dataDir'>, dir: string): string | undefined {
  try {
    return checkAttachmentsFolder(ctx, dir);
  } catch (err) {
    if (err instanceof PostroomError) return undefined;
    throw err;
  }
}

/** Looks up one recipient's value: the file, or why not (see `attachmentFinder`). */
export type AttachmentFinder = (value: string, who: string, field: string) => AttachmentLookup;

/**
 * Looks up values inside `folder` only, the folder itself checked once (a campaign's many recipients share it):
 * the file a recipient's field names, or why not. `who` names the recipient in reasons. Never follows a value out
 * of the folder; the caller reads the file with `readAttachment`. `dataDir` null drops the data folder rule (only
 * for the window's own upload copies, see readChosenFile).
 */
export function attachmentFinder(folder: string | null, dataDir: string | null): AttachmentFinder {
  let state: { problem: string | null; realFolder: string; realData: string | null } | undefined;
  const folderState = () => {
    if (!state) {
      const problem = folder ? folderProblem(folder, dataDir) : null;
      state = { problem, realFolder: folder && !problem ? fs.realpathSync.native(folder) : '', realData: dataDir === null ? null : realOrSelf(dataDir) };
    }
    return state;
  };
  return (value, who, field) => find(folder, folderState, value, who, field);
}

/** One lookup with a finder made for it (the preview, a single file). */
export function lookUpAttachment(folder: string | null, dataDir: string | null, value: string, who: string, field: string): AttachmentLookup {
  return attachmentFinder(folder, dataDir)(value, who, field);
}

function find(
  folder: string | null,
  folderState: () => { problem: string | null; realFolder: string; realData: string | null },
  value: string,
  who: string,
  field: string,
): AttachmentLookup {
  const v = value.trim();
  if (!v) return { ok: false, kind: 'empty', reason: `${who} has no file in the field "${field}", which holds each recipient's attachment.` };
  if (!folder) {
    return {
      ok: false,
      kind: 'noFolder',
      reason: `The attachment for ${who} (${v}) can't be found: no attachments folder is chosen. Choose the folder that holds the attachments for this campaign.`,
    };
  }
  const refused = (why: string): AttachmentLookup => ({
    ok: false,
    kind: 'refused',
    reason: `The attachment for ${who} was refused: "${v}" ${why}. Only files inside the attachments folder ${folder} are attached.`,
    detail: `"${v}" ${why}`,
  });
  // Both separators and drive letters, whatever the system: a spreadsheet made on Windows is read on a Mac too.
  if (v.includes('\0')) return refused('is not a file name');
  if (path.isAbsolute(v) || path.win32.isAbsolute(v) || /^[a-zA-Z]:/.test(v)) return refused('is a full path (it must be relative to the attachments folder)');
  if (v.split(/[\\/]+/).some((part) => part === '..')) return refused('climbs out of the folder with ".."');
  const { problem, realFolder, realData } = folderState();
  if (problem) return { ok: false, kind: 'refused', reason: `The attachment for ${who} can't be used: ${problem}`, detail: problem.replace(/\. Choose .*$/, '') };
  const parts = v.split(/[\\/]+/).filter((part) => part && part !== '.');
  const joined = path.join(realFolder, ...parts);
  let real = '';
  let stat: fs.Stats | undefined;
  // A file right in the (real) folder that isn't a link is its own real path: one lstat instead of resolving each
  // component (the review looks up every recipient's file; about half the time on 50,000 files).
  if (parts.length === 1) {
    try {
      const l = fs.lstatSync(joined);
      if (!l.isSymbolicLink()) [real, stat] = [joined, l];
    } catch {
      // resolved below, which says why
    }
  }
  if (!stat) {
    try {
      real = fs.realpathSync.native(joined);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { ok: false, kind: 'missing', reason: `The attachment for ${who} is missing: ${joined} does not exist.` };
      if (code === 'EACCES' || code === 'EPERM') return { ok: false, kind: 'unreadable', reason: `The attachment for ${who} can't be read: no permission to read ${joined}.` };
      return { ok: false, kind: 'unreadable', reason: `The attachment for ${who} can't be read: ${joined} (${(err as Error).message}).` };
    }
  }
  if (!isInside(real, realFolder)) return refused(`is a link that leads out of the folder (to ${real})`);
  if (realData !== null && isInside(real, realData)) return refused("is inside Postroom's data folder, whose files are never attached");
  try {
    stat ??= fs.statSync(real);
    fs.accessSync(real, fs.constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, kind: 'unreadable', reason: `The attachment for ${who} can't be read: no permission to read ${joined}.` };
    return { ok: false, kind: 'unreadable', reason: `The attachment for ${who} can't be read: ${joined} (${(err as Error).message}).` };
  }
  if (stat.isDirectory()) return refused('is a folder, not a file');
  if (!stat.isFile()) return refused('is not a regular file (a device, pipe or socket)');
  if (stat.size === 0) return refused('is an empty file');
  if (stat.size > MAX_RECIPIENT_ATTACHMENT) {
    return { ok: false, kind: 'tooBig', reason: `The attachment for ${who} is too big to send (${Math.round(stat.size / 1048576)} MB; relays accept about 20 MB): ${joined}.` };
  }
  return { ok: true, file: real, name: path.basename(joined), size: stat.size, stat };
}

/**
 * Reads a file `lookUpAttachment` accepted. It is opened without following a link and must still be the same
 * regular file (same device and inode), so swapping it for a link or a pipe after the check reads nothing.
 */
export async function readAttachment(found: Extract<AttachmentLookup, { ok: true }>, who: string): Promise<Buffer> {
  const fail = (why: string) => new PostroomError('FILE_UNREADABLE', `The attachment for ${who} can't be read: ${found.file} (${why}).`);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(found.file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw fail((err as Error).message);
  }
  try {
    const now = await handle.stat();
    if (!now.isFile() || now.ino !== found.stat.ino || now.dev !== found.stat.dev) throw fail('it changed since it was checked');
    if (now.size > MAX_RECIPIENT_ATTACHMENT) throw fail('it grew too big to send');
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * The attachments folder of a campaign: its own, else its template's, else the folder of the spreadsheet its list
 * was imported from on the command line; null when none. Pass what is known (a preview has no campaign).
 */
export function attachmentsFolderOf(db: Db, ids: { campaignId?: number | null; templateId?: number | null; listId?: number | null }): string | null {
  const one = (sql: string, id: number | null | undefined): string | null =>
    id === null || id === undefined ? null : ((db.prepare(sql).get(id) as { dir: string | null } | undefined)?.dir ?? null);
  return (
    one(`SELECT attachments_dir AS dir FROM campaigns WHERE id = ?`, ids.campaignId) ??
    one(`SELECT attachments_dir AS dir FROM templates WHERE id = ?`, ids.templateId) ??
    one(`SELECT attachments_dir AS dir FROM lists WHERE id = ?`, ids.listId)
  );
}

/** Recipients whose attachment can't be sent: how many, and the first few with the reason (the review's check). */
export interface UnreadableAttachments {
  count: number;
  examples: Array<{ email: string; reason: string }>;
}

/**
 * Looks up the attachment `field` names for each recipient, in `folder`: of a started campaign (`startedId`), those
 * still to send; else the list's. A draft that isn't saved yet is reviewed this way too.
 */
export function scanAttachments(
  ctx: CoreContext,
  o: { field: string; folder: string | null; startedId: number | null; listId: number | null; maxExamples?: number },
): UnreadableAttachments {
  const out: UnreadableAttachments = { count: 0, examples: [] };
  const rows =
    o.startedId !== null
      ? ctx.db.prepare(`SELECT email, json_extract(fields, '$.' || json_quote(?)) AS v FROM outbox WHERE campaign_id = ? AND state IN ('queued', 'deferred') ORDER BY id`).iterate(o.field, o.startedId)
      : ctx.db.prepare(`SELECT email, json_extract(fields, '$.' || json_quote(?)) AS v FROM recipients WHERE list_id = ? ORDER BY id`).iterate(o.field, o.listId ?? -1);
  // Many recipients often share a file (a price list): a value found readable once isn't looked up again.
  const readable = new Set<string>();
  const lookUp = attachmentFinder(o.folder, ctx.dataDir);
  for (const r of rows as Iterable<{ email: string; v: unknown }>) {
    const value = r.v === null || r.v === undefined ? '' : String(r.v);
    if (readable.has(value)) continue;
    const found = lookUp(value, r.email, o.field);
    if (found.ok) {
      if (readable.size < 100_000) readable.add(value);
      continue;
    }
    out.count++;
    if (out.examples.length < (o.maxExamples ?? 5)) out.examples.push({ email: r.email, reason: found.reason });
  }
  return out;
}

/**
 * Reads a file a person chose to send with every message of a template (the command line's --attach, the desktop
 * file dialog): links are followed (the person picked the file), but the file itself must be a regular file of a
 * size a relay takes and outside the data folder; a pipe or device is refused instead of hanging or filling memory.
 */
export async function readChosenFile(dataDir: string, file: string): Promise<Buffer> {
  const full = path.resolve(file);
  let real: string;
  try {
    real = fs.realpathSync.native(full);
  } catch (err) {
    throw new PostroomError('FILE_UNREADABLE', `Couldn't read ${full}: ${(err as Error).message}. Check the path and that you may read the file.`);
  }
  // The window's own copies of files a person picked (hosts/uploads.ts: DATA/uploads/ID/NAME) are the one place in
  // the data folder that is read from.
  const upload = path.dirname(path.dirname(real)) === realOrSelf(path.join(dataDir, 'uploads'));
  const found = lookUpAttachment(path.dirname(real), upload ? null : dataDir, path.basename(real), path.basename(full), 'file');
  if (!found.ok) {
    const why = (found.detail ?? found.reason).replace(/\.$/, '');
    throw new PostroomError(found.kind === 'missing' || found.kind === 'unreadable' ? 'FILE_UNREADABLE' : 'INVALID_INPUT', `Couldn't attach ${full}: ${why}.`);
  }
  return readAttachment(found, path.basename(full));
}
