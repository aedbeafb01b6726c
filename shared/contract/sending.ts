/** Campaigns, the outbox and its engine. Owned by the outbox work (issue 5). */
import { z } from 'zod';

export const CampaignState = z.enum(['draft', 'scheduled', 'sending', 'waiting', 'paused', 'completed', 'cancelled']);
export type CampaignState = z.infer<typeof CampaignState>;

export const CampaignSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  state: CampaignState,
  listName: z.string().nullable(),
  templateName: z.string().nullable(),
  total: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  createdAt: z.number(),
});
export type CampaignSummary = z.infer<typeof CampaignSummary>;

export const sendingContract = {
  /** Every campaign with its counts, newest first. */
  'campaigns:list': { input: z.object({}).strict(), output: z.array(CampaignSummary) },
} as const;

export const sendingEvents = {} as const;
