import { afterEach, describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { createService, type Service } from '../../../electron/core/service';
import { dispatch } from '../../../shared/router';
import type { Channel, Input, Output } from '../../../shared/contract';
import { createRelay } from '../../../electron/core/relay';
import { insertTemplate } from '../../../electron/core/store/templates';
import { tempDir } from '../../helpers';
import { startDns, type DnsServer, type DnsZone } from '../../dns-server';
import type { DomainHealth } from '../../../shared/contract/domains';
import en from '../../../renderer/src/i18n/locales/en/translation.json';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function withDns(zone: DnsZone | ((s: Service) => DnsZone), prepare?: (s: Service) => Promise<void> | void) {
  // The key (and so the DKIM record) is made first; the zone is then built with it.
  const dir = tempDir();
  const first = createService({ dataDir: dir, host: 'test' });
  await prepare?.(first);
  const z = typeof zone === 'function' ? zone(first) : zone;
  await first.close();
  const dns: DnsServer = await startDns(z);
  cleanups.push(() => dns.stop());
  const service = createService({ dataDir: dir, host: 'test', dnsServers: [dns.address] });
  cleanups.push(() => service.close());
  return async <C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> => {
    const r = await dispatch(service.handlers, channel, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.value;
  };
}

function relayAt(s: Service, name: string, host: string, preset?: 'sendgrid') {
  createRelay(s.ctx, { name, host, port: 2525, security: 'none', ...(preset ? { preset } : {}) });
}

/**
 * The window words each check from its code and params (Settings → Sender domains); the command line shows the
 * core's sentence. In English the two must read the same, so every fact in the sentence must be in the params.
 */
function expectWordedAlike(h: DomainHealth) {
  const catalog: Record<string, string> = en;
  for (const c of [h.spf, h.dkim, h.dmarc]) {
    const key = c.code.endsWith('_LOOKUP_FAILED') ? 'domains.check.lookupFailed' : `domains.check.${c.code}`;
    expect(catalog[key], key).toBeDefined();
    expect(new IntlMessageFormat(catalog[key]!, 'en').format(c.params), key).toBe(c.message);
  }
  for (const b of h.bulkSender) expect(catalog[`domains.rule.${b.rule}`], b.rule).toBe(b.text);
}

let keyRecord = '';
async function addKey(s: Service) {
  const r = await dispatch(s.handlers, 'dkim:add', { domain: 'shop.test', selector: 'pr1' });
  if (!r.ok) throw new Error(r.error.message);
  keyRecord = r.value.dnsValue;
}

describe('sender domains: SPF, DKIM and DMARC looked up in a real DNS server', () => {
  it('finds everything in order: the relay allowed through an include, the key published, a policy', async () => {
    const call = await withDns(
      () => ({
        txt: {
          'shop.test': 'v=spf1 include:_spf.mailhost.test -all',
          '_spf.mailhost.test': 'v=spf1 ip4:192.0.2.0/24 ~all',
          'pr1._domainkey.shop.test': keyRecord,
          '_dmarc.shop.test': 'v=DMARC1; p=quarantine',
        },
        a: { 'smtp.mailhost.test': '192.0.2.25' },
      }),
      async (s) => {
        relayAt(s, 'mailhost', 'smtp.mailhost.test');
        await addKey(s);
      },
    );
    const h = await call('domains:check', { domain: 'shop.test' });
    expect(h.spf).toMatchObject({ status: 'ok', code: 'SPF_ALLOWS', found: 'v=spf1 include:_spf.mailhost.test -all' });
    expect(h.dkim).toMatchObject({ status: 'ok', code: 'DKIM_OK' });
    expect(h.dmarc).toMatchObject({ status: 'ok', code: 'DMARC_OK' });
    expect(h.bulkSender.filter((b) => ['spf', 'dkim', 'dmarc'].includes(b.rule)).every((b) => b.met)).toBe(true);
    expect(h.dmarc.params).toEqual({ domain: 'shop.test', policy: 'quarantine' });
    expectWordedAlike(h);
  });

  it('says what to add when nothing is published, with the records to copy', async () => {
    const call = await withDns({ a: { 'smtp.mailhost.test': '192.0.2.25' } }, async (s) => {
      relayAt(s, 'mailhost', 'smtp.mailhost.test');
      await addKey(s);
    });
    const h = await call('domains:check', { domain: 'shop.test' });
    expect(h.spf).toMatchObject({ status: 'missing', code: 'SPF_MISSING', fix: { name: 'shop.test', type: 'TXT', value: 'v=spf1 a:smtp.mailhost.test ~all' } });
    expect(h.dkim).toMatchObject({ status: 'missing', code: 'DKIM_UNPUBLISHED', fix: { name: 'pr1._domainkey.shop.test', value: keyRecord } });
    expect(h.dmarc).toMatchObject({ status: 'missing', code: 'DMARC_MISSING', fix: { name: '_dmarc.shop.test', value: expect.stringMatching(/^v=DMARC1; p=none/) } });
    expect(h.dkim.params).toEqual({ domain: 'shop.test', selector: 'pr1', name: 'pr1._domainkey.shop.test' });
    expectWordedAlike(h);
  });

  it("sees an SPF record that doesn't allow the relay, a DKIM record with another key, and a preset's include", async () => {
    const call = await withDns(
      {
        txt: {
          'shop.test': 'v=spf1 ip4:198.51.100.7 mx -all',
          'pr1._domainkey.shop.test': 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAstale',
          'other.test': 'v=spf1 include:sendgrid.net ~all',
          'sendgrid.net': 'v=spf1 ip4:203.0.113.0/24 -all',
        },
        a: { 'smtp.mailhost.test': '192.0.2.25', 'mx.shop.test': '198.51.100.8', 'smtp.sendgrid.test': '127.0.0.9' },
        mx: { 'shop.test': 'mx.shop.test' },
      },
      async (s) => {
        relayAt(s, 'mailhost', 'smtp.mailhost.test');
        relayAt(s, 'grid', 'smtp.sendgrid.test', 'sendgrid');
        await addKey(s);
      },
    );
    const h = await call('domains:check', { domain: 'shop.test', relay: 'mailhost' });
    expect(h.spf).toMatchObject({ status: 'missing', code: 'SPF_NOT_ALLOWED', fix: { value: 'v=spf1 ip4:198.51.100.7 mx a:smtp.mailhost.test -all' } });
    expect(h.dkim).toMatchObject({ status: 'error', code: 'DKIM_MISMATCH' });
    expect(h.dkim.fix?.value).toBe(keyRecord);
    expect(h.spf.params).toEqual({ domain: 'shop.test', relay: 'mailhost', host: 'smtp.mailhost.test' });
    expectWordedAlike(h);
    // A relay made from a provider's preset is allowed by that provider's include, whatever its host resolves to.
    const other = await call('domains:check', { domain: 'other.test', relay: 'grid' });
    expect(other.spf).toMatchObject({ status: 'ok', code: 'SPF_ALLOWS' });
    expect(other.dkim).toMatchObject({ code: 'DKIM_NO_KEY' });
    expectWordedAlike(other);
  });

  it("says when it can't tell, when no relay is there to check, and when a DMARC record holds no policy", async () => {
    const zone = { txt: { 'shop.test': 'v=spf1 mx -all', '_dmarc.shop.test': 'v=DMARC1; p=bogus' } };
    const call = await withDns(zone, (s) => relayAt(s, 'nowhere', 'smtp.nowhere.test'));
    const h = await call('domains:check', { domain: 'shop.test' });
    expect(h.spf).toMatchObject({ status: 'warning', code: 'SPF_UNKNOWN', params: { domain: 'shop.test', relay: 'nowhere', host: 'smtp.nowhere.test' } });
    expect(h.dmarc).toMatchObject({ status: 'error', code: 'DMARC_INVALID', found: 'v=DMARC1; p=bogus' });
    expectWordedAlike(h);
    const alone = await withDns(zone);
    const h2 = await alone('domains:check', { domain: 'shop.test' });
    expect(h2.spf).toMatchObject({ status: 'ok', code: 'SPF_FOUND', params: { domain: 'shop.test' } });
    expectWordedAlike(h2);
  });

  it('lists the sender domains from the templates and the keys kept', async () => {
    const call = await withDns({}, async (s) => {
      insertTemplate(s.ctx.db, { name: 'news', subject: 's', from: 'Shop <hello@Shop.test>', replyTo: null, format: 'html', body: 'x', text: null, attachField: null }, 0);
      await dispatch(s.handlers, 'dkim:add', { domain: 'club.test', selector: 'pr1' });
    });
    const list = await call('domains:list', {});
    expect(list.map((d) => [d.domain, d.templates, d.dkim?.selector ?? null])).toEqual([
      ['club.test', [], 'pr1'],
      ['shop.test', ['news'], null],
    ]);
  });

  it('refuses what is not a domain name', async () => {
    const call = await withDns({});
    await expect(call('domains:check', { domain: 'not a domain' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
