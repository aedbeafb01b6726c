/**
 * The visual editor: a new template opens in it; text typed, a field chip with its fallback, a button in the
 * brand colour, a paste from Word cleaned to safe blocks, undo and redo; the preview shows the merged message;
 * switching to Markdown says what would be lost; the saved template reopens in the visual editor as it was.
 * A picture chosen on the computer goes in as an inline image: seen in the dialog and the editor, refused in words
 * when it isn't a picture or is too big, and carried by the message as a multipart/related part with its Content-ID.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { captureScreen, expectNoErrors, openApp, setupApp, writeRecipientsCsv, tempDataDir, cli } from './harness';

const env = setupApp(async (dataDir) => {
  const csv = writeRecipientsCsv(tempDataDir('postroom-e2e-visual-'), 3, 'Customers.csv');
  await cli(['import', csv, '--list', 'Customers', '--data', dataDir]);
});

const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";font-family:Calibri}</style></head>
<body><!--StartFragment--><p class=MsoNormal style='font-family:Calibri;color:red'><b>Opening hours</b> change<o:p></o:p></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>·<span>&nbsp;&nbsp;</span></span><![endif]>Monday to Friday<o:p></o:p></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>·<span>&nbsp;&nbsp;</span></span><![endif]>Saturday mornings<o:p></o:p></p>
<p><img src="file:///C:/Users/maria/AppData/image001.png"><a href="javascript:alert(1)">bad link</a><script>alert(1)</script></p><!--EndFragment--></body></html>`;

const GOOGLE_DOCS_HTML = `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1f2e3d4c"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;">From Google Docs, </span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:700;">really bold</span></p></b>`;

/** A small real PNG (w×h, stripes of the given colours), written as a person's picture would be. */
function png(w: number, h: number, colours: Array<[number, number, number]>): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const rows = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const [r, g, b] = colours[Math.floor((y / h) * colours.length)]!;
    for (let x = 0; x < w; x++) rows.set([r, g, b], y * (w * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

describe('the visual editor', () => {
  it('writes a newsletter with blocks, chips, a button and pasted Word text, and reopens it as it was', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    await page.goto(`${env.server.url}#/templates/new`);
    await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
    await expect(page.getByRole('radio', { name: 'Visual editor' }).isChecked()).resolves.toBe(true);
    await page.getByRole('textbox', { name: 'Template name' }).fill('Visual news');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('Shop <shop@example.com>');

    const content = page.getByRole('textbox', { name: 'Content', exact: true });
    await content.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('Dear ');
    await page.getByRole('textbox', { name: 'Fallback when empty' }).fill('friend');
    await page.getByRole('button', { name: 'Insert field first_name' }).click();
    await content.getByText('first_name · friend').waitFor();
    await page.keyboard.type(', spring is here.');
    await page.keyboard.press('Enter');

    // Paste from Word: its list becomes a real list, its styles, local image, script and javascript: link go.
    await content.evaluate((el, html) => {
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'Opening hours change');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, WORD_HTML);
    await content.getByRole('listitem').filter({ hasText: /^Monday to Friday$/ }).waitFor();
    await expect(content.getByRole('listitem').count()).resolves.toBe(2);
    await expect(content.locator('b, strong').filter({ hasText: 'Opening hours' }).count()).resolves.toBe(1);
    const html = await content.innerHTML();
    expect(html).not.toMatch(/script|javascript:|file:|mso-|Calibri|color:\s*red/);

    // Undo takes the paste back, redo brings it again.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(content.getByRole('listitem').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect(content.getByRole('listitem').count()).resolves.toBe(2);

    // A button in the brand colour.
    // Typed a key at a time, as a person does (half a colour is shown, not applied), then Tab at once.
    const colour = page.getByRole('textbox', { name: 'Brand colour' });
    await colour.fill('');
    await colour.pressSequentially('#0b6e99');
    await page.keyboard.press('Tab');
    await expect(colour.inputValue()).resolves.toBe('#0b6e99');
    await page.getByRole('button', { name: 'Button', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a button' });
    await dialog.getByRole('textbox', { name: 'Button text' }).fill('Visit the shop');
    await dialog.getByRole('textbox', { name: 'Web address' }).fill('https://shop.example.com/spring');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('button', { name: 'Footer', exact: true }).click();

    // The preview is the merged message in the layout: the chip filled in, the button, the footer's link.
    const frame = page.frameLocator('iframe[title^="Preview of the message"]');
    await frame.getByText('Dear Name1, spring is here.').waitFor();
    await frame.getByRole('link', { name: 'Visit the shop' }).waitFor();
    // juice writes the brand colour #0b6e99 as rgb().
    await frame.getByRole('link', { name: 'Visit the shop' }).and(frame.locator('[style*="background-color: rgb(11, 110, 153)"]')).waitFor();
    await captureScreen(page, 'template-visual', { fullPage: true });

    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('heading', { level: 1, name: 'Visual news' }).waitFor();
    // Reopened from the list: the same blocks and chip, still in the visual editor.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Visual news' }).waitFor();
    await content.getByText('first_name · friend').waitFor();
    await content.getByText('Visit the shop').waitFor();
    await expect(page.getByRole('textbox', { name: 'Brand colour' }).inputValue()).resolves.toBe('#0b6e99');

    // Switching to Markdown says what would be lost, and keeping the visual editor loses nothing.
    await page.getByText('Markdown', { exact: true }).click();
    const ask = page.getByRole('dialog', { name: 'Switch to Markdown?' });
    await ask.getByText(/headings, buttons, images, the footer and the brand colour are lost/).waitFor();
    await ask.getByRole('button', { name: 'Keep Visual editor' }).click();
    await content.getByText('Visit the shop').waitFor();

    // Google Docs wraps everything in a bold tag that isn't bold, and marks real bold with a style.
    await content.getByText('Saturday mornings').click();
    await page.keyboard.press('End');
    await content.evaluate((el, html) => {
      const data = new DataTransfer();
      data.setData('text/html', html);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, GOOGLE_DOCS_HTML);
    await content.getByText('From Google Docs,').waitFor();
    await expect(content.locator('strong, b').filter({ hasText: 'From Google Docs' }).count()).resolves.toBe(0);
    await expect(content.locator('strong, b').filter({ hasText: /^really bold$/ }).count()).resolves.toBe(1);
    expectNoErrors(app);
    await app.close();
  });
  it('puts a picture from the computer in the message as an inline image, not a data: address or a link to a file', async () => {
    const files = tempDataDir('postroom-e2e-visual-image-');
    // Wider than the message's column: it goes in 520 pixels wide (Outlook for Windows ignores CSS max-width).
    const picture = png(800, 300, [[11, 110, 153], [255, 224, 102], [31, 41, 51]]);
    fs.writeFileSync(path.join(files, 'Shop window.png'), picture);
    fs.writeFileSync(path.join(files, 'menu.png'), 'Soup of the day: leek and potato\n');
    fs.writeFileSync(path.join(files, 'poster.png'), Buffer.concat([picture, Buffer.alloc(1_200_000)]));

    const app = await openApp(env.browser, env.server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    await page.goto(`${env.server.url}#/templates/new`);
    await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
    await page.getByRole('textbox', { name: 'Template name' }).fill('Shop window');
    await page.getByRole('textbox', { name: 'Subject' }).fill('Our new window');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('Shop <shop@example.com>');
    const content = page.getByRole('textbox', { name: 'Content', exact: true });
    await content.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('Come and see our new shop window:');
    await page.keyboard.press('Enter');

    // Files go with a saved template: before the first save the dialog says so.
    await page.getByRole('button', { name: 'Image', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an image' });
    await dialog.getByText('Save the template first, then you can add a picture from your computer.').waitFor();
    await expect(dialog.getByRole('button', { name: 'Choose an image…' }).isDisabled()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('heading', { level: 1, name: 'Shop window' }).waitFor();

    await content.getByText('Come and see our new shop window:').click();
    await page.keyboard.press('End');
    await page.getByRole('button', { name: 'Image', exact: true }).click();
    const choose = async (name: string) => {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog.getByRole('button', { name: /^Choose (an image|another)…$/ }).click()]);
      await chooser.setFiles(path.join(files, name));
    };

    // Too big: refused in words at once. Not a picture, whatever its name: refused by the core when added.
    await choose('poster.png');
    await dialog.getByRole('alert').getByText(/“poster\.png” is 1\.2 MB\. A picture in an email can be at most 1 MB/).waitFor();
    await choose('menu.png');
    await dialog.getByText(/^menu\.png · /).waitFor();
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByRole('alert').getByText("“menu.png” isn't a PNG, JPEG or GIF picture, so it can't go in the message. Choose a picture in one of those formats.").waitFor();

    // The picture: seen in the dialog, then in the editor, written as cid: in the template.
    await choose('Shop window.png');
    await dialog.getByText(/^Shop window\.png · [\d,]+ (bytes|KB)$/).waitFor();
    await expect.poll(() => dialog.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(800);
    await dialog.getByRole('textbox', { name: 'Description' }).fill('Our shop window with the spring display');
    await captureScreen(page, 'template-visual-image');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const inEditor = content.locator('img[data-cid="shop-window.png"]');
    await expect(inEditor.getAttribute('alt')).resolves.toBe('Our shop window with the spring display');
    await expect(inEditor.getAttribute('width')).resolves.toBe('520');
    await expect.poll(() => inEditor.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(800);
    await page.getByRole('button', { name: 'Footer', exact: true }).click();
    await page.getByText('Unsaved changes').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Unsaved changes').waitFor({ state: 'hidden' });

    // Reopened: the picture is read back from Postroom; the preview shows it too.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Shop window' }).waitFor();
    await expect.poll(() => inEditor.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 15_000 }).toBe(800);
    const frame = page.frameLocator('iframe[title^="Preview of the message"]');
    const inPreview = frame.getByRole('img', { name: 'Our shop window with the spring display' });
    await expect.poll(() => inPreview.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 15_000 }).toBe(800);

    // Cut and pasted (the editor's own clipboard HTML goes through the paste cleaning), the picture stays itself:
    // shown twice, it is still one part of the message.
    await content.getByText('Come and see our new shop window:').click();
    await content.evaluate((el) => {
      const data = new DataTransfer();
      data.setData('text/html', '<p><img src="cid:shop-window.png" alt="The window again"></p>');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => content.locator('img[data-cid="shop-window.png"][alt="The window again"]').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(800);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Unsaved changes').waitFor({ state: 'hidden' });
    expectNoErrors(app);
    await app.close();

    // The message as a campaign sends it: the picture once, inline, in multipart/related, shown by its cid:.
    const d = ['--data', env.server.dataDir];
    await cli(['relay', 'add', 'Local', '--host', '127.0.0.1', '--port', '2525', '--security', 'none', ...d]);
    await cli(['campaign', 'create', 'Window', '--list', 'Customers', '--template', 'Shop window', '--relay', 'Local', '--unsubscribe', 'mailto:leave@example.com', ...d]);
    const raw = (await cli(['preview', 'Window', '--recipient', 'person1@example.com', '--raw', ...d])).stdout;
    expect(raw).toMatch(/Content-Type: multipart\/related/);
    expect(raw.match(/^Content-ID: <shop-window\.png>\r?$/gim)).toHaveLength(1);
    expect(raw).not.toMatch(/data:image|file:|blob:/);
    const message = await simpleParser(Buffer.from(raw, 'utf8'), { keepCidLinks: true });
    expect(message.html).toMatch(/<img src="cid:shop-window\.png" alt="Our shop window with the spring display"[^>]* width="520"/);
    expect(message.html).toMatch(/<img src="cid:shop-window\.png" alt="The window again"/);
    expect(message.attachments.map((a) => [a.filename, a.contentType, a.contentDisposition, a.contentId])).toEqual([['Shop window.png', 'image/png', 'inline', '<shop-window.png>']]);
    expect(message.attachments[0]!.content.equals(picture)).toBe(true);
  });
});
