/** Shared set-up for the compose tests: a real service on a temp data folder, templates and lists in it. */
import { simpleParser, type ParsedMail } from 'mailparser';
import { createService, type Service } from '../../../electron/core/service';
import type { TemplateDraft } from '../../../shared/contract/templates';
import type { Channel, Input, Output } from '../../../shared/contract';
import { dispatch } from '../../../shared/router';
import { tempDir } from '../../helpers';

export { tempDir };

export function openService(dir = tempDir()): Service {
  return createService({ dataDir: dir, host: 'test', clock: { now: () => Date.UTC(2026, 10, 29, 12, 0, 0) } });
}

/** Calls a channel through the router, as the window does; throws with the error's code and message. */
export async function call<C extends Channel>(service: Service, channel: C, input: Input<C>): Promise<Output<C>> {
  const r = await dispatch(service.handlers, channel, input);
  if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code });
  return r.value;
}

export function draft(over: Partial<TemplateDraft> = {}): TemplateDraft {
  return {
    name: 'Spring news',
    subject: 'Hello {{ first_name | default: "there" }}',
    from: 'Ann Baker <ann@example.com>',
    replyTo: null,
    format: 'html',
    body: '<html><body><p>Hi {{ first_name | default: "there" }},</p>{% if company %}<p>Greetings to {{ company }}.</p>{% endif %}<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>',
    text: null,
    attachField: null,
    ...over,
  };
}

export async function createTemplate(service: Service, over: Partial<TemplateDraft> = {}): Promise<number> {
  return (await call(service, 'templates:create', draft(over))).id;
}

/** Puts a list with recipients straight into the recipients tables (the import area's job in the app). */
export function addList(
  service: Service,
  name: string,
  fields: string[],
  recipients: Array<{ email: string; name?: string | null; fields?: Record<string, string> }>,
  source: string | null = null,
): number {
  const db = service.ctx.db;
  const now = Date.now();
  const listId = Number(
    db.prepare(`INSERT INTO lists (name, source, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`).run(name, source, JSON.stringify(fields), now, now)
      .lastInsertRowid,
  );
  const insert = db.prepare(
    `INSERT INTO recipients (list_id, email, email_key, name, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of recipients) insert.run(listId, r.email, r.email.toLowerCase(), r.name ?? null, JSON.stringify(r.fields ?? {}), now, now);
  return listId;
}

export function parse(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw);
}

/** The raw header block of a message (unfolded), for assertions on exactly what was written. */
export function headerBlock(raw: Buffer): string {
  const s = raw.toString('latin1');
  return s.slice(0, s.indexOf('\r\n\r\n'));
}

/** A seeded random source (mulberry32): `rand(n)` is an integer below n, the same sequence on every run. */
export function seededRandom(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
