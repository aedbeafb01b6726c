import { describe, expect, it } from 'vitest';
import { fieldTag, findFieldReferences, isBuiltinField, normaliseFieldName } from '../../../shared/merge-fields';

describe('merge-field names (shared with the editor)', () => {
  it('normalises a spreadsheet header the way the import does', () => {
    expect(normaliseFieldName('  First Name ')).toBe('first_name');
    expect(normaliseFieldName('E-Mail')).toBe('e_mail');
    expect(normaliseFieldName('Straße')).toBe('straße');
  });

  it('writes the Liquid that inserts a field, with a fallback when given', () => {
    expect(fieldTag('first_name')).toBe('{{ first_name }}');
    expect(fieldTag('first_name', 'there')).toBe('{{ first_name | default: "there" }}');
    expect(fieldTag('2nd line')).toBe('{{ ["2nd line"] }}');
  });

  it('finds the fields a template uses with line and column, and tells built-ins apart', () => {
    const src = 'Hi {{ first_name | default: "x" }}\n{% if company and vip %}{{ company | upcase }}{% endif %}\n{% assign y = city %}{{ y }}{% for i in items %}{{ i.name }}{% endfor %}';
    expect(findFieldReferences(src)).toEqual([
      { field: 'first_name', line: 1, column: 7 },
      { field: 'company', line: 2, column: 7 },
      { field: 'vip', line: 2, column: 19 },
      { field: 'company', line: 2, column: 28 },
      { field: 'city', line: 3, column: 15 },
      { field: 'items', line: 3, column: 41 },
    ]);
    expect(isBuiltinField('unsubscribe_url')).toBe(true);
    expect(isBuiltinField('first_name')).toBe(false);
  });
});
