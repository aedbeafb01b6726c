/**
 * Providers people send through, with the limits each one publishes. A preset fills in the host, port, security
 * and limits of a new relay; every value stays editable, because plans differ (a paid SendGrid plan is not the
 * free one) and providers change their numbers.
 */
import type { PresetName, Security } from '../../../shared/contract/relays';

export type { PresetName };

export interface Preset {
  name: PresetName;
  label: string;
  host: string | null;
  port: number;
  security: Security;
  /** The user name the provider expects when it is fixed (SendGrid: `apikey`). */
  user: string | null;
  /** Which logins the provider accepts. */
  auth: Array<'password' | 'oauth2'>;
  limits: { perSecond: number | null; perMinute: number | null; perHour: number | null; perDay: number | null; connections: number };
  /** Where the numbers come from and what to change for other plans, in a person's words. */
  notes: string;
}

export const PRESET_NAMES = ['gmail', 'workspace', 'm365', 'ses', 'sendgrid', 'mailgun', 'postmark', 'custom'] as const satisfies readonly PresetName[];

const none = { perSecond: null, perMinute: null, perHour: null, perDay: null };

export const PRESETS: Record<PresetName, Preset> = {
  gmail: {
    name: 'gmail',
    label: 'Gmail',
    host: 'smtp.gmail.com',
    port: 587,
    security: 'starttls',
    user: null,
    auth: ['oauth2', 'password'],
    limits: { ...none, perDay: 500, connections: 3 },
    notes: 'Gmail accounts may send to 500 recipients a day (rolling 24 hours). Use an app password or sign in with Google (OAuth2).',
  },
  workspace: {
    name: 'workspace',
    label: 'Google Workspace',
    host: 'smtp.gmail.com',
    port: 587,
    security: 'starttls',
    user: null,
    auth: ['oauth2', 'password'],
    limits: { ...none, perDay: 2000, connections: 3 },
    notes: 'Google Workspace accounts may send to 2,000 recipients a day (rolling 24 hours); trial accounts to 500.',
  },
  m365: {
    name: 'm365',
    label: 'Microsoft 365',
    host: 'smtp.office365.com',
    port: 587,
    security: 'starttls',
    user: null,
    auth: ['oauth2', 'password'],
    limits: { ...none, perMinute: 30, perDay: 10000, connections: 3 },
    notes: 'Exchange Online allows 30 messages a minute, 10,000 recipients a day and 3 connections at once per mailbox. Password sign-in for sending (Basic authentication) stops working at the end of December 2026: sign in with Microsoft instead.',
  },
  ses: {
    name: 'ses',
    label: 'Amazon SES',
    host: 'email-smtp.us-east-1.amazonaws.com',
    port: 587,
    security: 'starttls',
    user: null,
    auth: ['password'],
    limits: { ...none, perSecond: 1, perDay: 200, connections: 1 },
    notes: 'These are the SES sandbox limits (1 message a second, 200 a day). Out of the sandbox, enter your account’s own quota; change the host to your region’s endpoint.',
  },
  sendgrid: {
    name: 'sendgrid',
    label: 'SendGrid',
    host: 'smtp.sendgrid.net',
    port: 587,
    security: 'starttls',
    user: 'apikey',
    auth: ['password'],
    limits: { ...none, perDay: 100, connections: 4 },
    notes: 'The user name is literally "apikey" and the password is your API key. The free plan sends 100 a day; raise the daily limit for paid plans.',
  },
  mailgun: {
    name: 'mailgun',
    label: 'Mailgun',
    host: 'smtp.mailgun.org',
    port: 587,
    security: 'starttls',
    user: null,
    auth: ['password'],
    limits: { ...none, perDay: 100, connections: 4 },
    notes: 'The free plan sends 100 a day; raise the daily limit for paid plans. EU domains use smtp.eu.mailgun.org.',
  },
  postmark: {
    name: 'postmark',
    label: 'Postmark',
    host: 'smtp.postmarkapp.com',
    port: 587,
    security: 'starttls',
    user: null,
    auth: ['password'],
    limits: { ...none, connections: 4 },
    notes: 'Use a Server API token as both user name and password. Postmark publishes no sending rate; its broadcast stream is the one for newsletters.',
  },
  custom: {
    name: 'custom',
    label: 'Other SMTP server',
    host: null,
    port: 587,
    security: 'starttls',
    user: null,
    auth: ['password', 'oauth2'],
    limits: { ...none, connections: 4 },
    notes: 'Any SMTP server. Ask your provider for its sending limits and enter them, so Postroom never exceeds them.',
  },
};

/** The preset a profile was made from; unknown names (from a newer version) count as custom. */
export function presetOf(name: string): Preset {
  return (PRESETS as Record<string, Preset>)[name] ?? PRESETS.custom;
}
