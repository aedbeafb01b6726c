import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/hosts/cli';
import { createService } from '../../electron/core/service';
import { dispatch } from '../../shared/router';
import { captureIo, tempDir } from '../helpers';

/** Runs `postroom ARGS --data DIR` in-process, from `cwd`. */
async function run(data: string, args: string[], cwd = process.cwd()) {
  const c = captureIo();
  c.io.cwd = cwd;
  const code = await runCli([...args, '--data', data], c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
}

function setUp() {
  const data = tempDir();
  const files = tempDir();
  fs.writeFileSync(path.join(files, 'news.html'), '<html><body>\n<p>Hi {{ first_name | default: "there" }}</p>\n<p>{{ company }}</p><img src="cid:logo.png"></body></html>');
  fs.writeFileSync(path.join(files, 'letter.md'), '# Hello {{ first_name }}\n\nA note.');
  fs.writeFileSync(path.join(files, 'logo.png'), Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
  fs.writeFileSync(path.join(files, 'terms.pdf'), '%PDF terms');
  return { data, files };
}

function addList(data: string, name: string, fields: string[]) {
  const s = createService({ dataDir: data, host: 'test' });
  s.ctx.db.prepare(`INSERT INTO lists (name, fields, created_at, updated_at) VALUES (?, ?, 1, 1)`).run(name, JSON.stringify(fields));
  return s.close();
}

describe('postroom template', () => {
  it('adds an HTML template with attachments, an inline image and an attachment field, and lists it', async () => {
    const { data, files } = setUp();
    const add = await run(data, ['template', 'add', 'News', '--subject', 'Hi {{ first_name }}', '--from', 'Ann <ann@example.com>', '--html', 'news.html', '--attach', 'logo.png', '--attach', 'terms.pdf', '--attach-field', 'Invoice', '--reply-to', 'help@example.com'], files);
    expect(add).toMatchObject({ code: 0, err: '' });
    expect(add.out).toMatch(/^Added template "News" \(html, 2 attachments\)/);
    const list = await run(data, ['template', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toEqual([expect.objectContaining({ name: 'News', subject: 'Hi {{ first_name }}', from: 'Ann <ann@example.com>', format: 'html' })]);
    const show = JSON.parse((await run(data, ['template', 'show', 'news', '--json'])).out);
    expect(show).toMatchObject({ replyTo: 'help@example.com', attachField: 'invoice' });
    expect(show.attachments.map((a: { filename: string; cid: string | null }) => [a.filename, a.cid])).toEqual([
      ['logo.png', 'logo.png'],
      ['terms.pdf', null],
    ]);
  });

  it('adds a Markdown template', async () => {
    const { data, files } = setUp();
    const add = await run(data, ['template', 'add', 'Letter', '--subject', 'A note', '--from', 'ann@example.com', '--markdown', path.join(files, 'letter.md'), '--json']);
    expect(add.code).toBe(0);
    expect(JSON.parse(add.out)).toMatchObject({ name: 'Letter', format: 'markdown', from: 'ann@example.com' });
  });

  it('refuses a template with a syntax error, saying where, and saves nothing', async () => {
    const { data, files } = setUp();
    fs.writeFileSync(path.join(files, 'bad.html'), '<p>one</p>\n<p>{% if x %}two</p>');
    const add = await run(data, ['template', 'add', 'Bad', '--subject', 's', '--from', 'ann@example.com', '--html', 'bad.html'], files);
    expect(add.code).toBe(1);
    expect(add.err).toBe("postroom: The template's body has a mistake at line 2, column 4: {% if x %} is never closed (add its {% end… %} tag). Nothing was saved.");
    expect(JSON.parse((await run(data, ['template', 'list', '--json'])).out)).toEqual([]);
  });

  it('is a usage error to give both --html and --markdown, or neither', async () => {
    const { data, files } = setUp();
    const both = await run(data, ['template', 'add', 'X', '--subject', 's', '--from', 'a@example.com', '--html', 'news.html', '--markdown', 'letter.md'], files);
    expect(both.code).toBe(2);
    const neither = await run(data, ['template', 'add', 'X', '--subject', 's', '--from', 'a@example.com'], files);
    expect(neither.code).toBe(2);
    expect(neither.err).toMatch(/exactly one of --html FILE or --markdown FILE/);
  });

  it('fails with one clear line when the body file is missing', async () => {
    const { data, files } = setUp();
    const r = await run(data, ['template', 'add', 'X', '--subject', 's', '--from', 'a@example.com', '--html', 'nope.html'], files);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^postroom: Couldn't read the HTML file .*nope\.html/);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it('refuses a name that is taken, and replaces it with --replace', async () => {
    const { data, files } = setUp();
    const base = ['template', 'add', 'News', '--from', 'ann@example.com', '--html', 'news.html'];
    expect((await run(data, [...base, '--subject', 'one'], files)).code).toBe(0);
    const again = await run(data, [...base, '--subject', 'two'], files);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists/);
    expect((await run(data, [...base, '--subject', 'two', '--replace'], files)).code).toBe(0);
    expect(JSON.parse((await run(data, ['template', 'list', '--json'])).out).map((t: { subject: string }) => t.subject)).toEqual(['two']);
  });
});

describe('postroom template add --language', () => {
  it('saves the language the message is written in, which the layout writes its footer and <html lang> in', async () => {
    const { data, files } = setUp();
    const add = await run(data, ['template', 'add', 'Brief', '--subject', 'Neuigkeiten', '--from', 'ann@example.com', '--markdown', 'letter.md', '--language', 'de', '--json'], files);
    expect(add.code).toBe(0);
    expect(JSON.parse(add.out)).toMatchObject({ name: 'Brief', language: 'de' });
    expect(JSON.parse((await run(data, ['template', 'list', '--json'])).out)).toEqual([expect.objectContaining({ name: 'Brief', language: 'de' })]);
    expect((await run(data, ['template', 'show', 'Brief'])).out).toMatch(/^Language: de$/m);

    const s = createService({ dataDir: data, host: 'test' });
    try {
      const r = await dispatch(s.handlers, 'templates:preview', { id: JSON.parse(add.out).id, unsubscribe: { url: 'https://example.com/u' } });
      expect(r.ok && r.value.html).toMatch(/<html lang="de">[\s\S]*Sie können sich jederzeit <a href="https:\/\/example\.com\/u"[^>]*>abmelden<\/a>/);
    } finally {
      await s.close();
    }
  });

  it('writes in English without it, and --replace keeps the template’s language unless given', async () => {
    const { data, files } = setUp();
    const base = ['template', 'add', 'Letter', '--subject', 's', '--from', 'ann@example.com', '--markdown', 'letter.md', '--json'];
    expect(JSON.parse((await run(data, base, files)).out).language).toBe('en');
    expect(JSON.parse((await run(data, [...base, '--replace', '--language', 'fr'], files)).out).language).toBe('fr');
    expect(JSON.parse((await run(data, [...base, '--replace'], files)).out).language).toBe('fr');
  });

  it('is a usage error to name a language Postroom does not write in, and help names the choices', async () => {
    const { data, files } = setUp();
    const r = await run(data, ['template', 'add', 'X', '--subject', 's', '--from', 'a@example.com', '--markdown', 'letter.md', '--language', 'pt'], files);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(/--language must be one of en, de, fr, es, not "pt"/);
    expect(JSON.parse((await run(data, ['template', 'list', '--json'])).out)).toEqual([]);
    const help = await run(data, ['template', 'add', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('[--language en|de|fr|es]');
  });
});

describe('postroom template check', () => {
  it('reports the fields the list lacks with line and column, as JSON, and exits 1', async () => {
    const { data, files } = setUp();
    await run(data, ['template', 'add', 'News', '--subject', 'Hi {{ first_name }}', '--from', 'ann@example.com', '--html', 'news.html'], files);
    await addList(data, 'Customers', ['email', 'first_name']);
    const r = await run(data, ['template', 'check', 'News', '--list', 'Customers', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ template: 'News', list: 'Customers', ok: false, errors: [], fields: ['first_name', 'company'] });
    expect(report.missing).toEqual([{ field: 'company', part: 'body', line: 3, column: 7 }]);
    expect(r.err).toMatch(/^postroom: template "News" can't be sent to the list "Customers": 1 use of missing fields \(company\)/);
  });

  it('prints problems as part:line:column lines for people', async () => {
    const { data, files } = setUp();
    await run(data, ['template', 'add', 'News', '--subject', 'Hi {{ first_name }}', '--from', 'ann@example.com', '--html', 'news.html'], files);
    await addList(data, 'Customers', ['email']);
    const r = await run(data, ['template', 'check', 'News', '--list', 'Customers']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('subject:1:7: missing field: the list "Customers" has no field "first_name"');
    expect(r.out).toContain('body:2:10: missing field: the list "Customers" has no field "first_name"');
  });

  it('prints each warning with the command that deals with it, and drops the DKIM one once a key is kept', async () => {
    const { data, files } = setUp();
    await run(data, ['template', 'add', 'News', '--subject', 'Hi', '--from', 'ann@example.com', '--html', 'news.html'], files);
    await addList(data, 'Customers', ['email', 'First Name', 'Company']);
    const before = await run(data, ['template', 'check', 'News', '--list', 'Customers']);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/^warning: Messages from example\.com won't be DKIM-signed.* Add a key with 'postroom dkim add example\.com --selector NAME' and publish its DNS record\.$/m);
    expect((await run(data, ['dkim', 'add', 'example.com', '--selector', 'pr1'])).code).toBe(0);
    const after = await run(data, ['template', 'check', 'News', '--list', 'Customers']);
    expect(after.out).not.toMatch(/DKIM/);
  });

  it('exits 0 when the list has every field', async () => {
    const { data, files } = setUp();
    await run(data, ['template', 'add', 'News', '--subject', 'Hi', '--from', 'ann@example.com', '--html', 'news.html'], files);
    await addList(data, 'Customers', ['email', 'First Name', 'Company']);
    const r = await run(data, ['template', 'check', 'News', '--list', 'Customers', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, missing: [], errors: [] });
  });

  it('says which template or list is not there', async () => {
    const { data } = setUp();
    const r = await run(data, ['template', 'check', 'Nope', '--list', 'Customers']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/There is no template named "Nope"/);
    expect((await run(data, ['template', 'check', 'Nope'])).code).toBe(2);
  });
});

describe('postroom dkim', () => {
  it('makes a key, prints the DNS record to publish, lists and removes it', async () => {
    const { data } = setUp();
    const add = await run(data, ['dkim', 'add', 'example.com', '--selector', 'pr1']);
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/pr1\._domainkey\.example\.com {2}TXT {2}"v=DKIM1; k=rsa; p=[^"]{200,}" "[^"]+"$/m);
    expect(JSON.parse((await run(data, ['dkim', 'list', '--json'])).out)).toEqual([expect.objectContaining({ domain: 'example.com', selector: 'pr1' })]);
    expect((await run(data, ['dkim', 'remove', 'example.com'])).code).toBe(0);
    const again = await run(data, ['dkim', 'remove', 'example.com']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/No DKIM key is kept for example.com/);
  });
});

describe('postroom template add with local images', () => {
  it('sends images the body shows from files beside it inline, by cid:', async () => {
    const { data, files } = setUp();
    fs.mkdirSync(path.join(files, 'img'));
    fs.copyFileSync(path.join(files, 'logo.png'), path.join(files, 'img', 'team photo.png'));
    fs.writeFileSync(path.join(files, 'pics.md'), '![Our logo](logo.png)\n\n![The team](img/team%20photo.png "Team")\n\n![remote](https://example.com/x.png)');
    const add = await run(data, ['template', 'add', 'Pics', '--subject', 's', '--from', 'ann@example.com', '--markdown', 'pics.md', '--json'], files);
    expect(add.code).toBe(0);
    const t = JSON.parse(add.out);
    expect(t.body).toBe('![Our logo](cid:logo.png)\n\n![The team](cid:team_photo.png "Team")\n\n![remote](https://example.com/x.png)');
    expect(t.attachments.map((a: { filename: string; cid: string }) => [a.filename, a.cid])).toEqual([
      ['logo.png', 'logo.png'],
      ['team photo.png', 'team_photo.png'],
    ]);
  });
});
