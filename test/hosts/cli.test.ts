import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, globalHelp } from '../../electron/hosts/cli';
import { loadedTable } from '../../electron/hosts/cli/table';
import { resolveDataDir } from '../../electron/core/paths';
import { DB_FILE } from '../../electron/core/store/db';
import { captureIo, tempDir } from '../helpers';

describe('the postroom command line', () => {
  it('prints its help with --help and exits 0', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(out.join('\n')).toContain('Usage: postroom <command>');
    expect(out.join('\n')).toContain('serve');
  });

  it('prints the version with --version', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(out[0]).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('shows help and exits 2 when called without a command', async () => {
    const { io, out } = captureIo();
    expect(await runCli([], io)).toBe(2);
    expect(out.join('\n')).toBe(globalHelp((await loadedTable()).specs));
  });

  it('exits 2 with one line on stderr for an unknown command', async () => {
    const { io, err } = captureIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/Unknown command "frobnicate"/);
  });

  it('exits 2 for an unknown option', async () => {
    const { io, err } = captureIo();
    expect(await runCli(['lists', '--frob', '--data', tempDir()], io)).toBe(2);
    expect(err[0]).toMatch(/--frob/);
  });

  it('exits 2 for a command group without its subcommand, naming the choices', async () => {
    const { io, err } = captureIo();
    expect(await runCli(['relay'], io)).toBe(2);
    expect(err[0]).toMatch(/relay needs one of: .*list/);
  });

  it('prints a command\'s own help', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['serve', '--help'], io)).toBe(0);
    expect(out.join('\n')).toContain('Usage: postroom serve [--port PORT]');
  });

  it('uses --data, creating the folder and its database', async () => {
    const dir = path.join(tempDir(), 'fresh');
    const { io, out } = captureIo();
    expect(await runCli(['lists', '--json', '--data', dir], io)).toBe(0);
    expect(JSON.parse(out[0]!)).toEqual([]);
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(true);
  });

  it('uses POSTROOM_DATA when --data is not given', async () => {
    const dir = tempDir();
    const { io } = captureIo({ POSTROOM_DATA: dir });
    expect(await runCli(['lists'], io)).toBe(0);
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(true);
  });

  it('exits 1 with one clear line when the database is damaged, and leaves it as it was', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, DB_FILE), 'not a database at all, but long enough to have a header');
    const { io, err } = captureIo();
    expect(await runCli(['lists', '--data', dir], io)).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/damaged or is not a Postroom database/);
    expect(fs.readFileSync(path.join(dir, DB_FILE), 'utf8')).toBe('not a database at all, but long enough to have a header');
  });
});

describe('the data folder', () => {
  it('follows --data, then POSTROOM_DATA, then the per-OS folder', () => {
    expect(resolveDataDir('/x/y', { POSTROOM_DATA: '/p' }, 'linux', '/home/a')).toBe('/x/y');
    expect(resolveDataDir(undefined, { POSTROOM_DATA: '/p' }, 'linux', '/home/a')).toBe('/p');
    expect(resolveDataDir(undefined, {}, 'linux', '/home/a')).toBe('/home/a/.config/Postroom');
    expect(resolveDataDir(undefined, { XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/a')).toBe('/cfg/Postroom');
    expect(resolveDataDir(undefined, {}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/Postroom');
    expect(resolveDataDir(undefined, { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toBe(path.join('C:\\Users\\a\\AppData\\Roaming', 'Postroom'));
  });
});

describe('commands we suggest', () => {
  it('quote names a shell would split or expand, and leave plain names as they are', async () => {
    const { shellArg } = await import('../../electron/hosts/cli/output');
    expect(shellArg('spring')).toBe('spring');
    expect(shellArg('Spring news')).toBe('"Spring news"');
    expect(shellArg('Price $5 "deal"')).toBe('"Price \\$5 \\"deal\\""');
  });
});
