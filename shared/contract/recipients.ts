/** Recipients: lists, import, suppression. Owned by the import work (issue 3). */
import { z } from 'zod';

export const ListSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  recipients: z.number().int().nonnegative(),
  fields: z.array(z.string()),
  source: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ListSummary = z.infer<typeof ListSummary>;

export const recipientsContract = {
  /** Every list with its recipient count and merge fields. */
  'lists:list': { input: z.object({}).strict(), output: z.array(ListSummary) },
} as const;

export const recipientsEvents = {} as const;
