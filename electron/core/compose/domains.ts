/**
 * Sender domains and their health in DNS: is the relay allowed by SPF, is the DKIM key's record published and the
 * same as the key kept, is there a DMARC policy, and what Gmail's and Yahoo's bulk-sender rules expect
 * (since February 2024: SPF and DKIM, a DMARC policy, a From domain aligned with one of them, one-click unsubscribe).
 *
 * Lookups go through node:dns's Resolver on the servers the service was given (ctx.dnsServers; the system's
 * otherwise), so tests point it at a DNS server of their own on 127.0.0.1.
 */
import net from 'node:net';
import type * as DnsPromises from 'node:dns/promises';
import { onFirstUse } from '../first-use';
import type { CoreContext } from '../context';
import type { Handlers } from '../../../shared/contract';
import type { BulkSenderRule, domainsContract, DomainCheck, DomainHealth, SenderDomain } from '../../../shared/contract/domains';
import { PostroomError } from '../../../shared/errors';
import { splitMailbox } from '../../../shared/mailbox';
import { listTemplates } from '../store/templates';
import { getRelay, listRelays, type RelayProfile } from '../relay';
import { listKeys } from './dkim';
import { domainOf, isAddress } from './headers';
import { evaluateSpf, spfRecordOf, type SpfDns } from './spf';

/** The SPF `include:` each provider's mail leaves through (what the preset's relay needs in the sender's SPF). */
const PROVIDER_SPF: Record<string, string> = {
  gmail: '_spf.google.com',
  workspace: '_spf.google.com',
  m365: 'spf.protection.outlook.com',
  ses: 'amazonses.com',
  sendgrid: 'sendgrid.net',
  mailgun: 'mailgun.org',
  postmark: 'spf.mtasv.net',
};

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Every sender domain: the templates' From domains and the domains with a DKIM key, by name. */
export function senderDomains(ctx: CoreContext): SenderDomain[] {
  const byDomain = new Map<string, SenderDomain>();
  const entry = (domain: string) => byDomain.get(domain) ?? byDomain.set(domain, { domain, dkim: null, templates: [] }).get(domain)!;
  for (const t of listTemplates(ctx.db)) {
    const { address } = splitMailbox(t.from);
    if (isAddress(address)) entry(domainOf(address)).templates.push(t.name);
  }
  for (const k of listKeys(ctx)) entry(k.domain).dkim = k;
  return [...byDomain.values()].sort((a, b) => a.domain.localeCompare(b.domain));
}

// Loaded with the first check: commands that check no domain don't load node:dns.
const dnsPromises = onFirstUse<typeof DnsPromises>('node:dns/promises');

function resolverFor(ctx: CoreContext): DnsPromises.Resolver {
  const r = new (dnsPromises().Resolver)({ timeout: 3000, tries: 2 });
  if (ctx.dnsServers?.length) r.setServers(ctx.dnsServers);
  return r;
}

/** "No such name / no such record" reads as empty; anything else (timeout, refused) is a lookup failure. */
function absent(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ENOTFOUND' || code === 'ENODATA' || code === 'ENONAME' || code === 'NXDOMAIN';
}

function dnsOf(resolver: DnsPromises.Resolver): SpfDns {
  const orEmpty = async <T>(p: Promise<T[]>): Promise<T[]> => {
    try {
      return await p;
    } catch (err) {
      if (absent(err)) return [];
      throw err;
    }
  };
  return {
    txt: async (name) => (await orEmpty(resolver.resolveTxt(name))).map((chunks) => chunks.join('')),
    addresses: async (name) => (net.isIP(name) ? [name] : [...(await orEmpty(resolver.resolve4(name))), ...(await orEmpty(resolver.resolve6(name)))]),
    mx: async (name) => (await orEmpty(resolver.resolveMx(name))).sort((a, b) => a.priority - b.priority).map((m) => m.exchange),
  };
}

function failed(what: 'SPF' | 'DKIM' | 'DMARC', err: unknown): DomainCheck {
  const code = (err as { code?: string }).code ?? 'ERROR';
  return { status: 'error', code: `${what}_LOOKUP_FAILED`, params: { error: code }, found: null, message: `The DNS lookup didn't answer (${code}). Check the connection and try again.`, fix: null };
}

async function checkSpf(dns: SpfDns, domain: string, relay: RelayProfile | null): Promise<DomainCheck> {
  const found = spfRecordOf(await dns.txt(domain));
  const include = relay ? PROVIDER_SPF[relay.preset] : undefined;
  const suggested = include ? `include:${include}` : relay ? (net.isIP(relay.host) ? `${net.isIPv6(relay.host) ? 'ip6' : 'ip4'}:${relay.host}` : `a:${relay.host}`) : 'mx';
  if (found === 'many') {
    return { status: 'error', code: 'SPF_MANY', params: { domain }, found: null, message: `${domain} has more than one SPF record; receivers then ignore them all. Merge them into one.`, fix: null };
  }
  if (found === null) {
    return {
      status: 'missing',
      code: 'SPF_MISSING',
      params: { domain },
      found: null,
      message: `${domain} has no SPF record, so receivers can't tell which servers may send its mail.`,
      fix: { name: domain, type: 'TXT', value: `v=spf1 ${suggested} ~all` },
    };
  }
  if (!relay) return { status: 'ok', code: 'SPF_FOUND', params: { domain }, found, message: `${domain} has an SPF record. Add a relay to check that it may send for it.`, fix: null };
  const seen = { lookups: 0, includes: [] as string[] };
  const ips = await dns.addresses(relay.host);
  const verdicts = await Promise.all(ips.map((ip) => evaluateSpf(dns, domain, ip, { lookups: 0, includes: seen.includes })));
  const withInclude = include && seen.includes.includes(include);
  const withFix = (value: string) => ({ name: domain, type: 'TXT' as const, value });
  const params = { domain, relay: relay.name, host: relay.host };
  const addTerm = found.replace(/\s+([~?+-]?all)\b/i, ` ${suggested} $1`);
  if (withInclude || (verdicts.length > 0 && verdicts.every((v) => v === 'pass'))) {
    return { status: 'ok', code: 'SPF_ALLOWS', params, found, message: `${domain}'s SPF record allows the relay "${relay.name}" (${relay.host}) to send for it.`, fix: null };
  }
  if (verdicts.includes('unknown') || ips.length === 0) {
    return {
      status: 'warning',
      code: 'SPF_UNKNOWN',
      params,
      found,
      message: `Postroom couldn't tell whether ${domain}'s SPF record allows "${relay.name}" (${relay.host}): the record needs more than it can check here. Your provider's help names what to include.`,
      fix: null,
    };
  }
  return {
    status: 'missing',
    code: 'SPF_NOT_ALLOWED',
    params,
    found,
    message: `${domain}'s SPF record doesn't allow the relay "${relay.name}" (${relay.host}), so receivers may treat its mail as forged. Change the record to include it.`,
    fix: withFix(addTerm === found ? `${found} ${suggested}` : addTerm),
  };
}

/** The `p=` of a DKIM record, without spaces. */
function publicKeyOf(record: string): string | null {
  const m = /(?:^|;)\s*p=([^;]*)/i.exec(record);
  return m ? m[1]!.replace(/\s+/g, '') : null;
}

async function checkDkim(ctx: CoreContext, dns: SpfDns, domain: string): Promise<DomainCheck> {
  const key = listKeys(ctx).find((k) => k.domain === domain);
  if (!key) {
    return { status: 'missing', code: 'DKIM_NO_KEY', params: { domain }, found: null, message: `Postroom keeps no DKIM key for ${domain}, so its mail isn't signed. Add a key, then publish its record.`, fix: null };
  }
  const fix = { name: key.dnsName, type: 'TXT' as const, value: key.dnsValue };
  const params = { domain, selector: key.selector, name: key.dnsName };
  const record = (await dns.txt(key.dnsName)).find((t) => /p=/i.test(t));
  if (!record) {
    return { status: 'missing', code: 'DKIM_UNPUBLISHED', params, found: null, message: `The DKIM key's record isn't published at ${key.dnsName} yet (DNS changes can take an hour to show).`, fix };
  }
  if (publicKeyOf(record) !== publicKeyOf(key.dnsValue)) {
    return { status: 'error', code: 'DKIM_MISMATCH', params, found: record, message: `The record at ${key.dnsName} holds a different key from the one Postroom signs with, so signatures will fail. Replace it.`, fix };
  }
  return { status: 'ok', code: 'DKIM_OK', params, found: record, message: `The DKIM record at ${key.dnsName} matches the key Postroom signs with.`, fix: null };
}

async function checkDmarc(dns: SpfDns, domain: string): Promise<DomainCheck> {
  const record = (await dns.txt(`_dmarc.${domain}`)).find((t) => /^v=DMARC1/i.test(t.trim()));
  const fix = { name: `_dmarc.${domain}`, type: 'TXT' as const, value: `v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}` };
  if (!record) return { status: 'missing', code: 'DMARC_MISSING', params: { domain }, found: null, message: `${domain} has no DMARC policy. Start with p=none: it changes nothing for delivery and meets the rule.`, fix };
  const policy = /(?:^|;)\s*p=([a-z]+)/i.exec(record)?.[1]?.toLowerCase();
  if (!policy || !['none', 'quarantine', 'reject'].includes(policy)) {
    return { status: 'error', code: 'DMARC_INVALID', params: { domain }, found: record, message: `${domain}'s DMARC record has no valid policy (p=none, quarantine or reject).`, fix };
  }
  return { status: 'ok', code: 'DMARC_OK', params: { domain, policy }, found: record, message: `${domain} has a DMARC policy (p=${policy}).`, fix: null };
}

/** Looks a sender domain up in DNS and says what is ready and what to add. */
export async function checkDomain(ctx: CoreContext, input: { domain: string; relay?: string }): Promise<DomainHealth> {
  const domain = input.domain.trim().toLowerCase().replace(/\.$/, '');
  if (!DOMAIN.test(domain)) throw new PostroomError('INVALID_INPUT', `"${input.domain}" is not a domain name. Give the part after the @ of your From address, e.g. example.com.`, { domain: input.domain });
  const relay = input.relay ? getRelay(ctx, input.relay) : (listRelays(ctx)[0] ?? null);
  const dns = dnsOf(resolverFor(ctx));
  const guard = async (what: 'SPF' | 'DKIM' | 'DMARC', run: () => Promise<DomainCheck>) => run().catch((err: unknown) => failed(what, err));
  const [spf, dkim, dmarc] = await Promise.all([guard('SPF', () => checkSpf(dns, domain, relay)), guard('DKIM', () => checkDkim(ctx, dns, domain)), guard('DMARC', () => checkDmarc(dns, domain))]);
  const bulkSender: Array<{ rule: BulkSenderRule; met: boolean | null; text: string }> = [
    { rule: 'spf', met: spf.status === 'ok', text: 'SPF: the domain names the servers that may send its mail.' },
    { rule: 'dkim', met: dkim.status === 'ok', text: 'DKIM: each message is signed for the domain in the From address (so it is aligned, as DMARC asks).' },
    { rule: 'dmarc', met: dmarc.status === 'ok', text: 'DMARC: the domain publishes a policy, p=none at least.' },
    { rule: 'unsubscribe', met: null, text: 'One-click unsubscribe: give each campaign an https:// unsubscribe link (Postroom adds the List-Unsubscribe headers).' },
    { rule: 'complaints', met: null, text: 'Few spam reports: keep them under 0.3 % (send only to people who asked for your mail).' },
  ];
  return { domain, relay: relay?.name ?? null, checkedAt: ctx.clock.now(), spf, dkim, dmarc, bulkSender };
}

type DomainHandlers = Pick<Handlers, keyof typeof domainsContract>;

export function domainsHandlers(ctx: CoreContext): DomainHandlers {
  return {
    'domains:list': () => senderDomains(ctx),
    'domains:check': (input) => checkDomain(ctx, input),
  };
}
