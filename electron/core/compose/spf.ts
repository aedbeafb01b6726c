/**
 * SPF (RFC 7208), as far as "may this relay send for the domain?" needs: the record's mechanisms evaluated in
 * order for each of the relay's addresses (ip4, ip6, a, mx, include, redirect, all), within the RFC's limit of
 * 10 DNS lookups (§4.6.4). `exists`, `ptr` and macros are not evaluated: a result that needs them is `unknown`.
 */
import net from 'node:net';

export interface SpfDns {
  txt(name: string): Promise<string[]>;
  addresses(name: string): Promise<string[]>;
  mx(name: string): Promise<string[]>;
}

export type SpfVerdict = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'unknown';

/** The `v=spf1` record among a name's TXT records (null: none; more than one is an error, RFC 7208 §4.5). */
export function spfRecordOf(txt: string[]): string | null | 'many' {
  const records = txt.filter((t) => /^v=spf1(\s|$)/i.test(t.trim()));
  if (records.length > 1) return 'many';
  return records[0]?.trim() ?? null;
}

function inCidr(ip: string, range: string, bits: number | undefined): boolean {
  const family = net.isIPv4(ip) ? 'ipv4' : 'ipv6';
  if ((net.isIPv4(range) ? 'ipv4' : 'ipv6') !== family) return false;
  const list = new net.BlockList();
  list.addSubnet(range, bits ?? (family === 'ipv4' ? 32 : 128), family);
  return list.check(ip, family);
}

const QUALIFIERS: Record<string, SpfVerdict> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

class LookupLimit extends Error {}

/** What the domain's SPF says of mail from `ip`. Also collects the includes met on the way (for provider hints). */
export async function evaluateSpf(dns: SpfDns, domain: string, ip: string, seen: { lookups: number; includes: string[] } = { lookups: 0, includes: [] }): Promise<SpfVerdict> {
  const record = spfRecordOf(await dns.txt(domain));
  if (record === null) return 'none';
  if (record === 'many') return 'unknown';
  const lookup = () => {
    if (++seen.lookups > 10) throw new LookupLimit();
  };
  try {
    let redirect: string | null = null;
    for (const term of record.split(/\s+/).slice(1)) {
      const m = /^([+\-~?]?)([a-z0-9]+)(?:[:=]([^/]*))?(?:\/(\d+))?(?:\/\/(\d+))?$/i.exec(term);
      if (!m) return 'unknown';
      const qualifier = QUALIFIERS[m[1] || '+']!;
      const kind = m[2]!.toLowerCase();
      const value = m[3];
      const bits4 = m[4] === undefined ? undefined : Number(m[4]);
      const bits6 = m[5] === undefined ? undefined : Number(m[5]);
      const bits = net.isIPv4(ip) ? bits4 : bits6;
      if (value?.includes('%')) return 'unknown'; // macros (§7)
      switch (kind) {
        case 'all':
          return qualifier;
        case 'ip4':
        case 'ip6':
          if (value && inCidr(ip, value, bits4)) return qualifier;
          break;
        case 'a': {
          lookup();
          const addrs = await dns.addresses(value || domain);
          if (addrs.some((a) => inCidr(ip, a, bits))) return qualifier;
          break;
        }
        case 'mx': {
          lookup();
          for (const host of await dns.mx(value || domain)) {
            if ((await dns.addresses(host)).some((a) => inCidr(ip, a, bits))) return qualifier;
          }
          break;
        }
        case 'include': {
          lookup();
          if (!value) return 'unknown';
          seen.includes.push(value.toLowerCase());
          const inner = await evaluateSpf(dns, value, ip, seen);
          if (inner === 'pass') return qualifier;
          if (inner === 'unknown' || inner === 'none') return 'unknown';
          break;
        }
        case 'redirect':
          redirect = value ?? null;
          break;
        case 'exists':
        case 'ptr':
          return 'unknown';
        default:
          break; // unknown modifiers (exp=, …) are ignored (§6)
      }
    }
    if (redirect) {
      lookup();
      seen.includes.push(redirect.toLowerCase());
      return evaluateSpf(dns, redirect, ip, seen);
    }
    return 'neutral';
  } catch (err) {
    if (err instanceof LookupLimit) return 'unknown';
    throw err;
  }
}
