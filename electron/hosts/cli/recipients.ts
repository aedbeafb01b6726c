/** Recipient commands: import, lists, recipients, suppress (../shared/spec/cli.md, "Recipients"). */
import path from 'node:path';
import crypto from 'node:crypto';
import type { CliCommand, CliContext, ParsedValues } from './types';
import { UsageError } from './types';
import { json, table } from './output';
import type { ImportSummary, ListSummary } from '../../../shared/contract/recipients';
import type { Output } from '../../../shared/contract';
import { prestartImportWorker } from '../../core/import/worker-feed';

/** `--map HEADER=FIELD` values → the contract's map (the last `=` splits, so headers may contain one). */
export function parseMapOptions(values: string[]): Record<string, string | null> {
  const map: Record<string, string | null> = {};
  for (const v of values) {
    const eq = v.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`--map needs HEADER=FIELD (e.g. --map "E-Mail-Adresse=email"), not "${v}". Leave FIELD empty to skip a column.`);
    const field = v.slice(eq + 1).trim();
    map[v.slice(0, eq).trim()] = field === '' || field === '-' ? null : field;
  }
  return map;
}

/** How `postroom import` reads its file, from its arguments: the same for reading ahead (prepare) and for the import. */
export function importReadOptions(values: ParsedValues, positionals: string[], cwd: string) {
  return {
    path: path.resolve(cwd, positionals[0]!),
    map: values.map ? parseMapOptions(values.map as string[]) : undefined,
    sheet: values.sheet as string | undefined,
    encoding: values.encoding as string | undefined,
    delimiter: delimiterOption(values.delimiter),
  };
}

function delimiterOption(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|', space: ' ' };
  const d = named[s.toLowerCase()] ?? s;
  if (d.length !== 1) throw new UsageError(`--delimiter must be one character (or tab, comma, semicolon, pipe), not "${s}".`);
  return d;
}

/** A list by the name a person typed: the core's one lookup (resolveList), its NOT_FOUND naming the lists there are. */
function listByName(ctx: CliContext, name: string): Promise<ListSummary> {
  return ctx.call('lists:find', { list: name });
}

function showDelimiter(d: string | null): string {
  return d === '\t' ? 'tab' : d === null ? '' : `"${d}"`;
}

function importText(s: ImportSummary): string {
  const lines = [
    `Imported ${s.rows} rows into "${s.list}": ${s.imported} new, ${s.updated} updated, ${s.duplicates} duplicates, ${s.invalid} invalid, ${s.suppressed} suppressed.`,
    s.delimiter === null ? `Read as a workbook (sheet "${s.sheet}").` : `Read as ${s.encoding}, delimiter ${showDelimiter(s.delimiter)}.`,
    `Fields: ${s.fields.join(', ')}.`,
    ...s.warnings.map((w) => `Note: ${w}`),
  ];
  if (s.errors.length) {
    lines.push('Skipped rows:');
    for (const e of s.errors.slice(0, 50)) lines.push(`  row ${e.row}: ${e.reason}`);
    const more = s.errors.length - 50 + s.errorsOmitted;
    if (more > 0) lines.push(`  … and ${more} more (use --json for the list).`);
  }
  return lines.join('\n');
}

export const recipientCommands: CliCommand[] = [
  {
    name: 'import',
    usage: 'FILE --list NAME [--map HEADER=FIELD]... [--sheet NAME] [--encoding ENC] [--delimiter D]',
    summary: 'Import a spreadsheet (CSV, TSV, semicolon text, XLSX) into a list.',
    details: [
      'Creates the list when missing; re-importing updates recipients matched by address (case-insensitive).',
      'Encoding and delimiter are detected; bad rows are reported with their row number, never abort the import.',
      '--map "E-Mail-Adresse=email" maps a column to a field; --map "Notes=" leaves a column out.',
    ].join('\n'),
    options: {
      list: { type: 'string' },
      map: { type: 'string', multiple: true },
      sheet: { type: 'string' },
      encoding: { type: 'string' },
      delimiter: { type: 'string' },
    },
    positionals: 1,
    // The import worker's thread comes up, and reads the file's head, while the service and the contract load.
    prepare: ({ values, positionals, cwd }) => {
      let ahead: ReturnType<typeof importReadOptions> | undefined;
      try {
        if (values.list) ahead = importReadOptions(values, positionals, cwd);
      } catch {
        // A usage error, which `run` reports.
      }
      void prestartImportWorker(undefined, ahead).catch(() => undefined);
    },
    async run(ctx) {
      const list = ctx.values.list as string | undefined;
      if (!list || !list.trim()) throw new UsageError("import needs --list NAME: the list to import into (it's created when missing).");
      // (Its worker was started, and told the file, in `prepare`.)
      const read = importReadOptions(ctx.values, ctx.positionals, ctx.io.cwd);
      const importId = crypto.randomUUID();
      const stop = () => void ctx.call('lists:cancelImport', { importId }).catch(() => undefined);
      ctx.io.stopSignal.addEventListener('abort', stop, { once: true });
      try {
        // Per-recipient attachments named in the spreadsheet are looked for beside it (compose/attachments.ts): the
        // import records its folder with the list (one that may not hold attachments, inside the data folder, not).
        const summary = await ctx.call('lists:import', { ...read, listName: list, importId, attachmentsFolder: path.dirname(read.path) });
        if (ctx.json) {
          const { list: name, rows, imported, updated, duplicates, invalid, suppressed, encoding, delimiter, fields, errors } = summary;
          ctx.io.out(
            json({
              list: name,
              rows,
              imported,
              updated,
              duplicates,
              invalid,
              suppressed,
              encoding,
              delimiter,
              fields,
              errors: errors.map((e) => ({ row: e.row, reason: e.reason, kind: e.kind })),
              errorsOmitted: summary.errorsOmitted,
              sheet: summary.sheet,
              emptyLines: summary.emptyLines,
              warnings: summary.warnings,
            }),
          );
        } else ctx.io.out(importText(summary));
      } finally {
        ctx.io.stopSignal.removeEventListener('abort', stop);
      }
    },
  },
  {
    name: 'lists',
    usage: '[--json]',
    summary: 'Show your recipient lists with their counts and merge fields.',
    async run(ctx) {
      const lists = await ctx.call('lists:list', {});
      if (ctx.json) {
        ctx.io.out(json(lists.map((l) => ({ name: l.name, recipients: l.recipients, fields: l.fields }))));
      } else if (lists.length === 0) {
        ctx.io.out("No lists yet. Import a spreadsheet with 'postroom import FILE --list NAME'.");
      } else {
        ctx.io.out(table(['LIST', 'RECIPIENTS', 'FIELDS'], lists.map((l) => [l.name, l.recipients, l.fields.join(', ')])));
      }
    },
  },
  {
    name: 'lists create',
    usage: 'NAME',
    summary: 'Create an empty list.',
    positionals: 1,
    async run(ctx) {
      const l = await ctx.call('lists:create', { name: ctx.positionals[0]! });
      ctx.io.out(ctx.json ? json({ name: l.name, recipients: l.recipients, fields: l.fields }) : `Created the list "${l.name}".`);
    },
  },
  {
    name: 'lists rename',
    usage: 'NAME NEW_NAME',
    summary: 'Rename a list.',
    positionals: 2,
    async run(ctx) {
      const l = await listByName(ctx, ctx.positionals[0]!);
      const r = await ctx.call('lists:rename', { id: l.id, name: ctx.positionals[1]! });
      ctx.io.out(ctx.json ? json({ name: r.name, recipients: r.recipients, fields: r.fields }) : `Renamed "${l.name}" to "${r.name}".`);
    },
  },
  {
    name: 'lists delete',
    usage: 'NAME',
    summary: 'Delete a list and its recipients.',
    positionals: 1,
    async run(ctx) {
      const l = await listByName(ctx, ctx.positionals[0]!);
      const { deleted } = await ctx.call('lists:delete', { id: l.id });
      ctx.io.out(ctx.json ? json({ name: l.name, deleted }) : `Deleted the list "${l.name}" and its ${deleted} recipients.`);
    },
  },
  {
    name: 'recipients',
    usage: 'LIST [--search TEXT] [--json]',
    summary: "Show a list's recipients (NDJSON with --json: one object per line, email plus fields).",
    options: { search: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const l = await listByName(ctx, ctx.positionals[0]!);
      const search = ctx.values.search as string | undefined;
      const rows: string[][] = [];
      const fields = l.fields.filter((f) => f !== 'email');
      let total = 0;
      for (let offset = 0; ; offset += 1000) {
        const page = await ctx.call('lists:recipients', { id: l.id, search, offset, limit: 1000 });
        total = page.total;
        for (const r of page.recipients) {
          if (ctx.json) ctx.io.out(json({ email: r.email, ...r.fields }));
          else rows.push([r.email, ...fields.map((f) => r.fields[f] ?? '')]);
        }
        if (page.recipients.length < 1000) break;
      }
      if (!ctx.json) {
        if (total === 0) ctx.io.out(search ? `No recipient of "${l.name}" matches "${search}".` : `The list "${l.name}" is empty.`);
        else ctx.io.out(table(['EMAIL', ...fields.map((f) => f.toUpperCase())], rows));
      }
    },
  },
  {
    name: 'suppress add',
    usage: 'EMAIL...',
    summary: 'Suppress addresses: they are never sent to, whatever list they are on.',
    options: { reason: { type: 'string' } },
    positionals: [1, Number.MAX_SAFE_INTEGER],
    async run(ctx) {
      const r = await ctx.call('suppressions:add', { emails: ctx.positionals, reason: ctx.values.reason as string | undefined });
      ctx.io.out(ctx.json ? json(r) : `Suppressed ${r.added} address${r.added === 1 ? '' : 'es'}${r.already ? ` (${r.already} already suppressed)` : ''}.`);
    },
  },
  {
    name: 'suppress remove',
    usage: 'EMAIL...',
    summary: 'Lift suppressions.',
    positionals: [1, Number.MAX_SAFE_INTEGER],
    async run(ctx) {
      const r = await ctx.call('suppressions:remove', { emails: ctx.positionals });
      ctx.io.out(ctx.json ? json(r) : `Lifted ${r.removed} suppression${r.removed === 1 ? '' : 's'}.`);
    },
  },
  {
    name: 'suppress import',
    usage: 'FILE [--encoding ENC] [--delimiter D] [--sheet NAME]',
    summary: 'Suppress every address in a file (a spreadsheet, or one address a line).',
    options: { encoding: { type: 'string' }, delimiter: { type: 'string' }, sheet: { type: 'string' }, reason: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const r = await ctx.call('suppressions:import', {
        path: path.resolve(ctx.io.cwd, ctx.positionals[0]!),
        encoding: ctx.values.encoding as string | undefined,
        delimiter: delimiterOption(ctx.values.delimiter),
        sheet: ctx.values.sheet as string | undefined,
        reason: ctx.values.reason as string | undefined,
      });
      if (ctx.json) ctx.io.out(json(r));
      else {
        ctx.io.out(`Read ${r.rows} rows: ${r.added} newly suppressed, ${r.already} already suppressed, ${r.invalid} invalid.`);
        for (const e of r.errors.slice(0, 50)) ctx.io.out(`  row ${e.row}: ${e.reason}`);
      }
    },
  },
  {
    name: 'suppress list',
    usage: '[--search TEXT] [--json]',
    summary: 'Show the suppression list, newest first.',
    options: { search: { type: 'string' } },
    async run(ctx) {
      const items: Output<'suppressions:list'>['items'] = [];
      for (let offset = 0; ; offset += 1000) {
        const page = await ctx.call('suppressions:list', { search: ctx.values.search as string | undefined, offset, limit: 1000 });
        items.push(...page.items);
        if (page.items.length < 1000) break;
      }
      if (ctx.json) {
        ctx.io.out(json(items.map((i) => ({ email: i.email, reason: i.reason, campaign: i.campaign, detail: i.detail, createdAt: new Date(i.createdAt).toISOString() }))));
      } else if (items.length === 0) ctx.io.out('No suppressed addresses.');
      else {
        const rows = items.map((i) => [i.email, new Date(i.createdAt).toISOString().slice(0, 10), i.reason, i.campaign ?? '', i.detail ?? '']);
        ctx.io.out(table(['EMAIL', 'SINCE', 'REASON', 'CAMPAIGN', 'DETAIL'], rows));
      }
    },
  },
];
