/** Relay commands: relay add/list/remove/test (../shared/spec/cli.md, "Relays"). */
import { spawn } from 'node:child_process';
import type { CliCommand, CliContext, OptionSpec } from './types';
import { UsageError } from './types';
import { json, table } from './output';
import { PostroomError, type ErrorCode } from '../../../shared/result';
import { PresetName, Security, type RelayCreate, type RelaySummary, type RelayTestResult, type SignInDone } from '../../../shared/contract/relays';
import { formatDuration, parseDuration, parseRate } from '../../core/relay/units';

function str(ctx: CliContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

function wholeNumber(ctx: CliContext, name: string, min: number, max: number): number | undefined {
  const v = str(ctx, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${v}".`);
  return n;
}

/** Parses with a core helper; a value that doesn't parse is a usage error (exit 2). */
function usage<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof PostroomError) throw new UsageError(`--${name}: ${err.message}`);
    throw err;
  }
}

function oneOf<T extends string>(ctx: CliContext, name: string, choices: readonly T[]): T | undefined {
  const v = str(ctx, name);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, not "${v}".`);
  return v as T;
}

/** `--rate`, `--daily`, `--connections` → the contract's partial limits. */
function limitsFrom(ctx: CliContext): RelayCreate['limits'] {
  const limits: NonNullable<RelayCreate['limits']> = {};
  const rate = str(ctx, 'rate');
  if (rate !== undefined) {
    const r = usage('rate', () => parseRate(rate));
    if (r.unit === 'second') limits.perSecond = r.count;
    else if (r.unit === 'minute') limits.perMinute = r.count;
    else limits.perHour = r.count;
  }
  const daily = wholeNumber(ctx, 'daily', 1, 100_000_000);
  if (daily !== undefined) limits.perDay = daily;
  const connections = wholeNumber(ctx, 'connections', 1, 50);
  if (connections !== undefined) limits.connections = connections;
  return limits;
}

function retryFrom(ctx: CliContext): RelayCreate['retry'] {
  const retry: NonNullable<RelayCreate['retry']> = {};
  for (const [flag, key] of [['retry-min', 'minMs'], ['retry-max', 'maxMs'], ['give-up', 'giveUpMs']] as const) {
    const v = str(ctx, flag);
    if (v !== undefined) retry[key] = usage(flag, () => parseDuration(v));
  }
  return retry;
}

/** "5/s, 500/day, 3 connections" */
export function describeLimits(r: RelaySummary): string {
  const l = r.limits;
  const parts = [
    l.perSecond && `${l.perSecond}/s`,
    l.perMinute && `${l.perMinute}/m`,
    l.perHour && `${l.perHour}/h`,
    l.perDay && `${l.perDay.toLocaleString('en-US')}/day`,
  ].filter(Boolean);
  return `${parts.length ? parts.join(', ') : 'no rate limit'}, ${l.connections} connection${l.connections === 1 ? '' : 's'}`;
}

/** The options `relay add` and `relay edit` share. */
const RELAY_OPTIONS: OptionSpec = {
  host: { type: 'string' },
  port: { type: 'string' },
  security: { type: 'string' },
  user: { type: 'string' },
  'password-env': { type: 'string' },
  auth: { type: 'string' },
  connections: { type: 'string' },
  rate: { type: 'string' },
  daily: { type: 'string' },
  'retry-min': { type: 'string' },
  'retry-max': { type: 'string' },
  'give-up': { type: 'string' },
  'accept-self-signed': { type: 'boolean' },
  'tls-fingerprint': { type: 'string' },
  'oauth-issuer': { type: 'string' },
  'oauth-client-id': { type: 'string' },
  'oauth-client-secret-env': { type: 'string' },
  'oauth-scope': { type: 'string' },
};

/** `--oauth-*` → the contract's OAuth2 fields (checked by the core: https issuer, scopes). */
function oauthFrom(ctx: CliContext): Pick<RelayCreate, 'oauthIssuer' | 'oauthClientId' | 'oauthClientSecretEnv' | 'oauthScope'> {
  const issuer = str(ctx, 'oauth-issuer');
  if (issuer !== undefined && !/^https?:\/\/\S+$/.test(issuer)) throw new UsageError(`--oauth-issuer takes the address of the sign-in provider (https://…), not "${issuer}".`);
  const secretEnv = str(ctx, 'oauth-client-secret-env');
  if (secretEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(secretEnv)) {
    throw new UsageError(`--oauth-client-secret-env takes the NAME of an environment variable (e.g. OAUTH_CLIENT_SECRET), not "${secretEnv}".`);
  }
  const out: Pick<RelayCreate, 'oauthIssuer' | 'oauthClientId' | 'oauthClientSecretEnv' | 'oauthScope'> = {};
  if (issuer !== undefined) out.oauthIssuer = issuer;
  const clientId = str(ctx, 'oauth-client-id');
  if (clientId !== undefined) out.oauthClientId = clientId;
  if (secretEnv !== undefined) out.oauthClientSecretEnv = secretEnv;
  const scope = str(ctx, 'oauth-scope');
  if (scope !== undefined) out.oauthScope = scope;
  return out;
}

/** How a relay logs in, for `relay list`: "password", "signed in as a@b", "sign in needed". */
function describeAuth(r: RelaySummary): string {
  if (r.auth !== 'oauth2') return r.auth;
  if (r.signedIn) return `signed in${r.oauth?.signedInAs ? ` as ${r.oauth.signedInAs}` : ''}`;
  return 'sign in needed';
}

/** Opens an address in the system browser; a computer without one just doesn't (the address is printed anyway). */
function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd as string, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no browser here
  }
}

function passwordEnvOf(ctx: CliContext): string | undefined {
  const v = str(ctx, 'password-env');
  if (v !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) {
    throw new UsageError(`--password-env takes the NAME of an environment variable (e.g. SMTP_PASSWORD), not "${v}".`);
  }
  return v;
}

const TEST_ERROR: Record<Extract<RelayTestResult, { ok: false }>['step'], ErrorCode> = {
  dns: 'DNS_FAILED',
  tcp: 'RELAY_UNREACHABLE',
  tls: 'TLS_FAILED',
  smtp: 'RELAY_UNREACHABLE',
  token: 'AUTH_FAILED',
  auth: 'AUTH_FAILED',
  send: 'SEND_FAILED',
};

const STEP_LABEL = { dns: 'DNS', tcp: 'TCP', tls: 'TLS', smtp: 'SMTP', token: 'sign-in token', auth: 'authentication', send: 'test message' } as const;

export const relayCommands: CliCommand[] = [
  {
    name: 'relay add',
    usage:
      'NAME --host HOST --port PORT [--security tls|starttls|none] [--user USER] [--password-env VAR] [--preset gmail|workspace|m365|ses|sendgrid|mailgun|postmark|custom] [--connections N] [--rate N/s|N/m|N/h] [--daily N] [--retry-min DURATION] [--retry-max DURATION] [--give-up DURATION] [--auth password|oauth2] [--oauth-issuer URL] [--oauth-client-id ID] [--oauth-client-secret-env VAR] [--oauth-scope SCOPE] [--accept-self-signed [--tls-fingerprint SHA256]]',
    summary: 'Add a relay: the SMTP server or account your mail is sent through.',
    details: [
      'The password is never stored in plain text: --password-env VAR names an environment variable read each time',
      'Postroom sends. --auth oauth2 signs in instead (Microsoft 365, Google): add the relay, then run',
      "'postroom relay login NAME'. The m365, workspace and gmail presets know their provider; --oauth-issuer takes any",
      'issuer that publishes discovery metadata. --oauth-client-id is the app registration to sign in with (default:',
      'POSTROOM_MICROSOFT_CLIENT_ID / POSTROOM_GOOGLE_CLIENT_ID, then Settings, then the one this build carries, if any).',
      'A preset fills in the host, port and the provider\'s limits; any flag you give overrides it.',
      'Defaults: security starttls, connections from the preset (custom: 4), no rate limit unless the preset sets one,',
      'retry-min 1m, retry-max 1h, give-up 48h. Durations: 500ms, 30s, 5m, 2h, 3d.',
      '--accept-self-signed trusts a certificate no authority signed (only for your own server): the one with',
      '--tls-fingerprint SHA256, else the one the first connection sees (relay test shows it); a different one is refused.',
    ].join('\n'),
    options: { ...RELAY_OPTIONS, preset: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const preset = oneOf(ctx, 'preset', PresetName.options);
      const host = str(ctx, 'host');
      if (!host && (!preset || preset === 'custom')) throw new UsageError('relay add needs --host HOST (or a --preset that knows the host).');
      const passwordEnv = passwordEnvOf(ctx);
      const auth = oneOf(ctx, 'auth', ['none', 'password', 'oauth2'] as const);
      const input: RelayCreate = {
        name: ctx.positionals[0]!,
        preset,
        host,
        port: wholeNumber(ctx, 'port', 1, 65535),
        security: oneOf(ctx, 'security', Security.options) ?? 'starttls',
        user: str(ctx, 'user'),
        auth,
        passwordEnv,
        acceptSelfSigned: ctx.values['accept-self-signed'] === true ? true : undefined,
        tlsFingerprint: str(ctx, 'tls-fingerprint'),
        limits: limitsFrom(ctx),
        retry: retryFrom(ctx),
        ...oauthFrom(ctx),
      };
      if (input.user === undefined) delete input.user;
      const relay = await ctx.call('relays:create', input);
      if (ctx.json) {
        ctx.io.out(json(relay));
        return;
      }
      ctx.io.out(`Added relay "${relay.name}": ${relay.host}:${relay.port} (${relay.security}), ${describeLimits(relay)}.`);
      if (relay.auth === 'oauth2') {
        ctx.io.out(`Sign in to it with 'postroom relay login ${relay.name}'.`);
      } else if (passwordEnv && !ctx.io.env[passwordEnv]) {
        ctx.io.out(`Note: ${passwordEnv} is not set in this shell; set it before sending. Check the relay with 'postroom relay test ${relay.name}'.`);
      } else {
        ctx.io.out(`Check it with 'postroom relay test ${relay.name}'.`);
      }
    },
  },
  {
    name: 'relay edit',
    usage:
      'NAME [--name NEW_NAME] [--host HOST] [--port PORT] [--security tls|starttls|none] [--user USER] [--password-env VAR | --no-password] [--auth none|password|oauth2] [--connections N] [--rate N/s|N/m|N/h] [--daily N] [--retry-min DURATION] [--retry-max DURATION] [--give-up DURATION] [--oauth-issuer URL] [--oauth-client-id ID] [--oauth-client-secret-env VAR] [--oauth-scope SCOPE] [--accept-self-signed [--tls-fingerprint SHA256] | --verify-certificate]',
    summary: "Change a relay's settings or limits, also while campaigns send through it (rate limits apply at once).",
    details:
      'Only the options you give change. --rate sets the limit of its unit and leaves the others as they are.\n' +
      '--accept-self-signed accepts the server\'s certificate afresh: the one --tls-fingerprint names, else the next one seen.',
    options: { ...RELAY_OPTIONS, name: { type: 'string' }, 'no-password': { type: 'boolean' }, 'verify-certificate': { type: 'boolean' } },
    positionals: 1,
    async run(ctx) {
      const passwordEnv = passwordEnvOf(ctx);
      if (passwordEnv !== undefined && ctx.values['no-password']) throw new UsageError('Give --password-env or --no-password, not both.');
      if (ctx.values['accept-self-signed'] && ctx.values['verify-certificate']) throw new UsageError('Give --accept-self-signed or --verify-certificate, not both.');
      const relay = await ctx.call('relays:update', {
        relay: ctx.positionals[0]!,
        name: str(ctx, 'name'),
        host: str(ctx, 'host'),
        port: wholeNumber(ctx, 'port', 1, 65535),
        security: oneOf(ctx, 'security', Security.options),
        user: str(ctx, 'user'),
        auth: oneOf(ctx, 'auth', ['none', 'password', 'oauth2'] as const) ?? (ctx.values['no-password'] ? 'none' : undefined),
        passwordEnv,
        clearPassword: ctx.values['no-password'] === true ? true : undefined,
        acceptSelfSigned: ctx.values['accept-self-signed'] ? true : ctx.values['verify-certificate'] ? false : undefined,
        tlsFingerprint: str(ctx, 'tls-fingerprint') ?? (ctx.values['accept-self-signed'] ? null : undefined),
        limits: limitsFrom(ctx),
        retry: retryFrom(ctx),
        ...oauthFrom(ctx),
      });
      ctx.io.out(ctx.json ? json(relay) : `Changed relay "${relay.name}": ${relay.host}:${relay.port} (${relay.security}), ${describeLimits(relay)}.`);
    },
  },
  {
    name: 'relay list',
    usage: '[--json]',
    summary: 'Show your relays (the accounts or servers your mail is sent through).',
    async run(ctx) {
      const relays = await ctx.call('relays:list', {});
      if (ctx.json) ctx.io.out(json(relays));
      else if (relays.length === 0) ctx.io.out("No relays yet. Add one with 'postroom relay add NAME --host HOST --port PORT'.");
      else
        ctx.io.out(
          table(
            ['RELAY', 'HOST', 'PORT', 'SECURITY', 'USER', 'LOGIN', 'LIMITS', 'TODAY', 'RETRY'],
            relays.map((r) => [
              r.name,
              r.host,
              r.port,
              r.security,
              r.user,
              describeAuth(r),
              describeLimits(r),
              r.quota.dailyLimit ? `${r.quota.usedToday}/${r.quota.dailyLimit}` : r.quota.usedToday,
              `${formatDuration(r.retry.minMs)}–${formatDuration(r.retry.maxMs)}, give up ${formatDuration(r.retry.giveUpMs)}`,
            ]),
          ),
        );
    },
  },
  {
    name: 'relay login',
    usage: 'NAME [--no-browser] [--timeout DURATION]',
    summary: 'Sign in to a relay that signs in with OAuth2 (Microsoft 365, Google): opens the sign-in page and waits.',
    details: [
      'Prints the address of the sign-in page (and opens it in your browser unless --no-browser), then waits for you to',
      'finish there (default 5m). The page sends your browser back to http://127.0.0.1:PORT/callback on this computer.',
      'Postroom keeps the refresh token sealed, like a password, and renews access by itself from then on.',
    ].join('\n'),
    options: { 'no-browser': { type: 'boolean' }, timeout: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const t = str(ctx, 'timeout');
      const timeoutMs = t === undefined ? undefined : usage('timeout', () => parseDuration(t));
      if (timeoutMs !== undefined && (timeoutMs < 1000 || timeoutMs > 3_600_000)) throw new UsageError('--timeout must be between 1s and 1h.');
      const events = ctx.service().events;
      const ended: SignInDone[] = [];
      let wake: () => void = () => undefined;
      const off = events.on('relays:signInDone', (d) => {
        ended.push(d);
        wake();
      });
      try {
        const started = await ctx.call('relays:signIn', { relay: ctx.positionals[0]!, timeoutMs });
        const line = `Open this address to sign in: ${started.url}`;
        if (ctx.json) ctx.io.err(line);
        else ctx.io.out(line);
        if (!ctx.values['no-browser']) openBrowser(started.url);
        const stop = () => void ctx.call('relays:signInCancel', { attempt: started.attempt }).catch(() => undefined);
        ctx.io.stopSignal.addEventListener('abort', stop, { once: true });
        let done: SignInDone | undefined;
        while (!(done = ended.find((d) => d.attempt === started.attempt))) await new Promise<void>((r) => (wake = r));
        ctx.io.stopSignal.removeEventListener('abort', stop);
        if (!done.ok) throw new PostroomError(ctx.io.stopSignal.aborted ? 'CANCELLED' : 'AUTH_FAILED', `relay "${done.relay}": not signed in. ${done.message}`);
        ctx.io.out(ctx.json ? json({ relay: done.relay, signedIn: true, address: done.address }) : done.message);
      } finally {
        off();
      }
    },
  },
  {
    name: 'relay logout',
    usage: 'NAME',
    summary: "Forget a relay's sign-in (its tokens). It needs 'relay login' again before it can send.",
    positionals: 1,
    async run(ctx) {
      const r = await ctx.call('relays:signOut', { relay: ctx.positionals[0]! });
      ctx.io.out(ctx.json ? json(r) : `Signed out of relay "${r.name}".`);
    },
  },
  {
    name: 'relay remove',
    usage: 'NAME',
    summary: 'Remove a relay (not while a campaign still uses it).',
    positionals: 1,
    async run(ctx) {
      const r = await ctx.call('relays:remove', { relay: ctx.positionals[0]! });
      ctx.io.out(ctx.json ? json(r) : `Removed relay "${r.removed}".`);
    },
  },
  {
    name: 'relay test',
    usage: 'NAME [--send-to ADDRESS]',
    summary: 'Connect to a relay and say exactly what fails (DNS, TCP, TLS, authentication), or ok.',
    details: 'With --send-to ADDRESS it also sends a short test message there.',
    options: { 'send-to': { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const sendTo = str(ctx, 'send-to');
      if (sendTo !== undefined && !/^[^\s@]+@[^\s@]+$/.test(sendTo)) throw new UsageError(`--send-to needs an e-mail address, not "${sendTo}".`);
      const result = await ctx.call('relays:test', { relay: ctx.positionals[0]!, sendTo });
      if (ctx.json) ctx.io.out(json(result));
      if (!result.ok) throw new PostroomError(TEST_ERROR[result.step], `relay "${ctx.positionals[0]}": ${STEP_LABEL[result.step]} failed. ${result.message}`);
      if (!ctx.json) ctx.io.out('ok');
    },
  },
];
