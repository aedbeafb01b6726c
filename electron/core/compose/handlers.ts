/** The contract's template requests: templates and their files, check, preview, spam check, starters, DKIM keys. */
import path from 'node:path';
import { detectMimeType } from './headers';
import type { CoreContext } from '../context';
import type { Closer } from '../service';
import type { Handlers } from '../../../shared/contract';
import { PostroomError } from '../../../shared/errors';
import { normaliseFieldName } from '../../../shared/merge-fields';
import type { templatesContract} from '../../../shared/contract/templates';
import { type TemplateDraft } from '../../../shared/contract/templates';
import {
  copyTemplate,
  deleteAttachment,
  deleteTemplate,
  getTemplate,
  insertAttachment,
  insertTemplate,
  listTemplates,
  updateTemplate,
} from '../store/templates';
import { parseMailboxSource } from './headers';
import { checkTemplate } from './check';
import { buildPreview, resolveTemplate } from './preview';
import { resolveList } from '../store/lists';
import { spamCheck } from './spam';
import { loadStarters, startersDir } from './starters';
import { preferredLanguage, templateLanguage } from '../language';
import { addKey, hasDkimKey, listKeys, removeKey } from './dkim';
import { getRelay } from '../relay';
import { relaySignsMail } from '../relay/signing';
import { sendTest } from './send-test';
import { checkAttachmentsFolder, readChosenFile } from './attachments';
import { addInlineImage, inlineImage } from './inline-images';
import { setListAttachmentsFolder } from '../store/lists';
import { campaignsUsingTemplate } from '../outbox/campaigns';

type TemplateHandlers = Pick<Handlers, keyof typeof templatesContract>;

/** Attachments are kept in the database; beyond this a message would not get through most relays anyway. */
const MAX_ATTACHMENT = 20 * 1024 * 1024;

function normaliseDraft(ctx: CoreContext, d: TemplateDraft): TemplateDraft {
  parseMailboxSource(d.from, 'From address');
  return {
    ...d,
    attachField: d.attachField ? normaliseFieldName(d.attachField) : null,
    replyTo: d.replyTo?.trim() || null,
    attachmentsDir: d.attachmentsDir ? checkAttachmentsFolder(ctx, d.attachmentsDir) : null,
  };
}

function refuseWhenBusy(ctx: CoreContext, id: number, what: string): void {
  const busy = campaignsUsingTemplate(ctx.db, id);
  if (busy.length) {
    throw new PostroomError(
      'CONFLICT',
      `This template can't be ${what} while the campaign ${busy.map((b) => `"${b}"`).join(', ')} uses it: messages still to be sent would change. Finish or cancel the campaign first, or copy the template.`,
    );
  }
}

export function templatesHandlers(ctx: CoreContext, _onClose: (c: Closer) => void): TemplateHandlers {
  return {
    'templates:list': () => listTemplates(ctx.db),
    'templates:get': ({ id }) => getTemplate(ctx.db, id),
    'templates:create': (draft) => {
      const id = insertTemplate(ctx.db, { ...normaliseDraft(ctx, draft), language: templateLanguage(ctx, draft.language) }, ctx.clock.now());
      return getTemplate(ctx.db, id);
    },
    'templates:update': ({ id, template }) => {
      refuseWhenBusy(ctx, id, 'changed');
      // Without a language, the template keeps its own (the store's rule).
      updateTemplate(ctx.db, id, normaliseDraft(ctx, template), ctx.clock.now());
      return getTemplate(ctx.db, id);
    },
    'templates:duplicate': ({ id, name }) => {
      const original = getTemplate(ctx.db, id);
      let copyName = name ?? `${original.name} (copy)`;
      if (!name) for (let n = 2; listTemplates(ctx.db).some((t) => t.name.toLowerCase() === copyName.toLowerCase()); n++) copyName = `${original.name} (copy ${n})`;
      return getTemplate(ctx.db, copyTemplate(ctx.db, id, copyName, ctx.clock.now()));
    },
    'templates:remove': ({ id }) => {
      refuseWhenBusy(ctx, id, 'deleted');
      return { removed: deleteTemplate(ctx.db, id) };
    },
    'templates:addAttachment': async (input) => {
      let content: Buffer;
      let filename: string;
      if (input.path) {
        content = await readChosenFile(ctx.dataDir, input.path);
        filename = input.filename ?? path.basename(input.path);
      } else if (input.contentBase64 !== undefined && input.filename) {
        content = Buffer.from(input.contentBase64, 'base64');
        filename = path.basename(input.filename);
      } else {
        throw new PostroomError('INVALID_INPUT', 'Give the file to attach: a path, or a file name with its content.');
      }
      if (content.length > MAX_ATTACHMENT) {
        throw new PostroomError('INVALID_INPUT', `${filename} is ${Math.round(content.length / 1048576)} MB; relays refuse messages over about 20 MB. Share a link to it instead.`);
      }
      const contentType = detectMimeType(filename);
      const template = getTemplate(ctx.db, input.templateId);
      // An image the HTML already shows as cid:<file name> becomes inline without being asked.
      const cid = input.cid ?? (contentType.startsWith('image/') && template.body.includes(`cid:${filename}`) ? filename : null);
      return insertAttachment(ctx.db, input.templateId, { filename, contentType, cid, content }, ctx.clock.now());
    },
    'templates:addImage': async (input) => {
      refuseWhenBusy(ctx, input.templateId, 'changed');
      return addInlineImage(ctx, input);
    },
    'templates:image': (input) => inlineImage(ctx, input),
    'templates:removeAttachment': ({ templateId, attachmentId }) => ({
      removed: deleteAttachment(ctx.db, templateId, attachmentId, ctx.clock.now()),
    }),
    'templates:check': (input) => {
      const template = resolveTemplate(ctx, input);
      const fields = input.list ? resolveList(ctx.db, input.list).fields : (input.fields ?? []);
      let dkim: boolean | undefined;
      try {
        // A relay that signs what it carries asks for no key of ours.
        dkim = input.relay && relaySignsMail(getRelay(ctx, input.relay).preset) ? undefined : hasDkimKey(ctx, template.from);
      } catch {
        dkim = undefined; // the From problem itself is reported by the check
      }
      const unsubscribe = input.unsubscribe === undefined ? undefined : input.unsubscribe && (input.unsubscribe.url || input.unsubscribe.mailto) ? input.unsubscribe : null;
      return checkTemplate(template, fields, { dkim, unsubscribe, inlineCids: template.attachments.flatMap((a) => (a.cid ? [a.cid] : [])) });
    },
    'templates:preview': (input) => buildPreview(ctx, input, input),
    'templates:spamCheck': async (input) => {
      const preview = await buildPreview(ctx, input, input);
      return spamCheck(Buffer.from(preview.raw, 'utf8'));
    },
    'templates:sendTest': (input) => sendTest(ctx, input, input),
    'templates:starters': ({ lang }) => loadStarters(startersDir(), lang ?? preferredLanguage(ctx)),
    'dkim:list': () => listKeys(ctx),
    'dkim:add': (input) => addKey(ctx, input),
    'dkim:remove': ({ domain }) => ({ removed: removeKey(ctx, domain) }),
    'lists:setAttachmentsFolder': ({ list, folder }) => {
      const dir = folder === null ? null : checkAttachmentsFolder(ctx, folder);
      setListAttachmentsFolder(ctx.db, resolveList(ctx.db, list).id, dir);
      return { folder: dir };
    },
  };
}
