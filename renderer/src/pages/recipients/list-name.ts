/**
 * The name a list imported from a file is given: the file's words without the extension and the separators
 * ("excel-utf8-bom.csv" → "Excel utf8 bom"), their case kept (no "Utf8", no "IPhone") except that a first word in
 * small letters gets a capital, and made unique against the lists there are ("Customers (2)").
 */
export function listNameFromFile(fileName: string, taken: readonly string[] = []): string {
  const words = fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/[_\-.+]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // A first word written all in small letters gets a capital; one with its own capitals ("iPhone") is kept.
  const first = words.split(' ')[0] ?? '';
  const base = !words ? 'Recipients' : first === first.toLocaleLowerCase() ? words.charAt(0).toLocaleUpperCase() + words.slice(1) : words;
  const used = new Set(taken.map((n) => n.toLocaleLowerCase()));
  if (!used.has(base.toLocaleLowerCase())) return base;
  for (let i = 2; ; i++) if (!used.has(`${base} (${i})`.toLocaleLowerCase())) return `${base} (${i})`;
}
