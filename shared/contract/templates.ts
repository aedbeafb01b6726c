/** Templates: merge templates, composition, preview. Owned by the compose work (issue 4). */
import { z } from 'zod';

export const TemplateSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  subject: z.string(),
  from: z.string(),
  format: z.enum(['html', 'markdown']),
  updatedAt: z.number(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

export const templatesContract = {
  /** Every template, newest change first. */
  'templates:list': { input: z.object({}).strict(), output: z.array(TemplateSummary) },
} as const;

export const templatesEvents = {} as const;
