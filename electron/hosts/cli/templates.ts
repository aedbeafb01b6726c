/**
 * Template commands (../shared/spec/cli.md, "Templates"): template add/list/check, plus template test/show/remove/
 * starters and the DKIM keys per sender domain (dkim add/list/remove). `preview` lives with the campaigns.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CliCommand, CliContext } from './types';
import { UsageError } from './types';
import { json, table } from './output';
import { PostroomError } from '../../../shared/errors';
import type { TemplateCheck, TemplateDraft } from '../../../shared/contract/templates';
import { Language } from '../../../shared/contract/app';
import { lookUpAttachment } from '../../core/compose/attachments';
import { reviewLine } from './review-actions';

function readText(ctx: CliContext, file: string, what: string): string {
  const full = path.resolve(ctx.io.cwd, file);
  try {
    return fs.readFileSync(full, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw new PostroomError('FILE_UNREADABLE', `Couldn't read the ${what} ${full}: ${(err as Error).message}. Check the path.`);
  }
}

/** A template's id by its name (case-insensitive), or a clear NOT_FOUND. */
async function templateId(ctx: CliContext, name: string): Promise<number> {
  const all = await ctx.call('templates:list', {});
  const found = all.find((t) => t.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new PostroomError('NOT_FOUND', `There is no template named "${name}". See your templates with 'postroom template list'.`);
  return found.id;
}

/** `body:3:7: …` lines, as compilers print them, so editors can jump to the place. */
export function describeCheck(check: TemplateCheck, listName: string | null): string[] {
  const lines: string[] = [];
  for (const e of check.errors) lines.push(`${e.part}:${e.line}:${e.column}: error: ${e.message}`);
  for (const m of check.missing) {
    lines.push(`${m.part}:${m.line}:${m.column}: missing field: ${listName ? `the list "${listName}" has no field "${m.field}"` : `"${m.field}"`}`);
  }
  // The core's warnings name no command (they are read in the window too): this door adds its own, by code.
  for (const w of check.warningItems) lines.push(`warning: ${reviewLine(w, '')}`);
  return lines;
}

/**
 * Images the body shows from files beside it (`<img src="logo.png">`, `![logo](logo.png)`) are sent inline:
 * the reference becomes `cid:logo.png` and the file is attached with that content ID. Only files inside the
 * template's own folder are taken (the same rule as per-recipient attachments, compose/attachments.ts): an image
 * that exists elsewhere (a full path, `..`, a link leading out, the data folder) is refused with INVALID_INPUT.
 * Returns the new body and the files to attach.
 */
export function inlineLocalImages(body: string, baseDir: string, dataDir: string): { body: string; files: Array<{ path: string; cid: string }> } {
  const files = new Map<string, string>();
  const local = (ref: string): string | null => {
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/|#|\{)/i.test(ref)) return null; // a URL, cid:, data:, or Liquid
    let decoded: string;
    try {
      decoded = decodeURI(ref);
    } catch {
      return null;
    }
    if (!fs.existsSync(path.resolve(baseDir, decoded))) return null; // not a file here: left as written
    const found = lookUpAttachment(baseDir, dataDir, decoded, 'the image', 'src');
    if (!found.ok) {
      if (found.kind === 'missing') return null;
      throw new PostroomError(
        'INVALID_INPUT',
        `The template shows the image ${found.detail ?? `"${ref}"`}, so it was not added: images are taken only from the template's own folder (${baseDir}). Move the image into that folder, or refer to it by a web address. Nothing was saved.`,
      );
    }
    const full = found.file;
    let cid = path.basename(decoded).replace(/[^A-Za-z0-9._-]/g, '_');
    while ([...files.entries()].some(([p, c]) => c === cid && p !== full)) cid = `x${cid}`;
    files.set(full, files.get(full) ?? cid);
    return `cid:${files.get(full)}`;
  };
  const out = body
    .replace(/(<img\b[^>]*?\ssrc\s*=\s*)(["'])([^"']+)\2/gi, (whole, pre: string, q: string, ref: string) => {
      const cid = local(ref);
      return cid ? `${pre}${q}${cid}${q}` : whole;
    })
    .replace(/(!\[[^\]]*\]\()([^)\s]+)((?:\s+"[^"]*")?\))/g, (whole, pre: string, ref: string, post: string) => {
      const cid = local(ref);
      return cid ? `${pre}${cid}${post}` : whole;
    });
  return { body: out, files: [...files.entries()].map(([p, cid]) => ({ path: p, cid })) };
}

const addOptions = {
  subject: { type: 'string' },
  from: { type: 'string' },
  html: { type: 'string' },
  markdown: { type: 'string' },
  text: { type: 'string' },
  'reply-to': { type: 'string' },
  attach: { type: 'string', multiple: true },
  'attach-field': { type: 'string' },
  'attachments-dir': { type: 'string' },
  language: { type: 'string' },
  replace: { type: 'boolean' },
} as const;

export const templateCommands: CliCommand[] = [
  {
    name: 'template add',
    usage: 'NAME --subject TEXT --from "Name <addr>" (--html FILE | --markdown FILE) [--text FILE] [--reply-to ADDRESS] [--attach FILE]... [--attach-field FIELD] [--attachments-dir DIR] [--language en|de|fr|es] [--replace]',
    summary: 'Add a merge template from an HTML or Markdown file.',
    details: [
      'Merge fields use Liquid: {{ first_name }}, {{ first_name | default: "there" }}, {% if company %}…{% endif %}.',
      'Subject, the From name and Reply-To may use fields too. Every template may also use email, name, list,',
      'campaign, unsubscribe_url and unsubscribe_mailto.',
      'Images the body shows from files beside it (<img src="logo.png">, ![logo](logo.png)) are sent inline',
      '(cid:), as is an --attach image the HTML shows as <img src="cid:FILENAME">.',
      '--attach-field names a recipient field holding the name of a per-recipient attachment file, read from',
      '--attachments-dir DIR (default: the campaign\'s folder, else the folder of the spreadsheet the list was',
      'imported from). Files outside that folder (full paths, "..", links leading out) are refused.',
      '--language names the language the message is written in: <html lang> and the words Postroom adds to the',
      'message are in it (the unsubscribe footer of a Markdown template that has no unsubscribe link, the subject of',
      'a mailto: unsubscribe request). Default: the language chosen in the window\'s Settings, else English; with',
      '--replace, the template keeps its own.',
      '--replace changes the template of that name instead of refusing.',
    ].join('\n'),
    options: addOptions,
    positionals: 1,
    async run(ctx) {
      const v = ctx.values;
      const name = ctx.positionals[0]!;
      if (typeof v.subject !== 'string') throw new UsageError('Missing --subject TEXT.');
      if (typeof v.from !== 'string') throw new UsageError('Missing --from "Name <address>".');
      if ((typeof v.html === 'string') === (typeof v.markdown === 'string')) throw new UsageError('Give the body with exactly one of --html FILE or --markdown FILE.');
      const format = typeof v.html === 'string' ? 'html' : 'markdown';
      let language: Language | undefined;
      if (typeof v.language === 'string') {
        const known = Language.safeParse(v.language.trim().toLowerCase());
        if (!known.success) throw new UsageError(`--language must be one of ${Language.options.join(', ')}, not "${v.language}".`);
        language = known.data;
      }
      const bodyFile = path.resolve(ctx.io.cwd, (format === 'html' ? v.html : v.markdown) as string);
      const images = inlineLocalImages(readText(ctx, bodyFile, format === 'html' ? 'HTML file' : 'Markdown file'), path.dirname(bodyFile), ctx.dataDir);
      const draft: TemplateDraft = {
        name,
        subject: v.subject,
        from: v.from,
        replyTo: typeof v['reply-to'] === 'string' ? v['reply-to'] : null,
        format,
        body: images.body,
        text: typeof v.text === 'string' ? readText(ctx, v.text, 'text file') : null,
        attachField: typeof v['attach-field'] === 'string' ? v['attach-field'] : null,
        attachmentsDir: typeof v['attachments-dir'] === 'string' ? path.resolve(ctx.io.cwd, v['attachments-dir']) : null,
        ...(language ? { language } : {}),
      };
      const attach = ((v.attach as string[] | undefined) ?? []).map((f) => path.resolve(ctx.io.cwd, f));
      for (const f of attach) {
        try {
          fs.accessSync(f, fs.constants.R_OK);
        } catch {
          throw new PostroomError('FILE_UNREADABLE', `Couldn't read the attachment ${f}. Check the path and that you may read the file.`);
        }
      }
      // A syntax error is reported now, with its place, never at send time.
      const check = await ctx.call('templates:check', { draft, fields: [] });
      if (check.errors.length) {
        const first = check.errors[0]!;
        throw new PostroomError(
          'TEMPLATE_INVALID',
          `The template's ${first.part} has a mistake at line ${first.line}, column ${first.column}: ${first.message}.${check.errors.length > 1 ? ` (${check.errors.length - 1} more; see 'postroom template check'.)` : ''} Nothing was saved.`,
        );
      }
      let existing: number | null = null;
      if (v.replace) existing = await templateId(ctx, name).catch(() => null);
      const saved = existing !== null ? await ctx.call('templates:update', { id: existing, template: draft }) : await ctx.call('templates:create', draft);
      if (existing !== null) {
        for (const a of saved.attachments) await ctx.call('templates:removeAttachment', { templateId: saved.id, attachmentId: a.id });
      }
      for (const img of images.files) await ctx.call('templates:addAttachment', { templateId: saved.id, path: img.path, cid: img.cid });
      for (const f of attach) await ctx.call('templates:addAttachment', { templateId: saved.id, path: f });
      const full = await ctx.call('templates:get', { id: saved.id });
      if (ctx.json) ctx.io.out(json(full));
      else {
        const files = full.attachments.length ? `, ${full.attachments.length} attachment${full.attachments.length > 1 ? 's' : ''}` : '';
        ctx.io.out(`${existing !== null ? 'Replaced' : 'Added'} template "${full.name}" (${full.format}${files}). Check it against a list with 'postroom template check "${full.name}" --list LIST'.`);
      }
    },
  },
  {
    name: 'template list',
    usage: '[--json]',
    summary: 'Show your templates.',
    async run(ctx) {
      const templates = await ctx.call('templates:list', {});
      if (ctx.json) ctx.io.out(json(templates));
      else if (templates.length === 0) ctx.io.out("No templates yet. Add one with 'postroom template add NAME --subject TEXT --from ADDRESS --html FILE'.");
      else ctx.io.out(table(['TEMPLATE', 'FORMAT', 'SUBJECT', 'FROM'], templates.map((t) => [t.name, t.format, t.subject, t.from])));
    },
  },
  {
    name: 'template check',
    usage: 'NAME --list LIST [--json]',
    summary: 'Check a template against a list: fields it uses that the list lacks, and syntax errors, with line and column.',
    details: 'Exit code 1 when a field is missing or the template does not parse; warnings alone exit 0.',
    options: { list: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const listName = ctx.values.list;
      if (typeof listName !== 'string') throw new UsageError('Missing --list LIST.');
      const name = ctx.positionals[0]!;
      const id = await templateId(ctx, name);
      const check = await ctx.call('templates:check', { id, list: listName });
      if (ctx.json) ctx.io.out(json({ template: name, list: listName, ...check }));
      else {
        const lines = describeCheck(check, listName);
        if (check.ok) lines.unshift(`Template "${name}" fits the list "${listName}"${check.fields.length ? ` (uses ${check.fields.join(', ')})` : ''}.`);
        ctx.io.out(lines.join('\n'));
      }
      if (!check.ok) {
        const parts = [
          check.missing.length ? `${check.missing.length} use${check.missing.length > 1 ? 's' : ''} of missing fields (${[...new Set(check.missing.map((m) => m.field))].join(', ')})` : '',
          check.errors.length ? `${check.errors.length} syntax error${check.errors.length > 1 ? 's' : ''}` : '',
        ].filter(Boolean);
        ctx.io.err(`postroom: template "${name}" can't be sent to the list "${listName}": ${parts.join(' and ')}. Fix the template or add the fields to the list.`);
        return 1;
      }
    },
  },
  {
    name: 'template test',
    usage: 'NAME --relay RELAY --to ADDRESS [--list LIST [--recipient EMAIL]] [--unsubscribe URL|mailto:ADDR] [--json]',
    summary: "Send a test to yourself: a recipient's message as the campaign would send it, [TEST] in the subject, to ADDRESS only.",
    details:
      'Without --list, a sample recipient with made-up values is used; without --recipient, the list\'s first one. The test counts against the relay\'s limits. Exit code 1 when the relay doesn\'t take it, with which step failed.',
    options: { list: { type: 'string' }, recipient: { type: 'string' }, relay: { type: 'string' }, to: { type: 'string' }, unsubscribe: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const { list, recipient, relay, to, unsubscribe } = ctx.values;
      if (typeof relay !== 'string') throw new UsageError('Missing --relay RELAY: the relay to send the test through.');
      if (typeof to !== 'string') throw new UsageError('Missing --to ADDRESS: where to send the test (your own address).');
      if (typeof recipient === 'string' && typeof list !== 'string') throw new UsageError('--recipient needs --list LIST.');
      let unsub: { url?: string; mailto?: string } | undefined;
      if (typeof unsubscribe === 'string') {
        if (/^https?:\/\//i.test(unsubscribe)) unsub = { url: unsubscribe };
        else if (/^mailto:/i.test(unsubscribe)) unsub = { mailto: unsubscribe.slice(7) };
        else throw new UsageError('--unsubscribe takes an https:// link or mailto:ADDRESS.');
      }
      const name = ctx.positionals[0]!;
      const id = await templateId(ctx, name);
      const r = await ctx.call('templates:sendTest', {
        id,
        relay,
        to,
        ...(typeof list === 'string' ? { list } : {}),
        ...(typeof recipient === 'string' ? { email: recipient } : {}),
        ...(unsub ? { unsubscribe: unsub } : {}),
      });
      if (ctx.json) ctx.io.out(json({ template: name, relay, ...r }));
      else ctx.io.out(`Sent a test of "${name}" to ${r.to} through ${relay} (${r.response}). Check your inbox.`);
    },
  },
  {
    name: 'template show',
    usage: 'NAME [--json]',
    summary: 'Show a template: its settings, files and body.',
    positionals: 1,
    async run(ctx) {
      const t = await ctx.call('templates:get', { id: await templateId(ctx, ctx.positionals[0]!) });
      if (ctx.json) {
        ctx.io.out(json(t));
        return;
      }
      const lines = [
        `Template: ${t.name} (${t.format})`,
        `Subject:  ${t.subject}`,
        `From:     ${t.from}`,
        `Language: ${t.language}`,
        ...(t.replyTo ? [`Reply-To: ${t.replyTo}`] : []),
        ...(t.attachField ? [`Per-recipient attachment field: ${t.attachField}`] : []),
        ...(t.attachField && t.attachmentsDir ? [`Attachments folder: ${t.attachmentsDir}`] : []),
        ...t.attachments.map((a) => `Attachment: ${a.filename} (${a.contentType}, ${a.size} bytes${a.cid ? `, inline as cid:${a.cid}` : ''})`),
        '',
        t.body,
        ...(t.text !== null ? ['', '--- text part ---', t.text] : []),
      ];
      ctx.io.out(lines.join('\n'));
    },
  },
  {
    name: 'template remove',
    usage: 'NAME',
    summary: 'Delete a template.',
    positionals: 1,
    async run(ctx) {
      const name = ctx.positionals[0]!;
      await ctx.call('templates:remove', { id: await templateId(ctx, name) });
      if (ctx.json) ctx.io.out(json({ removed: name }));
      else ctx.io.out(`Removed template "${name}".`);
    },
  },
  {
    name: 'template starters',
    usage: '[--json]',
    summary: 'List the starter templates that ship with Postroom.',
    async run(ctx) {
      const starters = await ctx.call('templates:starters', {});
      if (ctx.json) ctx.io.out(json(starters));
      else ctx.io.out(table(['STARTER', 'FORMAT', 'SUBJECT', 'DESCRIPTION'], starters.map((s) => [s.key, s.format, s.subject, s.description])));
    },
  },
  {
    name: 'dkim add',
    usage: 'DOMAIN --selector NAME [--key FILE]',
    summary: 'Sign mail from DOMAIN with DKIM: keep its private key (sealed) and print the DNS record to publish.',
    details: 'Without --key, a new 2048-bit RSA key is made. Publish the printed TXT record before sending.',
    options: { selector: { type: 'string' }, key: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      if (typeof ctx.values.selector !== 'string') throw new UsageError('Missing --selector NAME (e.g. --selector postroom1).');
      const pem = typeof ctx.values.key === 'string' ? readText(ctx, ctx.values.key, 'private key file') : undefined;
      const key = await ctx.call('dkim:add', { domain: ctx.positionals[0]!, selector: ctx.values.selector, ...(pem ? { privateKeyPem: pem } : {}) });
      if (ctx.json) ctx.io.out(json(key));
      else {
        ctx.io.out(
          [
            `Mail from ${key.domain} will be DKIM-signed with selector "${key.selector}".`,
            'Publish this DNS TXT record (receivers check it); a TXT string holds at most 255 characters, so it is',
            'given in quoted pieces as zone files write it (most DNS providers accept the pieces joined, too):',
            `  ${key.dnsName}  TXT  ${(key.dnsValue.match(/.{1,255}/g) ?? []).map((p) => `"${p}"`).join(' ')}`,
          ].join('\n'),
        );
      }
    },
  },
  {
    name: 'dkim list',
    usage: '[--json]',
    summary: 'Show the sender domains whose mail is DKIM-signed, and their DNS records.',
    async run(ctx) {
      const keys = await ctx.call('dkim:list', {});
      if (ctx.json) ctx.io.out(json(keys));
      else if (keys.length === 0) ctx.io.out("No DKIM keys yet. Add one with 'postroom dkim add DOMAIN --selector NAME'.");
      else ctx.io.out(table(['DOMAIN', 'SELECTOR', 'DNS NAME'], keys.map((k) => [k.domain, k.selector, k.dnsName])));
    },
  },
  {
    name: 'dkim remove',
    usage: 'DOMAIN',
    summary: 'Stop signing mail from DOMAIN and forget its key.',
    positionals: 1,
    async run(ctx) {
      const domain = ctx.positionals[0]!;
      const { removed } = await ctx.call('dkim:remove', { domain });
      if (!removed) throw new PostroomError('NOT_FOUND', `No DKIM key is kept for ${domain}. See them with 'postroom dkim list'.`);
      if (ctx.json) ctx.io.out(json({ removed: domain }));
      else ctx.io.out(`Mail from ${domain} is no longer DKIM-signed.`);
    },
  },
];
