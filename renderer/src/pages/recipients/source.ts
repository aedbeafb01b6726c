/**
 * The file name a list came from, as the person named it. Files sent through `./upload` are kept in the data
 * folder as `<12 hex digits>-<name>` (so two uploads of "Customers.csv" don't collide); that prefix is ours, not
 * theirs.
 */
export function displaySource(source: string): string {
  return source.replace(/^[0-9a-f]{12}-/, '');
}
