/**
 * Liquid, set up for mail. Three engines that differ only in how a merged value is written out:
 * - HTML bodies escape every value (`<`, `&`, quotes), so a field can never add markup or a script;
 * - text parts and headers write values as they are (headers are then made CR/LF-safe by headers.ts);
 * - unsubscribe links percent-encode values, so a field can't break out of the URL (or the header).
 * Filters are strict: a misspelt filter is a syntax error reported by the check, not silence at send time.
 */
import type * as LiquidJs from 'liquidjs';
import type { Liquid, Template } from 'liquidjs';
import { onFirstUse } from '../first-use';
import { PostroomError } from '../../../shared/errors';
import { BUILTIN_FIELDS } from '../../../shared/merge-fields';
import type { MissingField, TemplatePart, TemplateSyntaxError } from '../../../shared/contract/templates';

// jsTruthy: an empty spreadsheet cell is "not there", so `{% if company %}` is false for it (Shopify Liquid
// would call "" true, and print "Greetings to ." for every recipient without a company).
// templates: {} gives {% include %} and {% render %} an empty in-memory file system, so a template can never
// read a file from the disk into a message.
// The limits keep a template from hanging or exhausting the app (`{% for i in (1..100000000) %}`): parsing stops
// past 10 million characters (a body is at most 2 million, its layout adds little); a render stops after
// RENDER_LIMIT_MS (a real newsletter merges in about a millisecond); ranges, padding and filters that build strings
// may allocate at most 20 million units (characters or items) per render. A broken limit is a template error.
export const RENDER_LIMIT_MS = 2_000;
const limits = { parseLimit: 10_000_000, renderLimit: RENDER_LIMIT_MS, memoryLimit: 20_000_000 } as const;
const common = { strictFilters: true, strictVariables: false, greedy: false, cache: false, jsTruthy: true, templates: {}, ...limits } as const;

export type Engine = 'html' | 'text' | 'url';

// liquidjs is loaded, and the engines made, when a template is first parsed: commands that merge nothing (an
// import, a list) don't pay for it (some 40 ms of start-up).
const liquidjs = onFirstUse<typeof LiquidJs>('liquidjs');
let made: Record<Engine, Liquid> | undefined;
function engines(): Record<Engine, Liquid> {
  if (made) return made;
  const { Liquid } = liquidjs();
  made = {
    html: new Liquid({ ...common, outputEscape: 'escape' }),
    text: new Liquid({ ...common }),
    url: new Liquid({ ...common, outputEscape: (v: unknown) => encodeURIComponent(v === null || v === undefined ? '' : String(v)) }),
  };
  return made;
}

/** A parsed template, ready to render many times. */
export interface Compiled {
  engine: Engine;
  templates: Template[];
  /** The same template as text and plain `{{ name }}` outputs, when that is all it is (see plainParts). */
  plain: Plain | null;
}

/**
 * A template that is only text and plain outputs (`{{ name }}`, or `{{ name | default: "there" }}` with a quoted
 * text: most subjects and From names, many bodies): its texts, and the field between each two. It is merged by
 * joining them, which is what liquidjs writes for it, without its interpreter: a 9 KB body with six fields in
 * ~3 us instead of ~35 (test/core/compose/liquid-plain.test.ts renders both ways and compares). Anything else (other
 * filters, tags, properties, whitespace control) is liquidjs's.
 */
interface Plain {
  texts: string[];
  names: string[];
  /** Each output's `default:` text, or null when it has none. */
  defaults: Array<string | null>;
}

// `{{ name }}` or `{{ name | default: "text" }}`; the text without backslashes (escapes), braces, pipes or percents.
const PLAIN_OUTPUT = /\{\{[ \t\r\n]*([A-Za-z_][A-Za-z0-9_]*)(?:[ \t]*\|[ \t]*default:[ \t]*(?:"([^"\\{}|%]*)"|'([^'\\{}|%]*)'))?[ \t\r\n]*\}\}/g;
/** Names liquidjs doesn't read as a field: its literals, and what it answers for any object (`size` of the scope). */
const NOT_FIELDS = new Set(['true', 'false', 'nil', 'null', 'empty', 'blank', 'size', 'first', 'last']);

function plainParts(source: string): Plain | null {
  const texts: string[] = [];
  const names: string[] = [];
  const defaults: Array<string | null> = [];
  let from = 0;
  for (const m of source.matchAll(PLAIN_OUTPUT)) {
    if (NOT_FIELDS.has(m[1]!)) return null;
    texts.push(source.slice(from, m.index));
    names.push(m[1]!);
    defaults.push(m[2] ?? m[3] ?? null);
    from = m.index + m[0].length;
  }
  texts.push(source.slice(from));
  // Liquid anywhere else, or a brace just before an output (`{{{ name }}`), is liquidjs's to read.
  return texts.some((t, i) => t.includes('{{') || t.includes('{%') || (i < names.length && t.endsWith('{'))) ? null : { texts, names, defaults };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/**
 * A value as each engine writes it out (its outputEscape, above), for a plain template, after its `default:` text
 * (which liquidjs's default filter gives for a missing or empty value); null: a value that isn't text.
 */
function written(engine: Engine, value: unknown, fallback: string | null): string | null {
  if (value === undefined || value === null || value === '') value = fallback ?? '';
  if (typeof value !== 'string') return null;
  if (engine === 'text') return value;
  if (engine === 'url') return encodeURIComponent(value);
  return /[&<>"']/.test(value) ? value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!) : value;
}

/** Merges a plain template; null when a field's value isn't text (liquidjs then writes it). */
function renderPlain(engine: Engine, { texts, names, defaults }: Plain, scope: Record<string, unknown>): string | null {
  let out = texts[0]!;
  for (let i = 0; i < names.length; i++) {
    // As liquidjs reads a field (ownPropertyOnly): the scope's own properties only.
    const value = written(engine, Object.hasOwn(scope, names[i]!) ? scope[names[i]!] : undefined, defaults[i]!);
    if (value === null) return null;
    out += value + texts[i + 1]!;
  }
  return out;
}

/** A syntax error with its place in the part's own text. */
export class LiquidSyntaxError extends Error {
  constructor(
    readonly part: TemplatePart,
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
  toProblem(): TemplateSyntaxError {
    return { part: this.part, line: this.line, column: this.column, message: this.message };
  }
}

/** Parses `source`; throws LiquidSyntaxError with line/column (1-based) when it doesn't parse. */
export function compile(source: string, engine: Engine, part: TemplatePart): Compiled {
  try {
    return { engine, templates: engines()[engine].parse(source), plain: plainParts(source) };
  } catch (err) {
    const e = err as Error & { token?: { getPosition?: () => [number, number] } };
    const [line, column] = e.token?.getPosition?.() ?? [1, 1];
    const message = (e.message ?? String(err)).replace(/,\s*line:\d+,\s*col:\d+\s*$/, '');
    throw new LiquidSyntaxError(part, line, column, explain(message));
  }
}

/** liquidjs's messages, in words a person writing a newsletter reads. */
function explain(message: string): string {
  let m: RegExpMatchArray | null;
  if ((m = /^tag "(.+)" not found$/.exec(message))) return `unknown tag "{% ${m[1]} %}"`;
  if ((m = /^undefined filter: (.+)$/.exec(message))) return `unknown filter "${m[1]}"`;
  if ((m = /^tag (\{%.*%\}) not closed$/.exec(message))) return `${m[1]} is never closed (add its {% end… %} tag)`;
  if ((m = /^output (.*) not closed$/.exec(message))) return `${m[1]} is never closed (add "}}")`;
  return message;
}

/** Like compile, but a syntax error becomes TEMPLATE_INVALID for a person (used when composing). */
export function compileOrThrow(source: string, engine: Engine, part: TemplatePart): Compiled {
  try {
    return compile(source, engine, part);
  } catch (err) {
    if (err instanceof LiquidSyntaxError) {
      throw new PostroomError(
        'TEMPLATE_INVALID',
        `The template's ${partName(part)} has a mistake at line ${err.line}, column ${err.column}: ${err.message}. Fix it in the template editor (or check it with 'postroom template check').`,
      );
    }
    throw err;
  }
}

export function partName(part: TemplatePart): string {
  const names: Record<TemplatePart, string> = {
    subject: 'subject',
    from: 'From name',
    replyTo: 'Reply-To',
    body: 'body',
    text: 'text part',
    attachField: 'attachment field',
    unsubscribe: 'unsubscribe link',
  };
  return names[part];
}

const RUNAWAY = 'it runs too long or builds too much text';

/** Whether an error message (also one carried from a compose worker) says a template broke the limits above. */
export function isRunawayTemplate(message: string): boolean {
  return message.includes(RUNAWAY);
}

/** Renders synchronously (no async tags are used in mail templates). */
export function render(c: Compiled, scope: Record<string, unknown>): string {
  if (c.plain) {
    const merged = renderPlain(c.engine, c.plain, scope);
    if (merged !== null) return merged;
  }
  try {
    return engines()[c.engine].renderSync(c.templates, scope) as string;
  } catch (err) {
    const message = ((err as Error).message ?? String(err)).replace(/,\s*line:\d+,\s*col:\d+\s*$/, '');
    if (/\b(?:render|memory alloc|parse length) limit exceeded\b/.test(message)) {
      throw new PostroomError(
        'TEMPLATE_INVALID',
        `The template could not be merged: ${RUNAWAY} (${message}), most likely a loop over a huge range or a string that keeps growing. Make the loop smaller in the template.`,
      );
    }
    throw new PostroomError('TEMPLATE_INVALID', `The template could not be merged: ${message}. Fix the template (check it with 'postroom template check').`);
  }
}

/** Tags that would pull other files into a message: mail templates are self-contained. */
export const FILE_TAGS = /\{%-?\s*(include|render|layout)\b/g;

/** Every variable the template reads from outside (not assigned, not a loop variable), with its place. */
export function globalFields(c: Compiled, part: TemplatePart): MissingField[] {
  const analysis = engines()[c.engine].analyzeSync(c.templates, { partials: false });
  const out: MissingField[] = [];
  for (const [field, vars] of Object.entries(analysis.globals)) {
    for (const v of vars) out.push({ field, part, line: v.location.row, column: v.location.col });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

export const builtinFields: ReadonlySet<string> = new Set(BUILTIN_FIELDS);
