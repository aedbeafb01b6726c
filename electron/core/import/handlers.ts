/** The contract's recipient requests (lists, import, suppression). */
import type { CoreContext } from '../context';
import type { Closer } from '../service';
import type { Handlers } from '../../../shared/contract';
import { recipientsContract } from '../../../shared/contract/recipients';

type RecipientHandlers = Pick<Handlers, keyof typeof recipientsContract>;

export function recipientsHandlers(ctx: CoreContext, _onClose: (c: Closer) => void): RecipientHandlers {
  return {
    'lists:list': () =>
      (
        ctx.db
          .prepare(
            `SELECT l.id, l.name, l.source, l.fields, l.created_at AS createdAt, l.updated_at AS updatedAt,
                    (SELECT count(*) FROM recipients r WHERE r.list_id = l.id) AS recipients
               FROM lists l ORDER BY l.name`,
          )
          .all() as Array<{ id: number; name: string; source: string | null; fields: string; createdAt: number; updatedAt: number; recipients: number }>
      ).map((r) => ({ ...r, fields: JSON.parse(r.fields) as string[] })),
  };
}
