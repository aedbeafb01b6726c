import { describe, expect, it } from 'vitest';
import { listNameFromFile } from '../../renderer/src/pages/recipients/list-name';

describe('the name of a list imported from a file', () => {
  it("keeps the file's words, without extension and separators, with a capital first letter", () => {
    expect(listNameFromFile('excel-utf8-bom.csv')).toBe('Excel utf8 bom');
    expect(listNameFromFile('spring_2026__customers.xlsx')).toBe('Spring 2026 customers');
    expect(listNameFromFile('iPhone owners.csv')).toBe('iPhone owners');
    expect(listNameFromFile('Customers DE.tsv')).toBe('Customers DE');
  });

  it('falls back to "Recipients" and is made unique against existing lists', () => {
    expect(listNameFromFile('.csv')).toBe('Recipients');
    expect(listNameFromFile('customers.csv', ['Customers', 'customers (2)'])).toBe('Customers (3)');
  });
});
