/** Relays: the accounts or servers mail is sent through. Owned by the relay work (issue 5). */
import { z } from 'zod';

export const Security = z.enum(['tls', 'starttls', 'none']);
export type Security = z.infer<typeof Security>;

export const RelaySummary = z.object({
  id: z.number().int(),
  name: z.string(),
  preset: z.string(),
  host: z.string(),
  port: z.number().int(),
  security: Security,
  user: z.string().nullable(),
});
export type RelaySummary = z.infer<typeof RelaySummary>;

export const relaysContract = {
  /** Every relay profile (never with its secret). */
  'relays:list': { input: z.object({}).strict(), output: z.array(RelaySummary) },
} as const;

export const relaysEvents = {} as const;
