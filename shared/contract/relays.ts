/** Relays: the accounts or servers mail is sent through. Owned by the relay work (issue 5). */
import { z } from 'zod';
import { CoreNote } from './sending';

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
  /**
   * With acceptSelfSigned: the SHA-256 fingerprint of the certificate that was accepted (`AB:CD:…`). Only that
   * certificate is accepted afterwards; null until the first connection after accepting pins the one it sees.
   */
  tlsFingerprint: z.string().nullable().optional(),
  limits: RelayLimits,
  retry: RetryPolicy,
  quota: RelayQuota,
  /** For `oauth2` relays: whether Postroom holds a sign-in it can renew (false after a refused renewal, until the next sign-in). */
  signedIn: z.boolean().optional(),
  /** For `oauth2` relays: what it signs in with and as whom. Never a token. */
  oauth: z
    .object({
      issuer: z.string().nullable(),
      /** `microsoft` or `google` when the issuer is one of theirs (the window's "Sign in with …" button). */
      provider: z.enum(['microsoft', 'google']).nullable(),
      /** The client ID used (the relay's own, else the default), or null when none is configured. */
      clientId: z.string().nullable(),
      clientIdSource: z.enum(['relay', 'environment', 'settings', 'built-in', 'none']),
      clientSecretEnv: z.string().nullable(),
      scopes: z.array(z.string()),
      signedInAs: z.string().nullable(),
      signedInAt: z.number().nullable(),
      /** Why a sign-in is needed (e.g. the provider refused to renew access), in a person's words. */
      problem: z.string().nullable(),
    })
    .nullable()
    .optional(),
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
  /** The certificate's SHA-256 fingerprint the person accepted (from a test); left out, the next connection pins it. */
  tlsFingerprint: z
    .string()
    .trim()
    .regex(/^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, 'not a SHA-256 fingerprint')
    .nullable()
    .optional(),
  /** OAuth2: the authorization server (any issuer with discovery metadata); presets know theirs. */
  oauthIssuer: z.string().url().max(2000).optional(),
  /** OAuth2: the app registration's client ID; null goes back to the default for the provider. */
  oauthClientId: z.string().trim().min(1).max(500).nullable().optional(),
  /** OAuth2: an environment variable holding the client secret, for registrations that have one (Google's desktop apps). */
  oauthClientSecretEnv: envName.optional(),
  /** OAuth2: space-separated scopes that replace the preset's. */
  oauthScope: z.string().trim().min(1).max(2000).optional(),
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

/** The steps of a connection test, in order; a failed test or detection names the one that failed. */
const TestStep = z.enum(['dns', 'tcp', 'tls', 'smtp', 'token', 'auth', 'send']);

export const RelayTestResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** `ok`, or what was done: "Connected with STARTTLS, logged in as … and sent a test message to …". */
    message: z.string(),
    /** The same by code, for the window to word in its language. */
    note: CoreNote.optional(),
    /** Steps that passed, in order. */
    passed: z.array(z.string()),
    /** The server's certificate (TLS and STARTTLS): its SHA-256 fingerprint, and whether an authority vouches for it. */
    certificate: z.object({ fingerprint: z.string(), trusted: z.boolean() }).nullable().optional(),
  }),
  z.object({
    ok: z.literal(false),
    /** The step that failed. */
    step: TestStep,
    /** What failed, why and what to do, in a person's words (with the server's reply when it gave one). */
    message: z.string(),
    /** The same by code, when the test has one for it (absent: show `message`). */
    note: CoreNote.optional(),
    passed: z.array(z.string()),
  }),
]);
export type RelayTestResult = z.infer<typeof RelayTestResult>;

/** What `relays:detect` found: the port and security that worked, or the furthest any attempt got. */
const DetectTried = z.array(z.object({ port: z.number().int(), security: Security, ok: z.boolean(), message: z.string() }));
export const RelayDetectResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), host: z.string(), port: z.number().int(), security: Security, message: z.string(), note: CoreNote.optional(), passed: z.array(z.string()), tried: DetectTried }),
  z.object({
    ok: z.literal(false),
    step: TestStep,
    message: z.string(),
    note: CoreNote.optional(),
    passed: z.array(z.string()),
    tried: DetectTried,
  }),
]);
export type RelayDetectResult = z.infer<typeof RelayDetectResult>;

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

/** Which sign-in provider a default client ID is for. */
export const OAuthProvider = z.enum(['microsoft', 'google']);
export type OAuthProvider = z.infer<typeof OAuthProvider>;

/** The default app registration of a provider: where its client ID comes from. */
export const SignInApp = z.object({
  provider: OAuthProvider,
  label: z.string(),
  clientId: z.string().nullable(),
  source: z.enum(['environment', 'settings', 'built-in', 'none']),
  /** The environment variable that overrides it. */
  env: z.string(),
});
export type SignInApp = z.infer<typeof SignInApp>;

export const SignInStarted = z.object({
  /** Identifies this sign-in (to cancel it, and in its events). */
  attempt: z.string(),
  relay: z.string(),
  /** The provider's sign-in page, to open in a browser. Carries no secret (PKCE keeps the verifier here). */
  url: z.string(),
});
export type SignInStarted = z.infer<typeof SignInStarted>;

export const SignInDone = z.object({
  attempt: z.string(),
  relay: z.string(),
  ok: z.boolean(),
  /** "Signed in as …", or what went wrong and what to do. */
  message: z.string(),
  address: z.string().nullable(),
});
export type SignInDone = z.infer<typeof SignInDone>;

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
  /**
   * For a server whose settings the person doesn't know: tries 465 TLS, 587 STARTTLS and 25 STARTTLS (a port
   * given as "host:port" instead of those) and answers the first that connects and signs in. Unencrypted only for
   * a server on this computer or with `allowUnencrypted`. Saves nothing.
   */
  'relays:detect': {
    input: z.object({ draft: RelayFields.extend({ name: name.optional() }).strict(), allowUnencrypted: z.boolean().optional() }).strict(),
    output: RelayDetectResult,
  },
  /** The providers Postroom knows, with their limits, to fill in a new relay. */
  'relays:presets': { input: z.object({}).strict(), output: z.array(PresetInfo) },
  /** Daily quota of every relay (for the status bar): used in the last 24 hours, limit, when the next slot frees. */
  'relays:quota': { input: z.object({}).strict(), output: z.array(RelayQuota.extend({ relay: z.string() })) },
  /**
   * Starts signing in to an `oauth2` relay (authorization code + PKCE, redirect to a loopback port): answers with
   * the provider's page to open; `relays:signInDone` follows when the person finished, declined, or time ran out.
   */
  'relays:signIn': {
    input: z.object({ relay: z.string().min(1), timeoutMs: z.number().int().min(1000).max(3_600_000).optional() }).strict(),
    output: SignInStarted,
  },
  /** Stops waiting for a sign-in (the person closed the form or pressed Cancel). */
  'relays:signInCancel': { input: z.object({ attempt: z.string().min(1) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** Forgets the relay's tokens (it needs a new sign-in before sending). */
  'relays:signOut': { input: RelayRef, output: RelaySummary },
  /** The default app registrations (client IDs) for Microsoft and Google, and where each comes from. */
  'relays:signInApps': { input: z.object({}).strict(), output: z.array(SignInApp) },
  /** Sets (or, with null, clears) the client ID saved in Settings for a provider. */
  'relays:setSignInApp': {
    input: z.object({ provider: OAuthProvider, clientId: z.string().trim().min(1).max(500).nullable() }).strict(),
    output: z.array(SignInApp),
  },
} as const;

export const relaysEvents = {
  /** A relay was added, changed or removed (refetch relays:list). */
  'relays:changed': z.object({ relay: z.string() }),
  /** A sign-in began: the desktop app opens `url` in the system browser. */
  'relays:signInStarted': SignInStarted,
  /** A sign-in ended: signed in, declined, timed out, cancelled, or refused. */
  'relays:signInDone': SignInDone,
} as const;
