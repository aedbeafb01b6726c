/**
 * A real DNS server for tests: Debian's dnsmasq on 127.0.0.1 and a free port, with its own records and nothing
 * else (no upstream, no /etc/hosts, no config file), stopped after the test.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';

export interface DnsZone {
  /** name → TXT strings (a value over 255 bytes is split into strings, as DNS requires). */
  txt?: Record<string, string>;
  /** name → IPv4 address. */
  a?: Record<string, string>;
  /** domain → mail exchanger host. */
  mx?: Record<string, string>;
}

export interface DnsServer {
  /** For Resolver#setServers / POSTROOM_DNS_SERVERS: `127.0.0.1:PORT`. */
  address: string;
  stop(): Promise<void>;
}

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** dnsmasq takes each comma-separated part as one string of the record (so a value can't hold a comma). */
function txtArg(name: string, value: string): string {
  if (value.includes(',')) throw new Error(`A TXT value for dnsmasq can't hold a comma: ${value}`);
  return `--txt-record=${name},${(value.match(/.{1,250}/gs) ?? ['']).join(',')}`;
}

export async function startDns(zone: DnsZone): Promise<DnsServer> {
  const port = await freeUdpPort();
  // Names under the zone's top-level domains are answered here only: a name not in the zone is NXDOMAIN, as on
  // a real authoritative server (dnsmasq refuses what it would have to forward, and it has nowhere to).
  const names = [...Object.keys(zone.txt ?? {}), ...Object.keys(zone.a ?? {}), ...Object.keys(zone.mx ?? {}), 'check.invalid'];
  const tlds = [...new Set(names.map((n) => n.split('.').pop()!))];
  const args = [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    '--bind-interfaces',
    '--listen-address=127.0.0.1',
    `--port=${port}`,
    ...tlds.map((t) => `--local=/${t}/`),
    '--pid-file=',
    '--user=',
    '--log-facility=-',
    ...Object.entries(zone.txt ?? {}).map(([n, v]) => txtArg(n, v)),
    ...Object.entries(zone.a ?? {}).map(([n, ip]) => `--host-record=${n},${ip}`),
    ...Object.entries(zone.mx ?? {}).map(([d, host]) => `--mx-host=${d},${host},10`),
  ];
  const child = spawn(process.env.POSTROOM_DNSMASQ ?? (fs.existsSync('/usr/sbin/dnsmasq') ? '/usr/sbin/dnsmasq' : 'dnsmasq'), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${port}`;
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([address]);
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`dnsmasq exited: ${stderr}`);
    try {
      await resolver.resolveTxt('ready.check.invalid');
      break;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') break; // it answered
      if (i > 50) throw new Error(`dnsmasq did not answer on ${address}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    address,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
