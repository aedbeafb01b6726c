/** The contract's template requests (templates, check, preview). */
import type { CoreContext } from '../context';
import type { Closer } from '../service';
import type { Handlers } from '../../../shared/contract';
import { templatesContract } from '../../../shared/contract/templates';

type TemplateHandlers = Pick<Handlers, keyof typeof templatesContract>;

export function templatesHandlers(ctx: CoreContext, _onClose: (c: Closer) => void): TemplateHandlers {
  return {
    'templates:list': () =>
      ctx.db
        .prepare(
          `SELECT id, name, subject, from_addr AS "from", format, updated_at AS updatedAt FROM templates ORDER BY updated_at DESC`,
        )
        .all() as Array<{ id: number; name: string; subject: string; from: string; format: 'html' | 'markdown'; updatedAt: number }>,
  };
}
