/** Output helpers shared by the commands: tables for people, JSON for scripts. */

/** A plain text table with a header row; columns padded to their widest cell. */
export function table(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** A name as it must be typed in a shell command we suggest: quoted when it has spaces or shell characters. */
export function shellArg(name: string): string {
  return /^[\w@%+=:,./-]+$/.test(name) ? name : `"${name.replace(/(["\\$`])/g, '\\$1')}"`;
}
