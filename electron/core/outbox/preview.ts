/**
 * `campaigns:preview`: the message exactly as the campaign would send it to one recipient. A campaign that has
 * started previews its fixed recipient (with the Message-ID it will go with); a draft looks the recipient up on
 * its list by the same rule as the template preview (compose/preview.ts, recipientOf).
 */
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/errors';
import { mailboxAddress } from '../../../shared/mailbox';
import { newMessageId, prepareComposer } from '../compose';
import { recipientOf } from '../compose/preview';
import { resolveList } from '../store/lists';
import { attachmentsFolderOf } from '../compose/attachments';
import { templateFrom } from '../store/templates';
import type { Campaign } from './campaigns';
import { unsubscribeOf } from './campaigns';
import { snapshotRecipient } from './rows';

export async function previewCampaign(ctx: CoreContext, c: Campaign, email: string) {
  if (c.templateId === null) throw new PostroomError('CONFLICT', `Campaign "${c.name}" has no template any more: it was deleted.`);
  const list = c.listId === null ? null : resolveList(ctx.db, c.listId);
  const snapshot = snapshotRecipient(ctx.db, c.id, email);
  const recipient = snapshot ?? (list ? recipientOf(ctx, list, { email: email.trim() }).recipient : null);
  if (!recipient) throw new PostroomError('NOT_FOUND', `${email} is not on the list of campaign "${c.name}".`);
  const composer = prepareComposer(ctx, { templateId: c.templateId, campaignName: c.name, listName: list?.name ?? '', unsubscribe: unsubscribeOf(c.unsubscribe),
    attachmentsDir: attachmentsFolderOf(ctx.db, { campaignId: c.id, templateId: c.templateId, listId: c.listId }),
  });
  const problem = composer.checkRecipient(recipient);
  if (problem) throw new PostroomError('TEMPLATE_INVALID', problem);
  const m = await composer.compose(recipient, snapshot?.messageId ?? newMessageId(mailboxAddress(templateFrom(ctx.db, c.templateId))));
  return { raw: m.raw.toString('utf8'), subject: m.subject, messageId: m.messageId, from: m.envelope.from, to: m.envelope.to };
}
