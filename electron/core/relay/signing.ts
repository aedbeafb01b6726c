/**
 * Whether a relay DKIM-signs the mail it carries itself, so that Postroom need not ask for a key of its own:
 * Gmail and Google Workspace, Microsoft 365, and the sending services (SES, SendGrid, Mailgun, Postmark) sign
 * every message they accept (with the sender's domain once it is set up there, else their own). Only a
 * plain SMTP server ("custom") leaves signing to Postroom.
 */
const SIGNING_PRESETS = new Set(['gmail', 'workspace', 'm365', 'ses', 'sendgrid', 'mailgun', 'postmark']);

export function relaySignsMail(preset: string): boolean {
  return SIGNING_PRESETS.has(preset);
}
