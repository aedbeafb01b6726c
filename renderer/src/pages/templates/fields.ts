/**
 * Which fields a template's texts use and whether each use has a fallback, for the fallbacks panel. A field
 * counts as covered when every `{{ field }}` output has `| default: …` or the field is tested in an
 * `{% if %}`/`{% unless %}` (the writer decided what happens when it is empty). The core's check stays the
 * authority on unknown fields and syntax; this is the quick scan done as the person types.
 */
import { BUILTIN_FIELDS, findFieldReferences } from '../../../../shared/merge-fields';

export interface FieldUse {
  field: string;
  uses: number;
  covered: boolean;
}

const builtins = new Set<string>(BUILTIN_FIELDS);

export function fieldUses(...sources: string[]): FieldUse[] {
  const byField = new Map<string, { uses: number; bare: number; guarded: boolean }>();
  for (const source of sources) {
    for (const ref of findFieldReferences(source)) {
      if (builtins.has(ref.field)) continue;
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
