/**
 * The README's table of areas is how a newcomer finds where something lives: every path in it must exist, and every
 * contract file, core folder, command-line module and window section must be in it (a new one added without a row
 * fails here).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const table = /<!-- areas -->([\s\S]*?)<!-- \/areas -->/.exec(readme)?.[1] ?? '';
const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Area'));
const cells = rows.map((r) => r.split('|').slice(1, -1).map((c) => c.trim()));
/** The paths named in a column (back-quoted, as they are written). */
const column = (i: number) => cells.flatMap((c) => [...(c[i] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
const listed = new Set([1, 2, 3, 4].flatMap(column));
const entries = (dir: string, filter: (name: string, isDir: boolean) => boolean) =>
  fs.readdirSync(path.join(root, dir), { withFileTypes: true }).filter((e) => filter(e.name, e.isDirectory())).map((e) => `${dir}/${e.name}${e.isDirectory() ? '/' : ''}`);

describe("the README's table of areas", () => {
  it('has a row per area, each naming a contract, the core, the command line and the window', () => {
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const c of cells) {
      expect(c).toHaveLength(5);
      for (const cell of c.slice(1)) expect(cell).toMatch(/`[^`]+`/);
    }
  });

  it('names only paths that exist', () => {
    const missing = [...listed].filter((p) => !fs.existsSync(path.join(root, p)));
    expect(missing).toEqual([]);
  });

  it('names every contract file, core area and window section', () => {
    const everything = [
      ...entries('shared/contract', (n) => n.endsWith('.ts')),
      ...entries('electron/core', (_n, dir) => dir), // the core's areas are its folders
      ...entries('renderer/src/pages', (_n, dir) => dir),
    ];
    expect(everything.filter((p) => !listed.has(p))).toEqual([]);
  });

  it('lists every command-line area the command line loads', () => {
    const areas = fs.readFileSync(path.join(root, 'electron/hosts/cli/areas.ts'), 'utf8');
    const modules = [...areas.matchAll(/import\('\.\/([\w-]+)'\)/g)].map((m) => `electron/hosts/cli/${m[1]}.ts`);
    expect(modules.length).toBeGreaterThan(0);
    expect(modules.filter((m) => !listed.has(m))).toEqual([]);
  });
});
