/**
 * Merge-field names, shared by the core and the renderer (the template editor's field palette).
 * Pure TypeScript: no Node, no DOM.
 *
 * A list's fields are normalised like spreadsheet headers are on import: trimmed, lower case, runs of spaces
 * and dashes to `_` ("First Name" → `first_name`), so that `{{ first_name }}` is a valid Liquid variable.
 */

/** Variables every template may use, whatever the list: they come from the recipient and the campaign. */
export const BUILTIN_FIELDS = ['email', 'name', 'list', 'campaign', 'unsubscribe_url', 'unsubscribe_mailto'] as const;
export type BuiltinField = (typeof BUILTIN_FIELDS)[number];

/** Liquid's own names that are not fields (loop helpers, literals). */
const LIQUID_NAMES = new Set(['forloop', 'tablerowloop', 'true', 'false', 'nil', 'null', 'empty', 'blank']);

export function isBuiltinField(name: string): boolean {
  return (BUILTIN_FIELDS as readonly string[]).includes(name);
}

/** "First Name " → `first_name`: how a spreadsheet header becomes a merge-field name. */
export function normaliseFieldName(header: string): string {
  return header
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Whether `{{ name }}` can refer to this field directly (else use `{{ ["odd name"] }}`). */
export function isPlainFieldName(name: string): boolean {
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(name);
}

/** The Liquid text that inserts a field, with an optional fallback: `{{ first_name | default: "there" }}`. */
export function fieldTag(name: string, fallback?: string): string {
  const ref = isPlainFieldName(name) ? name : `[${JSON.stringify(name)}]`;
  if (fallback === undefined || fallback === '') return `{{ ${ref} }}`;
  return `{{ ${ref} | default: ${JSON.stringify(fallback)} }}`;
}

/** A field used in a template, where (1-based line and column of the variable's name). */
export interface FieldReference {
  field: string;
  line: number;
  column: number;
}

/**
 * Fields a template refers to, in order, with their position: a quick scan for the editor (highlighting,
 * "used fields" in the palette) as the person types. It reads `{{ … }}` outputs and the conditions of
 * `{% if/unless/elsif/case/when %}` tags, and skips names a `{% assign %}`, `{% capture %}` or `{% for %}` made.
 * The core's check (which parses with Liquid itself) is the authority before a send.
 */
export function findFieldReferences(source: string): FieldReference[] {
  const refs: FieldReference[] = [];
  const local = new Set<string>();
  const tagRe = /\{\{-?([\s\S]*?)-?\}\}|\{%-?\s*(\w+)([\s\S]*?)-?%\}/g;
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const position = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const scanExpression = (expr: string, start: number) => {
    // Drop string literals, keep offsets by blanking them out.
    const blanked = expr.replace(/"[^"]*"|'[^']*'/g, (s) => ' '.repeat(s.length));
    const nameRe = /(\|\s*[\w-]+|\.\s*[\p{L}_][\p{L}\p{N}_]*|[\p{L}_][\p{L}\p{N}_-]*)/gu;
    let m: RegExpExecArray | null;
    let afterFilter = false;
    while ((m = nameRe.exec(blanked))) {
      const word = m[1]!;
      if (word.startsWith('|')) {
        afterFilter = true;
        continue;
      }
      if (word.startsWith('.')) continue; // a property of the previous name
      const prev = blanked.slice(0, m.index).trimEnd();
      if (afterFilter && (prev.endsWith(':') || prev.endsWith(','))) {
        // filter arguments may be variables too: fall through
      } else if (afterFilter) continue;
      if (/^(and|or|contains|in|with|as|by|limit|offset|reversed)$/.test(word)) continue;
      if (/^\d/.test(word) || LIQUID_NAMES.has(word)) continue;
      if (local.has(word)) continue;
      refs.push({ field: word, ...position(start + m.index) });
    }
  };
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(source))) {
    if (m[1] !== undefined) {
      scanExpression(m[1], m.index + m[0].indexOf(m[1]));
      continue;
    }
    const tag = m[2]!;
    const rest = m[3] ?? '';
    const restStart = m.index + m[0].indexOf(rest, m[0].indexOf(tag) + tag.length);
    if (tag === 'assign' || tag === 'capture') {
      const name = /^\s*([\p{L}_][\p{L}\p{N}_-]*)/u.exec(rest)?.[1];
      if (tag === 'assign') scanExpression(rest.slice(rest.indexOf('=') + 1), restStart + rest.indexOf('=') + 1);
      if (name) local.add(name);
    } else if (tag === 'for' || tag === 'tablerow') {
      const fm = /^\s*([\p{L}_][\p{L}\p{N}_-]*)\s+in\s+/u.exec(rest);
      if (fm) {
        local.add(fm[1]!);
        scanExpression(rest.slice(fm[0].length), restStart + fm[0].length);
      }
    } else if (['if', 'unless', 'elsif', 'case', 'when', 'echo'].includes(tag)) {
      scanExpression(rest, restStart);
    }
  }
  return refs;
}

/**
 * Which fields a template's texts use and whether each use has a fallback. A field counts as covered when every
 * `{{ field }}` output has `| default: …` or the field is tested in an `{% if %}`/`{% unless %}` (the writer
 * decided what happens when it is empty). The window's fallbacks panel and the core's review both ask this.
 */
export interface FieldUse {
  field: string;
  uses: number;
  covered: boolean;
}

export function fieldUses(...sources: string[]): FieldUse[] {
  const byField = new Map<string, { uses: number; bare: number; guarded: boolean }>();
  for (const source of sources) {
    for (const ref of findFieldReferences(source)) {
      if (isBuiltinField(ref.field)) continue;
      const e = byField.get(ref.field) ?? { uses: 0, bare: 0, guarded: false };
      e.uses++;
      byField.set(ref.field, e);
    }
    for (const m of source.matchAll(/\{\{-?\s*([\p{L}_][\p{L}\p{N}_]*)\s*(\|[^}]*)?-?\}\}/gu)) {
      const e = byField.get(m[1]!);
      if (e && !/\|\s*default\s*:/.test(m[2] ?? '')) e.bare++;
    }
    for (const m of source.matchAll(/\{%-?\s*(?:if|unless|elsif)\s+([\p{L}_][\p{L}\p{N}_]*)/gu)) {
      const e = byField.get(m[1]!);
      if (e) e.guarded = true;
    }
  }
  return [...byField].map(([field, e]) => ({ field, uses: e.uses, covered: e.bare === 0 || e.guarded }));
}
