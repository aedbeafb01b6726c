/** The contract's sending requests (relays, campaigns, outbox control). */
import type { CoreContext } from '../context';
import type { Closer } from '../service';
import type { Handlers } from '../../../shared/contract';
import { sendingContract } from '../../../shared/contract/sending';

type SendingHandlers = Pick<Handlers, keyof typeof sendingContract>;

export function sendingHandlers(ctx: CoreContext, _onClose: (c: Closer) => void): SendingHandlers {
  return {
    'campaigns:list': () =>
      ctx.db
        .prepare(
          `SELECT c.id, c.name, c.state, l.name AS listName, t.name AS templateName, c.created_at AS createdAt,
                  (SELECT count(*) FROM outbox o WHERE o.campaign_id = c.id) AS total,
                  (SELECT count(*) FROM outbox o WHERE o.campaign_id = c.id AND o.state = 'sent') AS sent,
                  (SELECT count(*) FROM outbox o WHERE o.campaign_id = c.id AND o.state = 'failed') AS failed
             FROM campaigns c LEFT JOIN lists l ON l.id = c.list_id LEFT JOIN templates t ON t.id = c.template_id
            ORDER BY c.created_at DESC`,
        )
        .all() as Array<{ id: number; name: string; state: 'draft'; listName: string | null; templateName: string | null; total: number; sent: number; failed: number; createdAt: number }>,
  };
}
