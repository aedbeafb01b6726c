/** Relays: the accounts or servers mail is sent through. Owned by the relay work (issue 5). */
import { z } from 'zod';

export const Security = z.enum(['tls', 'starttls', 'none']);
export type Security = z.infer<typeof Security>;

export const PresetName = z.enum(['gmail', 'workspace', 'm365', 'ses', 'sendgrid', 'mailgun', 'postmark', 'custom']);
export type PresetName = z.infer<typeof PresetName>;

/** How the relay is logged in to: not at all, user + password, or user + OAuth2 access token (XOAUTH2). */
export const AuthKind = z.enum(['none', 'password', 'oauth2']);
export type AuthKind = z.infer<typeof AuthKind>;

const count = z.number().int().positive().nullable();

/** Sending limits of a relay; null = no limit of that unit. Shared by all connections, campaigns and processes. */
export const RelayLimits = z.object({
  perSecond: count,
  perMinute: count,
  perHour: count,
  /** Per rolling 24 hours, counted in recipients. */
  perDay: count,
  /** Connections open at once. */
  connections: z.number().int().min(1).max(50),
});
export type RelayLimits = z.infer<typeof RelayLimits>;

/** When deferred messages are tried again (ms): backoff from minMs to maxMs, failed after giveUpMs. */
export const RetryPolicy = z.object({
  minMs: z.number().int().min(0),
  maxMs: z.number().int().min(0),
  giveUpMs: z.number().int().min(0),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/** How much of the daily limit is used: for the status bar and the Outbox view. */
export const RelayQuota = z.object({
  /** Recipients handed to the relay in the last 24 hours (rolling, as Gmail and Microsoft count). */
  usedToday: z.number().int().nonnegative(),
  dailyLimit: z.number().int().positive().nullable(),
  /** When the next slot of the daily limit frees up (ms since epoch); null when not at the limit. */
  nextFreeAt: z.number().nullable(),
});
export type RelayQuota = z.infer<typeof RelayQuota>;

export const RelaySummary = z.object({
  id: z.number().int(),
  name: z.string(),
  preset: z.string(),
  host: z.string(),
  port: z.number().int(),
  security: Security,
  user: z.string().nullable(),
  auth: AuthKind,
  /** Where the password (or token) comes from: nowhere, sealed in the database, or an environment variable. Never the secret. */
  passwordSource: z.enum(['none', 'stored', 'env']),
  /** The environment variable's name when passwordSource is `env`. */
  passwordEnv: z.string().nullable(),
  /** Accept a self-signed or otherwise unverifiable certificate (off unless the person turned it on). */
  acceptSelfSigned: z.boolean(),
  limits: RelayLimits,
  retry: RetryPolicy,
  quota: RelayQuota,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type RelaySummary = z.infer<typeof RelaySummary>;

const name = z.string().trim().min(1, 'a relay needs a name').max(100);
const host = z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.\-:[\]_]+$/, 'not a host name');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name');

/** Fields of a relay a person sets. Omitted fields come from the preset (or the defaults of the command line spec). */
export const RelayFields = z.object({
  preset: PresetName.optional(),
  host: host.optional(),
  port: z.number().int().min(1).max(65535).optional(),
  security: Security.optional(),
  user: z.string().max(320).nullable().optional(),
  auth: AuthKind.optional(),
  /** The password (or OAuth2 access token): sealed with the OS keychain (safeStorage) before it is stored. */
  password: z.string().min(1).max(10_000).optional(),
  /** Instead of a stored password: the name of an environment variable read each time the relay is used. */
  passwordEnv: envName.optional(),
  acceptSelfSigned: z.boolean().optional(),
  limits: RelayLimits.partial().optional(),
  retry: RetryPolicy.partial().optional(),
});
export type RelayFields = z.infer<typeof RelayFields>;

export const RelayCreate = RelayFields.extend({ name }).strict();
export type RelayCreate = z.infer<typeof RelayCreate>;

export const RelayUpdate = RelayFields.extend({
  /** The relay to change (its current name). */
  relay: z.string().min(1),
  /** A new name. */
  name: name.optional(),
  /** Forget the stored password / environment variable. */
  clearPassword: z.boolean().optional(),
}).strict();
export type RelayUpdate = z.infer<typeof RelayUpdate>;

export const RelayRef = z.object({ relay: z.string().min(1) }).strict();

export const RelayTestRequest = z
  .object({
    relay: z.string().min(1).optional(),
    draft: RelayFields.extend({ name: name.optional() }).strict().optional(),
    /** Also send a short test message to this address. */
    sendTo: z.string().email().optional(),
  })
  .strict()
  .refine((v) => (v.relay === undefined) !== (v.draft === undefined), { message: 'give either relay or draft' });
export type RelayTestRequest = z.infer<typeof RelayTestRequest>;

export const RelayTestResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** `ok`, or what was done: "Connected with STARTTLS, logged in as … and sent a test message to …". */
    message: z.string(),
    /** Steps that passed, in order. */
    passed: z.array(z.string()),
  }),
  z.object({
    ok: z.literal(false),
    /** The step that failed. */
    step: z.enum(['dns', 'tcp', 'tls', 'smtp', 'auth', 'send']),
    /** What failed, why and what to do, in a person's words (with the server's reply when it gave one). */
    message: z.string(),
    passed: z.array(z.string()),
  }),
]);
export type RelayTestResult = z.infer<typeof RelayTestResult>;

export const PresetInfo = z.object({
  name: PresetName,
  label: z.string(),
  host: z.string().nullable(),
  port: z.number().int(),
  security: Security,
  user: z.string().nullable(),
  auth: z.array(z.enum(['password', 'oauth2'])),
  limits: RelayLimits,
  notes: z.string(),
});
export type PresetInfo = z.infer<typeof PresetInfo>;

export const relaysContract = {
  /** Every relay profile with its limits and today's quota (never with its secret). */
  'relays:list': { input: z.object({}).strict(), output: z.array(RelaySummary) },
  /** One relay by name. NOT_FOUND when there is none. */
  'relays:get': { input: RelayRef, output: RelaySummary },
  /** Adds a relay. The password is sealed (never stored in plain text); ALREADY_EXISTS when the name is taken. */
  'relays:create': { input: RelayCreate, output: RelaySummary },
  /** Changes a relay; only the given fields change. Limits take effect for sends already under way. */
  'relays:update': { input: RelayUpdate, output: RelaySummary },
  /** Removes a relay. CONFLICT while a campaign still uses it. */
  'relays:remove': { input: RelayRef, output: z.object({ removed: z.string() }) },
  /**
   * Connects to a relay and says which step failed (DNS, TCP, TLS, SMTP, authentication), optionally sending a
   * test message. `relay`: a saved relay by name; or `draft`: settings not saved yet (the form before "Add").
   */
  'relays:test': { input: RelayTestRequest, output: RelayTestResult },
  /** The providers Postroom knows, with their limits, to fill in a new relay. */
  'relays:presets': { input: z.object({}).strict(), output: z.array(PresetInfo) },
  /** Daily quota of every relay (for the status bar): used in the last 24 hours, limit, when the next slot frees. */
  'relays:quota': { input: z.object({}).strict(), output: z.array(RelayQuota.extend({ relay: z.string() })) },
} as const;

export const relaysEvents = {
  /** A relay was added, changed or removed (refetch relays:list). */
  'relays:changed': z.object({ relay: z.string() }),
} as const;
