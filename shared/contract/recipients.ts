/**
 * Recipients: lists, spreadsheet import, browsing, suppression. Owned by the import work (issue 3).
 *
 * The import wizard in the UI is four steps, each one request:
 * 1. The user picks or drops a file. In the browser host the file is first POSTed to `/upload`, which answers with
 *    the path it was saved at; in the desktop window the path comes from the file picker. Every request here takes
 *    a path on the machine that runs the core.
 * 2. `lists:previewImport` reads only the head of the file and answers what Postroom would do: the encoding,
 *    delimiter (or workbook sheets), where the header row is, each column with its header, the field it maps to and
 *    sample values, and the first data rows. The user may change the mapping (`columns`), the encoding, the
 *    delimiter or the sheet and preview again.
 * 3. `lists:import` runs the import with the same options. While it runs the core emits `lists:importProgress`
 *    (at most 10 a second; the last one has `phase: 'done'`). `lists:cancelImport` stops it: the list is left exactly
 *    as it was (a list the import would have created is not created) and `lists:import` answers with error
 *    `CANCELLED`. The renderer chooses the `importId` (any unique string, e.g. `crypto.randomUUID()`), so it can
 *    listen and cancel before the answer comes.
 * 4. The answer is an ImportSummary: the counts (always `rows = imported + updated + duplicates + invalid +
 *    suppressed`) and the skipped rows with 1-based data-row numbers and a reason a person understands.
 *    `lists:skippedCsv` gives those rows as a CSV (formula-like cells escaped) for the user to save and fix.
 *
 * Nothing read from a spreadsheet is HTML: render every value as text.
 */
import { z } from 'zod';
import { CoreNote } from './sending';

export const ListSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  recipients: z.number().int().nonnegative(),
  /** Merge-field names, `email` first, normalised (lower case, spaces to `_`). */
  fields: z.array(z.string()),
  /** The file name the list was last imported from. */
  source: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ListSummary = z.infer<typeof ListSummary>;

export const ListName = z
  .string()
  .trim()
  .min(1, 'a list needs a name')
  .max(200, 'a list name can be at most 200 characters');

export const ListRef = z.object({ id: z.number().int().positive() }).strict();

/** One recipient as the list view shows it. `fields` holds every merge field except `email` (string values). */
export const Recipient = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string().nullable(),
  fields: z.record(z.string(), z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Recipient = z.infer<typeof Recipient>;

export const RecipientPage = z.object({
  /** Recipients matching the search (all of the list without one). */
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  recipients: z.array(Recipient),
});
export type RecipientPage = z.infer<typeof RecipientPage>;

/**
 * What a list holds before anyone sends to it, counted by the core in one pass (`lists:stats`). Duplicates and
 * invalid addresses never reach a list (the import leaves them out and reports them), so there is no count of them.
 */
export const ListStats = z.object({
  listId: z.number().int(),
  /** Recipients on the list. */
  total: z.number().int().nonnegative(),
  /** Recipients whose address is on the suppression list (matched without regard to case): skipped at send time. */
  suppressed: z.number().int().nonnegative(),
  /** The first few of them (at most 5, by address), as written on the list, to name who is skipped. */
  suppressedSample: z.array(z.string()),
  /**
   * Each of the list's merge fields except `email` (never empty), in the list's order, with how many recipients
   * have it missing or blank (only whitespace). For `name` the value a message would show is counted: the
   * recipient's name, else the name field.
   */
  fields: z.array(z.object({ field: z.string(), empty: z.number().int().nonnegative() })),
});
export type ListStats = z.infer<typeof ListStats>;

/** How to read a file: every option is "detect it" when left out. */
export const ReadOptions = z.object({
  /** Absolute path of the file on the machine running the core (see `/upload` for the browser host). */
  path: z.string().min(1),
  /** Workbook sheet name (XLSX only); default: the first sheet. */
  sheet: z.string().optional(),
  /** Text encoding, e.g. `utf-8`, `utf-16le`, `windows-1252`, `iso-8859-15`; default: detected. */
  encoding: z.string().optional(),
  /** One character: `,` `;` `\t` `|` (or any other); default: sniffed. */
  delimiter: z.string().length(1).optional(),
  /**
   * Mapping by header name (the command line's `--map HEADER=FIELD`): the header as written (matched without
   * regard to case) → the field name, or null to leave the column out.
   */
  map: z.record(z.string(), z.string().nullable()).optional(),
  /** Mapping by column position (the UI's mapping step, from the preview's `columns[].index`); wins over `map`. */
  columns: z.array(z.object({ index: z.number().int().nonnegative(), field: z.string().nullable() })).optional(),
});
export type ReadOptions = z.infer<typeof ReadOptions>;

export const PreviewColumn = z.object({
  /** 0-based column position. */
  index: z.number().int().nonnegative(),
  /** The header as written in the file ("" when the cell was empty). */
  header: z.string(),
  /** The merge field this column goes to (normalised), or null when it is left out. */
  field: z.string().nullable(),
  /** How the field was chosen: a known header name, the column's content, the user's mapping, or its own name. */
  source: z.enum(['known-header', 'content', 'user', 'header', 'ignored']),
  /** The first few non-empty values, as text. */
  samples: z.array(z.string()),
});
export type PreviewColumn = z.infer<typeof PreviewColumn>;

export const ImportPreview = z.object({
  format: z.enum(['text', 'xlsx']),
  /** The encoding used (`xlsx` for a workbook) and whether it was detected or given. */
  encoding: z.string(),
  encodingDetected: z.boolean(),
  /** The delimiter used; null for a workbook. */
  delimiter: z.string().nullable(),
  /** Sheet names of a workbook (empty for text) and the one read. */
  sheets: z.array(z.string()),
  sheet: z.string().nullable(),
  /** 1-based line (record) of the header row in the file, or null when the file has no header row. */
  headerRow: z.number().int().positive().nullable(),
  columns: z.array(PreviewColumn),
  /** Which column holds the e-mail address (null: none found; the import would fail until the user maps one). */
  emailColumn: z.number().int().nonnegative().nullable(),
  /** The merge fields a list would get from this file, `email` first. */
  fields: z.array(z.string()),
  /** The first data rows (at most 20), cells as text, in column order. */
  rows: z.array(z.array(z.string())),
  /** Things worth telling the user before importing ("2 columns are both called Email: the second is email_2"). */
  warnings: z.array(z.string()),
  /** File size in bytes. */
  bytes: z.number().int().nonnegative(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportRequest = ReadOptions.extend({
  /** The list to import into, by id … */
  listId: z.number().int().positive().optional(),
  /** … or by name: created when missing (only if the import completes). */
  listName: ListName.optional(),
  /** Chosen by the caller to match progress events and to cancel; default: one is made up. */
  importId: z.string().min(1).max(100).optional(),
  /**
   * A folder to record as the list's attachments folder with the import (the command line gives the spreadsheet's
   * own): one that may not hold attachments (see lists:setAttachmentsFolder) is not recorded, and the import goes on.
   */
  attachmentsFolder: z.string().trim().min(1).max(4096).optional(),
}).refine((r) => (r.listId === undefined) !== (r.listName === undefined), { message: 'give either listId or listName' });
export type ImportRequest = z.infer<typeof ImportRequest>;

export const SkipKind = z.enum(['invalid', 'duplicate', 'suppressed']);
export type SkipKind = z.infer<typeof SkipKind>;

export const SkippedRow = z.object({
  /** 1-based data-row number as a spreadsheet user counts them (first row after the header = 1). */
  row: z.number().int().positive(),
  reason: z.string(),
  kind: SkipKind,
});
export type SkippedRow = z.infer<typeof SkippedRow>;

export const ImportSummary = z.object({
  importId: z.string(),
  listId: z.number().int(),
  list: z.string(),
  /** Data rows read (header and empty lines excluded). rows = imported + updated + duplicates + invalid + suppressed. */
  rows: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  invalid: z.number().int().nonnegative(),
  suppressed: z.number().int().nonnegative(),
  /** `xlsx` for a workbook. */
  encoding: z.string(),
  /** null for a workbook. */
  delimiter: z.string().nullable(),
  sheet: z.string().nullable(),
  /** The merge fields the list now has, `email` first. */
  fields: z.array(z.string()),
  /** The skipped rows in file order (the first 10,000; `errorsOmitted` counts the rest). */
  errors: z.array(SkippedRow),
  errorsOmitted: z.number().int().nonnegative(),
  /** Empty lines skipped (not counted in `rows`). */
  emptyLines: z.number().int().nonnegative(),
  warnings: z.array(z.string()),
  durationMs: z.number().nonnegative(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const ImportProgress = z.object({
  importId: z.string(),
  /** reading: going through the file · saving: writing to the list (the last, short step) · done · cancelled · failed */
  phase: z.enum(['reading', 'saving', 'done', 'cancelled', 'failed']),
  bytesRead: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  /** Data rows read so far, and how they are counted so far (imported/updated are known only when done). */
  rows: z.number().int().nonnegative(),
  invalid: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** Rows per second so far. */
  rate: z.number().nonnegative(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

/** Why an address is suppressed: it bounced for good, its owner complained or unsubscribed, a person added it, or a file did. */
export const SuppressionReason = z.enum(['hard-bounce', 'complaint', 'unsubscribe', 'manual', 'import']);
export type SuppressionReason = z.infer<typeof SuppressionReason>;

export const Suppression = z.object({
  email: z.string(),
  reason: SuppressionReason,
  /** The campaign it came back from (bounces, complaints, unsubscribes), by name. */
  campaign: z.string().nullable(),
  /** The server's words for a bounce, or what a person wrote when adding it. */
  detail: z.string().nullable(),
  /** When `detail` is Postroom's description (not a server's or a person's words): the description by code. */
  detailNote: CoreNote.optional(),
  createdAt: z.number(),
});
export type Suppression = z.infer<typeof Suppression>;

export const SuppressionsAddResult = z.object({
  /** Newly suppressed. */
  added: z.number().int().nonnegative(),
  /** Already on the suppression list. */
  already: z.number().int().nonnegative(),
});

export const SuppressionsImportResult = z.object({
  rows: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  already: z.number().int().nonnegative(),
  invalid: z.number().int().nonnegative(),
  encoding: z.string(),
  delimiter: z.string().nullable(),
  errors: z.array(SkippedRow),
});

const Paging = {
  /** Text to look for in the address, the name and the fields (case-insensitive). */
  search: z.string().max(500).optional(),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(1000).default(100),
};

export const recipientsContract = {
  /** Every list with its recipient count and merge fields, by name. */
  'lists:list': { input: z.object({}).strict(), output: z.array(ListSummary) },
  /** One list by what a person calls it: its name (without regard to case) or its id. NOT_FOUND (params.kind 'list'). */
  'lists:find': { input: z.object({ list: z.union([z.string().trim().min(1), z.number().int().positive()]) }).strict(), output: ListSummary },
  /** Creates an empty list. Error ALREADY_EXISTS when the name is taken (names are compared without case). */
  'lists:create': { input: z.object({ name: ListName }).strict(), output: ListSummary },
  /** Renames a list. NOT_FOUND, ALREADY_EXISTS. */
  'lists:rename': { input: z.object({ id: z.number().int().positive(), name: ListName }).strict(), output: ListSummary },
  /** Deletes a list and its recipients (campaigns keep their own copy of who they were sent to). */
  'lists:delete': { input: ListRef, output: z.object({ deleted: z.number().int().nonnegative() }) },
  /** One page of a list's recipients, ordered by address, optionally filtered by `search`. For a virtualised view. */
  'lists:recipients': {
    input: z.object({ id: z.number().int().positive(), ...Paging }).strict(),
    output: RecipientPage,
  },
  /** Counts of a whole list (recipients, suppressed, empty values per field) in one request, for 100,000 recipients too. NOT_FOUND. */
  'lists:stats': { input: ListRef, output: ListStats },
  /** Removes recipients from a list by id. */
  'lists:removeRecipients': {
    input: z.object({ id: z.number().int().positive(), recipientIds: z.array(z.number().int()).max(100_000) }).strict(),
    output: z.object({ removed: z.number().int().nonnegative() }),
  },
  /** Reads the head of a file and answers how it would be imported (see the wizard above). FILE_UNREADABLE, IMPORT_FAILED. */
  'lists:previewImport': { input: ReadOptions, output: ImportPreview },
  /** Imports a file into a list, streaming; emits `lists:importProgress`. CANCELLED, FILE_UNREADABLE, IMPORT_FAILED. */
  'lists:import': { input: ImportRequest, output: ImportSummary },
  /** Asks a running import to stop; the list is left as it was. `cancelled` is false when no such import runs. */
  'lists:cancelImport': { input: z.object({ importId: z.string() }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** The skipped rows of a finished import (the last few are kept) as CSV text: row, reason, then the row's cells. */
  'lists:skippedCsv': {
    input: z.object({ importId: z.string() }).strict(),
    output: z.object({ fileName: z.string(), csv: z.string() }),
  },
  /** The suppression list, newest first, with search and paging. */
  'suppressions:list': {
    input: z.object({ ...Paging }).strict(),
    output: z.object({ total: z.number().int().nonnegative(), offset: z.number().int(), items: z.array(Suppression) }),
  },
  /** Suppresses addresses (never sent to, on any list). INVALID_INPUT names the first address that isn't one; nothing is added then. */
  'suppressions:add': {
    input: z.object({ emails: z.array(z.string()).min(1).max(100_000), reason: z.string().max(500).optional() }).strict(),
    output: SuppressionsAddResult,
  },
  /** Lifts suppressions. */
  'suppressions:remove': {
    input: z.object({ emails: z.array(z.string()).min(1).max(100_000) }).strict(),
    output: z.object({ removed: z.number().int().nonnegative() }),
  },
  /** Suppresses every address in a file (any format `lists:import` reads; a plain list of addresses too). */
  'suppressions:import': {
    input: z.object({ path: z.string().min(1), sheet: z.string().optional(), encoding: z.string().optional(), delimiter: z.string().length(1).optional(), reason: z.string().max(500).optional() }).strict(),
    output: SuppressionsImportResult,
  },
} as const;

export const recipientsEvents = {
  /** A running import's progress, at most 10 a second; the last has phase done, cancelled or failed. */
  'lists:importProgress': ImportProgress,
  /** Lists or their recipients changed (import, rename, delete, removal): views showing `listId` should reload. */
  'lists:changed': z.object({ listId: z.number().int().nullable() }),
  /** The suppression list changed. */
  'suppressions:changed': z.object({}),
} as const;
